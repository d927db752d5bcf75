// Phone number help for the form: as-you-type formatting, the visitor's country and a length
// check. Its own chunk: libphonenumber-js with its metadata is ~30 KB gzipped, so the form
// imports it on mount and works with plain text until it arrives (STYLE.md, size floors).
// `min` metadata + `isPossible` here; the worker checks `isValid` with `max` (security-notes.md).
import {
  formatIncompletePhoneNumber,
  getCountries,
  getCountryCallingCode,
  isSupportedCountry,
  parsePhoneNumberFromString,
} from 'libphonenumber-js/min'
import type { CountryCode } from 'libphonenumber-js/min'

export interface PhoneCountry {
  code: string
  callingCode: string
}

/** Every country the metadata knows, with its calling code, for the compact picker. */
export function listCountries(): PhoneCountry[] {
  return getCountries().map((code) => ({ code, callingCode: getCountryCallingCode(code) }))
}

function toCountry(country: string): CountryCode | undefined {
  return isSupportedCountry(country) ? country : undefined
}

/**
 * Formats what the visitor typed so far for the country: `89123456789` in RU →
 * `8 (912) 345-67-89`, `+44 20…` → `+44 20 …`. An international `+…` ignores the country.
 */
export function formatPhone(value: string, country: string): string {
  return formatIncompletePhoneNumber(value, toCountry(country))
}

/**
 * The number in E.164 when it can be a real number of the country (by length); `null` when not.
 * The RU trunk habit is understood: `8 912 345-67-89` and `+7 912 345-67-89` are the same number.
 *
 * @example
 * possibleNumber('8 (912) 345-67-89', 'RU') // '+79123456789'
 * possibleNumber('8 (912) 345', 'RU') // null
 */
export function possibleNumber(value: string, country: string): string | null {
  const number = parsePhoneNumberFromString(value, toCountry(country))
  return number?.isPossible() ? number.number : null
}

/** The country a typed `+…` number belongs to, so the picker can follow it. */
export function countryOf(value: string): string | undefined {
  return value.trim().startsWith('+') ? parsePhoneNumberFromString(value)?.country : undefined
}
