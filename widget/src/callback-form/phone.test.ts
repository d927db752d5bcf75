// Tests for the phone helpers over the site's countries' metadata (as the worker sends it):
// formatting as the visitor types, the RU `8…` habit, impossible numbers, and numbers from a
// country the site did not name, which go through unformatted with a plain length check.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { ENDPOINT, jsonResponse, phoneMetadataFor } from '../testing'
import { countryOf, forgetPhoneMetadata, formatPhone, listCountries, loadPhoneMetadata, possibleNumber, setPhoneMetadata } from './phone'

const COUNTRIES = ['RU', 'KZ', 'BY', 'US', 'GB', 'DE', 'AU']

beforeEach(() => setPhoneMetadata(phoneMetadataFor(COUNTRIES)))
afterEach(() => forgetPhoneMetadata())

describe('formatPhone', () => {
  it('formats a Russian number as it is typed, with or without +7', () => {
    expect(formatPhone('8912', 'RU')).toBe('8 (912)')
    expect(formatPhone('89123456789', 'RU')).toBe('8 (912) 345-67-89')
    expect(formatPhone('+79123456789', 'RU')).toBe('+7 912 345 67 89')
    expect(formatPhone('+7912', 'RU')).toBe('+7 912')
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
  it('lists the shipped countries with calling codes and tells a + number’s country', () => {
    expect(listCountries('en')).toContainEqual({ code: 'KZ', callingCode: '7', name: 'Kazakhstan' })
    expect(countryOf('+44 20 7123 4567')).toBe('GB')
    // +7 is Russia's but for Kazakhstan's own leading digits.
    expect(countryOf('+7 912 345-67-89')).toBe('RU')
    expect(countryOf('+7 701 234 56 78')).toBe('KZ')
    expect(countryOf('8 912')).toBeUndefined()
  })

  it('names countries in the visitor’s language, the site’s likely ones first, the rest by name', () => {
    const ru = listCountries('ru', ['RU', 'KZ', 'BY'])
    expect(ru.slice(0, 3).map((c) => `${c.name} +${c.callingCode}`)).toEqual(['Россия +7', 'Казахстан +7', 'Беларусь +375'])
    const rest = ru.slice(3).map((c) => c.name)
    expect(rest).toEqual([...rest].sort((a, b) => a.localeCompare(b, 'ru')))
    expect(rest[0]).toBe('Австралия')
    expect(ru.map((c) => c.code).sort()).toEqual([...COUNTRIES].sort())
    expect(listCountries('en', ['DE'])[0]?.name).toBe('Germany')
  })
})

describe('a country outside the shipped metadata', () => {
  beforeEach(() => setPhoneMetadata(phoneMetadataFor(['RU'])))

  it('is accepted as typed with a plain length check, for the worker to validate', () => {
    expect(possibleNumber('+49 30 1234567', 'RU')).toBe('+49301234567')
    expect(possibleNumber('0049 30 1234567', 'RU')).toBe('+49301234567')
    expect(possibleNumber('+49 30', 'RU')).toBeNull()
    expect(possibleNumber('+49 3012 3456 7890 1234', 'RU')).toBeNull()
  })

  it('is left unformatted, and the picker keeps its country', () => {
    expect(formatPhone('+49301234567', 'RU')).toBe('+49301234567')
    expect(countryOf('+49 30 1234567')).toBeUndefined()
    expect(listCountries('en').map((c) => c.code)).toEqual(['RU'])
    // The site's own country is formatted as before.
    expect(formatPhone('89123456789', 'RU')).toBe('8 (912) 345-67-89')
  })

  it('gets the plain check too before any metadata has arrived', () => {
    forgetPhoneMetadata()
    expect(formatPhone('89123456789', 'RU')).toBe('89123456789')
    expect(possibleNumber('8 912 345-67-89', 'RU')).toBe('8 912 345-67-89')
    expect(possibleNumber('8 912', 'RU')).toBeNull()
  })
})

describe('loadPhoneMetadata', () => {
  beforeEach(() => forgetPhoneMetadata())

  it('fetches the site’s metadata from the worker once per page', async () => {
    const fetchMock = vi.fn<typeof fetch>(async () => jsonResponse(200, { countries: phoneMetadataFor(['KZ']) }))
    await loadPhoneMetadata(ENDPOINT, 'shop', fetchMock)
    await loadPhoneMetadata(ENDPOINT, 'shop', fetchMock)
    expect(fetchMock).toHaveBeenCalledTimes(1)
    expect(String(fetchMock.mock.calls[0]?.[0])).toBe(`${ENDPOINT}/v1/sites/shop/phone-metadata`)
    expect(listCountries('en').map((c) => c.code)).toEqual(['KZ'])
    expect(formatPhone('87012345678', 'KZ')).toBe('8 (701) 234 5678')
  })

  it('keeps to the plain check on an answer it cannot use, and asks again after a failure', async () => {
    await loadPhoneMetadata(ENDPOINT, 'shop', async () => jsonResponse(200, { countries: { RU: { callingCode: 7 } } }))
    expect(listCountries('en')).toEqual([])
    forgetPhoneMetadata()
    await loadPhoneMetadata(ENDPOINT, 'shop', async () => Promise.reject(new TypeError('offline')))
    const fetchMock = vi.fn<typeof fetch>(async () => jsonResponse(200, { countries: phoneMetadataFor(['RU']) }))
    await loadPhoneMetadata(ENDPOINT, 'shop', fetchMock)
    expect(fetchMock).toHaveBeenCalledTimes(1)
    expect(possibleNumber('8 912 345-67-89', 'RU')).toBe('+79123456789')
  })
})
