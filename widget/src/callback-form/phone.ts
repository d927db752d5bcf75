// Phone number help for every phone field (phone-field.tsx: the callback form, the chat's contact
// step): as-you-type formatting, the visitor's country and a length check. Its own chunk:
// libphonenumber-js with its metadata is ~30 KB gzipped, so the form imports it on mount and works
// with plain text until it arrives (STYLE.md, size floors); the lazy chat chunk imports it as is.
// `min` metadata + `isPossible` here; the worker checks `isValid` with `max` (security-notes.md).
import {
  formatIncompletePhoneNumber,
  getCountries,
  getCountryCallingCode,
  isSupportedCountry,
  parsePhoneNumberFromString,
} from 'libphonenumber-js/min'
import type { CountryCode } from 'libphonenumber-js/min'
import { plusForIntlPrefix } from '../../../shared/phone'

export interface PhoneCountry {
  code: string
  callingCode: string
  /** In the visitor's language (the browser's Intl.DisplayNames, so no names ship); else the code. */
  name: string
}

/**
 * Every country the metadata knows, for the picker: the site's likely countries first in the order
 * given (the site's own country, then its `countries`), the rest by name in the visitor's language.
 *
 * @example
 * listCountries('ru', ['RU', 'KZ'])[0] // { code: 'RU', callingCode: '7', name: 'Россия' }
 */
export function listCountries(locale: string, first: readonly string[] = []): PhoneCountry[] {
  let names: Intl.DisplayNames | undefined
  try {
    names = new Intl.DisplayNames([locale], { type: 'region' })
  } catch {
    // An engine without DisplayNames (Safari < 14.1): the codes still work.
  }
  const nameOf = (code: string) => {
    try {
      return names?.of(code) ?? code
    } catch {
      return code
    }
  }
  const all = getCountries().map((code) => ({
    code,
    callingCode: getCountryCallingCode(code),
    name: nameOf(code),
  }))
  const rank = (code: string) => {
    const at = first.indexOf(code)
    return at < 0 ? first.length : at
  }
  const collator = new Intl.Collator(locale)
  return all.sort((a, b) => rank(a.code) - rank(b.code) || collator.compare(a.name, b.name))
}

function toCountry(country: string): CountryCode | undefined {
  return isSupportedCountry(country) ? country : undefined
}

/**
 * Formats what the visitor typed so far for the country: `89123456789` in RU →
 * `8 (912) 345-67-89`, `+44 20…` → `+44 20 …`. An international `+…` (or `00…`, which becomes
 * `+…`) ignores the country.
 */
export function formatPhone(value: string, country: string): string {
  return formatIncompletePhoneNumber(plusForIntlPrefix(value), toCountry(country))
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
  const number = parsePhoneNumberFromString(plusForIntlPrefix(value.trim()), toCountry(country))
  return number?.isPossible() ? number.number : null
}

/** The country a typed `+…` or `00…` number belongs to, so the picker can follow it. */
export function countryOf(value: string): string | undefined {
  const text = plusForIntlPrefix(value.trim())
  return text.startsWith('+') ? parsePhoneNumberFromString(text)?.country : undefined
}
