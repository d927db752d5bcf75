// The phone field formats the site's countries' numbers as libphonenumber-js (the worker's library)
// does, on its own small code over the metadata the worker sends: checked on every country's
// example mobile number, typed digit by digit.
import { formatIncompletePhoneNumber } from 'libphonenumber-js/max'
import type { CountryCode } from 'libphonenumber-js/max'
import mobile from 'libphonenumber-js/examples.mobile.json'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { phoneMetadataFor } from '../testing'
import { forgetPhoneMetadata, formatPhone, possibleNumber, setPhoneMetadata } from './phone'

const COUNTRIES = Object.keys(mobile) as CountryCode[]

beforeAll(() => setPhoneMetadata(phoneMetadataFor(COUNTRIES)))
afterAll(() => forgetPhoneMetadata())

describe('formatting parity with libphonenumber-js', () => {
  it('writes every country’s example number alike, typed digit by digit after its calling code', () => {
    const differ: string[] = []
    for (const country of COUNTRIES) {
      const national = (mobile as Record<string, string>)[country] as string
      const full = `+${phoneMetadataFor([country])[country]?.callingCode}${national}`
      for (let end = 2; end <= full.length; end++) {
        const typed = full.slice(0, end)
        const ours = formatPhone(typed, country)
        const theirs = formatIncompletePhoneNumber(typed)
        if (ours !== theirs) differ.push(`${country} ${typed}: ${ours} / ${theirs}`)
      }
      expect(possibleNumber(full, country), country).toBe(full)
    }
    expect(differ.slice(0, 20)).toEqual([])
  })

  // Typed nationally, the first digits after a trunk prefix and the prefixes libphonenumber parses
  // by rules of their own (AR, BR, BY, GE, US's 1…) can come out spaced differently: checked where
  // the product's sites are, and on the whole world in international form above.
  const MARKETS = ['RU', 'KZ', 'UZ', 'KG', 'AZ', 'TJ', 'UA', 'MD', 'GB', 'DE', 'IT', 'ES', 'TR', 'IL', 'AE', 'PL', 'CZ', 'LV', 'EE', 'FI', 'SE', 'NO']

  it('writes them alike typed nationally, with the trunk prefix where the country has one', () => {
    const differ: string[] = []
    for (const country of MARKETS as CountryCode[]) {
      const prefix = phoneMetadataFor([country])[country]?.nationalPrefix ?? ''
      const full = `${prefix}${(mobile as Record<string, string>)[country]}`
      for (let end = 1; end <= full.length; end++) {
        const typed = full.slice(0, end)
        const ours = formatPhone(typed, country)
        const theirs = formatIncompletePhoneNumber(typed, country)
        if (ours !== theirs) differ.push(`${country} ${typed}: ${ours} / ${theirs}`)
      }
    }
    expect(differ.slice(0, 20)).toEqual([])
  })
})
