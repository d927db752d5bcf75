import maxMetadata from 'libphonenumber-js/metadata.max.json'
import minMetadata from 'libphonenumber-js/metadata.min.json'
import { describe, expect, it } from 'vitest'
import { normalizePhone } from './phone'
import type { MetadataJson } from './phone'

const max = maxMetadata as unknown as MetadataJson
const min = minMetadata as unknown as MetadataJson

describe('normalizePhone', () => {
  it.each([
    ['8 912 345-67-89', '+79123456789'],
    ['8 (912) 345-67-89', '+79123456789'],
    ['+7 912 345 67 89', '+79123456789'],
    ['9123456789', '+79123456789'],
    ['0079123456789', '+79123456789'],
    ['+44 20 7946 0958', '+442079460958'],
  ])('turns %s with country RU into %s', (raw, e164) => {
    expect(normalizePhone(raw, { defaultCountry: 'RU', metadata: max, strictness: 'valid' })).toMatchObject({ ok: true, e164 })
  })

  it('tells apart a number that is too short from text that is no number at all', () => {
    const options = { defaultCountry: 'RU', metadata: max, strictness: 'valid' } as const
    expect(normalizePhone('12345', options)).toEqual({ ok: false, problem: 'impossible' })
    expect(normalizePhone('позвоните', options)).toEqual({ ok: false, problem: 'not_a_number' })
  })

  it('finds numbers of the right length but an unused range only with full metadata', () => {
    // +7 000… has a possible length but no Russian operator uses that range.
    expect(normalizePhone('+7 000 000-00-00', { defaultCountry: 'RU', metadata: min, strictness: 'possible' }).ok).toBe(true)
    expect(normalizePhone('+7 000 000-00-00', { defaultCountry: 'RU', metadata: max, strictness: 'valid' })).toEqual({
      ok: false,
      problem: 'invalid',
    })
  })

  it('reports the number type with full metadata', () => {
    const result = normalizePhone('+7 912 345-67-89', { defaultCountry: 'RU', metadata: max, strictness: 'valid' })
    expect(result).toMatchObject({ ok: true, country: 'RU', type: 'MOBILE' })
  })
})
