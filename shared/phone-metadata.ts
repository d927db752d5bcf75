// The phone metadata the widget formats and checks numbers with: only the site's countries, built
// by the worker from libphonenumber's full set (GET /v1/sites/:site/phone-metadata), so the widget
// ships no metadata of its own. Here: its shape and the check of an answer, both sides.

/** One way to write numbers of a country, as libphonenumber's metadata has it. */
export interface PhoneFormat {
  /** The national number's groups, e.g. `(\d{3})(\d{3})(\d{2})(\d{2})`. */
  pattern: string
  /** The groups laid out nationally, e.g. `$1 $2-$3-$4`. */
  format: string
  /** Leading digits of the national numbers it fits, from the loosest pattern to the tightest. */
  leading: string[]
  /** How the first group looks after a typed national prefix, e.g. `8 ($1)`. */
  prefixRule?: string
  /** The layout after `+<calling code>` when it differs from `format`; `NA`: none. */
  international?: string
}

export interface PhoneCountryMetadata {
  callingCode: string
  /** The national (trunk) prefix, `8` in Russia, `0` in most of Europe. */
  nationalPrefix?: string
  /** How many digits a national number can have. */
  lengths: number[]
  /** Leading digits that pick this country among those sharing its calling code (KZ in +7). */
  leading?: string
  formats: PhoneFormat[]
}

/** Keyed by ISO 3166-1 alpha-2 code, in the site's order: its country first. */
export type PhoneMetadata = Record<string, PhoneCountryMetadata>

const isString = (value: unknown): value is string => typeof value === 'string'
const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value)
const optional = (value: unknown) => value === undefined || isString(value)

function isFormat(value: unknown): value is PhoneFormat {
  return (
    isRecord(value) &&
    isString(value.pattern) &&
    isString(value.format) &&
    Array.isArray(value.leading) &&
    value.leading.every(isString) &&
    optional(value.prefixRule) &&
    optional(value.international)
  )
}

function isCountry(value: unknown): value is PhoneCountryMetadata {
  return (
    isRecord(value) &&
    isString(value.callingCode) &&
    /^\d{1,3}$/.test(value.callingCode) &&
    optional(value.nationalPrefix) &&
    optional(value.leading) &&
    Array.isArray(value.lengths) &&
    value.lengths.every((n) => Number.isInteger(n)) &&
    Array.isArray(value.formats) &&
    value.formats.every(isFormat)
  )
}

/**
 * The worker's answer checked field by field (it crosses the network; a cache or a proxy can
 * change it): the metadata, or `null` when any part is not what the widget can use.
 */
export function parsePhoneMetadata(json: unknown): PhoneMetadata | null {
  if (!isRecord(json) || !isRecord(json.countries)) return null
  const countries: PhoneMetadata = {}
  for (const [code, country] of Object.entries(json.countries)) {
    if (!/^[A-Z]{2}$/.test(code) || !isCountry(country)) return null
    countries[code] = country
  }
  return countries
}
