// Builds the widget's phone metadata (shared/phone-metadata.ts) for some countries out of
// libphonenumber's compressed set. The worker serves it per site; widget tests build it too.
import type { MetadataJson } from './phone'
import type { PhoneCountryMetadata, PhoneFormat, PhoneMetadata } from './phone-metadata'

/**
 * A country in libphonenumber's compressed metadata (version 4), by position: 0 calling code,
 * 3 possible lengths, 4 formats, 5 national prefix, 6 its formatting rule, 10 leading digits.
 * A format: 0 pattern, 1 format, 2 leading digits patterns, 3 national prefix rule, 5 the
 * international format. Positions from libphonenumber-js's es6/metadata.js.
 */
type CompressedCountry = unknown[]
type CompressedFormat = unknown[]

const text = (value: unknown): string | undefined => (typeof value === 'string' && value ? value : undefined)
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : [])

function toFormat(format: CompressedFormat, countryRule: string | undefined): PhoneFormat | null {
  const pattern = text(format[0])
  const layout = text(format[1])
  if (!pattern || !layout) return null
  const prefixRule = text(format[3]) ?? countryRule
  const international = text(format[5])
  return {
    pattern,
    format: layout,
    leading: list(format[2]).filter((p): p is string => typeof p === 'string'),
    ...(prefixRule && { prefixRule }),
    ...(international && { international }),
  }
}

function toCountry(code: string, metadata: MetadataJson): PhoneCountryMetadata | null {
  const countries = metadata.countries as Record<string, CompressedCountry | undefined>
  const country = countries[code]
  const callingCode = text(country?.[0])
  if (!country || !callingCode) return null
  // Countries sharing a calling code share its main country's formats (KZ writes +7 as RU does).
  const main = metadata.country_calling_codes[callingCode]?.[0]
  const withFormats = Array.isArray(country[4]) ? country : main ? countries[main] : undefined
  const rule = text(withFormats?.[6])
  const formats = list(withFormats?.[4])
    .map((format) => toFormat(list(format), rule))
    .filter((format): format is PhoneFormat => format !== null)
  const nationalPrefix = text(country[5])
  const leading = main !== code ? text(country[10]) : undefined
  return {
    callingCode,
    lengths: list(country[3]).filter((n): n is number => typeof n === 'number'),
    formats,
    ...(nationalPrefix && { nationalPrefix }),
    ...(leading && { leading }),
  }
}

/**
 * The metadata of `countries` that libphonenumber knows, in their order; unknown codes are left out.
 *
 * @example
 * buildPhoneMetadata(['RU', 'KZ'], metadata).KZ // { callingCode: '7', nationalPrefix: '8', leading: '33|7', … }
 */
export function buildPhoneMetadata(countries: readonly string[], metadata: MetadataJson): PhoneMetadata {
  const built: PhoneMetadata = {}
  for (const code of countries) {
    const country = toCountry(code, metadata)
    if (country) built[code] = country
  }
  return built
}
