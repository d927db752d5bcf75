// Tests for the phone helpers: formatting as the visitor types, the RU `8…` habit, impossible numbers.
import { describe, expect, it } from 'vitest'
import { countryOf, formatPhone, listCountries, possibleNumber } from './phone'

describe('formatPhone', () => {
  it('formats a Russian number as it is typed, with or without +7', () => {
    expect(formatPhone('8912', 'RU')).toBe('8 (912)')
    expect(formatPhone('89123456789', 'RU')).toBe('8 (912) 345-67-89')
    expect(formatPhone('+79123456789', 'RU')).toBe('+7 912 345 67 89')
  })

  it('formats for the visitor’s country, and by the calling code of a + number', () => {
    expect(formatPhone('2025550123', 'US')).toBe('(202) 555-0123')
    expect(formatPhone('+442071234567', 'RU')).toBe('+44 20 7123 4567')
  })
})

describe('possibleNumber', () => {
  it('understands the RU 8 trunk prefix as +7', () => {
    expect(possibleNumber('8 (912) 345-67-89', 'RU')).toBe('+79123456789')
    expect(possibleNumber('+7 912 345-67-89', 'RU')).toBe('+79123456789')
    expect(possibleNumber('912 345-67-89', 'RU')).toBe('+79123456789')
  })

  it('rejects numbers that are too short or too long for the country', () => {
    expect(possibleNumber('8 (912) 345', 'RU')).toBeNull()
    expect(possibleNumber('8 (912) 345-67-89-00', 'RU')).toBeNull()
    expect(possibleNumber('', 'RU')).toBeNull()
  })
})

describe('the international 00 prefix', () => {
  it('reads 0049… as +49…, like the worker, in the check, the formatting and the country', () => {
    expect(possibleNumber('0049 30 1234567', 'RU')).toBe('+49301234567')
    expect(formatPhone('0049301234567', 'RU')).toBe('+49 30 1234567')
    expect(countryOf('0049 30 1234567')).toBe('DE')
    // A national RU number never starts with 00: nothing else changes.
    expect(possibleNumber('8 (912) 345-67-89', 'RU')).toBe('+79123456789')
  })
})

describe('countries', () => {
  it('lists countries with calling codes and tells a + number’s country', () => {
    expect(listCountries('en')).toContainEqual({ code: 'KZ', callingCode: '7', name: 'Kazakhstan' })
    expect(countryOf('+44 20 7123 4567')).toBe('GB')
    expect(countryOf('8 912')).toBeUndefined()
  })

  it('names countries in the visitor’s language, the site’s likely ones first, the rest by name', () => {
    const ru = listCountries('ru', ['RU', 'KZ', 'BY'])
    expect(ru.slice(0, 3).map((c) => `${c.name} +${c.callingCode}`)).toEqual([
      'Россия +7',
      'Казахстан +7',
      'Беларусь +375',
    ])
    const rest = ru.slice(3).map((c) => c.name)
    expect(rest).toEqual([...rest].sort((a, b) => a.localeCompare(b, 'ru')))
    expect(rest[0]).toBe('Австралия')
    expect(ru).toHaveLength(listCountries('en').length)
    expect(listCountries('en', ['DE'])[0]?.name).toBe('Germany')
  })
})
