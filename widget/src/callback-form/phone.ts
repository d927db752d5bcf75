// Phone number help for every phone field (phone-field.tsx: the callback form, the chat's contact
// step): as-you-type formatting, the country of a typed `+…` number and a length check. It ships no
// metadata: the worker sends the site's countries' (GET /v1/sites/:site/phone-metadata, built from
// libphonenumber's full set), ~1 KB where libphonenumber-js with its own was ~35 KB gzipped.
// A number of any other country still goes through: unformatted, with a plain length check, for
// the worker to validate with the full metadata (security-notes.md).
import { plusForIntlPrefix } from '../../../shared/phone'
import { parsePhoneMetadata } from '../../../shared/phone-metadata'
import type { PhoneCountryMetadata, PhoneFormat, PhoneMetadata } from '../../../shared/phone-metadata'

export interface PhoneCountry {
  code: string
  callingCode: string
  /** In the visitor's language (the browser's Intl.DisplayNames, so no names ship); else the code. */
  name: string
}

/** E.164 allows 15 digits; below 7 no country has numbers (the worker checks each for real). */
const ANY_COUNTRY_LENGTH = { min: 7, max: 15 }

let metadata: PhoneMetadata = {}
let loading: Promise<void> | undefined

/** Uses `next` from now on, and loads no other (tests, previews; the widget calls loadPhoneMetadata). */
export function setPhoneMetadata(next: PhoneMetadata): void {
  metadata = next
  loading = Promise.resolve()
}

/** Back to no metadata, and the next loadPhoneMetadata fetches again (tests). */
export function forgetPhoneMetadata(): void {
  metadata = {}
  loading = undefined
}

/**
 * Fetches the site's phone metadata once per page; never rejects. Until it arrives, and when it
 * cannot (offline, an old worker), every number gets the plain length check.
 */
export function loadPhoneMetadata(endpoint: string, site: string, fetchImpl: typeof fetch): Promise<void> {
  loading ??= fetchImpl(`${endpoint}/v1/sites/${encodeURIComponent(site)}/phone-metadata`)
    .then((response) => (response.ok ? response.json() : null))
    .then((json: unknown) => {
      const parsed = parsePhoneMetadata(json)
      if (parsed) metadata = parsed
    })
    .catch(() => {
      // The next phone field asks again.
      loading = undefined
    })
  return loading
}

/** Does `pattern` (from the metadata) match the start of `digits`? A broken pattern matches nothing. */
function leads(pattern: string, digits: string): boolean {
  try {
    return new RegExp(`^(?:${pattern})`).test(digits)
  } catch {
    return false
  }
}

interface Found {
  code: string
  country: PhoneCountryMetadata
  national: string
}

/** The shipped country of an international number's digits (calling codes are prefix-free). */
function byCallingCode(digits: string): Found | undefined {
  for (let length = 1; length <= 3; length++) {
    const callingCode = digits.slice(0, length)
    const national = digits.slice(length)
    const sharing = Object.entries(metadata).filter(([, country]) => country.callingCode === callingCode)
    if (sharing.length === 0) continue
    // KZ and RU share +7: KZ's own leading digits pick it, the main country takes the rest.
    const [code, country] =
      sharing.find(([, c]) => c.leading !== undefined && leads(c.leading, national)) ??
      sharing.find(([, c]) => c.leading === undefined) ??
      (sharing[0] as [string, PhoneCountryMetadata])
    return { code, country, national }
  }
  return undefined
}

/** The digit count of each group of a format's pattern, `null` for a pattern of another shape. */
function groupSizes(pattern: string): number[] | null {
  const groups = [...pattern.matchAll(/\(\\d(?:\{(\d+)(?:,(\d+))?\})?\)/g)]
  if (groups.map((group) => group[0]).join('') !== pattern) return null
  return groups.map((group) => Number(group[2] ?? group[1] ?? 1))
}

/** The first format for these national digits, tried the way libphonenumber's AsYouType does. */
function pickFormat(formats: readonly PhoneFormat[], national: string): PhoneFormat | undefined {
  return formats.find((format) => {
    const sizes = groupSizes(format.pattern)
    if (!sizes || national.length > sizes.reduce((sum, size) => sum + size, 0)) return false
    // Its leading-digit patterns grow tighter with each digit past the third.
    const pattern = format.leading[Math.min(Math.max(national.length - 3, 0), format.leading.length - 1)]
    return pattern === undefined || leads(pattern, national)
  })
}

/**
 * Lays `national` out in `format`, digit by digit (`x` in the template), stopping where the digits
 * run out: `912` in `8 (xxx) xxx-xx-xx` → `8 (912)`. `null` when the format does not fit.
 */
function layOut(format: PhoneFormat, national: string, international: boolean, prefix: string | undefined): string | null {
  const sizes = groupSizes(format.pattern)
  let layout = international ? (format.international ?? format.format) : format.format
  if (!sizes || layout === 'NA') return null
  if (international) {
    // International numbers are written with spaces only (libphonenumber's separator style).
    layout = layout.replace(/[^$\d]+/g, ' ').trim()
  } else if (prefix !== undefined) {
    const rule = format.prefixRule
    layout = rule?.includes(prefix) ? layout.replace('$1', () => rule) : `${prefix} ${layout}`
  }
  // A whole number: its groups as the pattern cuts them (`\d{3,4}` takes 3 when 3 is all there is).
  try {
    const whole = new RegExp(`^${format.pattern}$`)
    if (whole.test(national)) return national.replace(whole, layout)
  } catch {
    // A pattern this engine cannot read: laid out digit by digit below.
  }
  const template = layout.replace(/\$(\d)/g, (_, group: string) => 'x'.repeat(sizes[Number(group) - 1] ?? 0))
  let out = ''
  let used = 0
  for (const char of template) {
    if (char === 'x') {
      if (used === national.length) break
      out += national[used++]
    } else out += char
  }
  return used === national.length ? out.replace(/[\s-]+$/, '') : null
}

/**
 * The site's countries for the picker: its own country first, then its `countries` in the order
 * given (`first`), then any other shipped one by name in the visitor's language. A visitor from
 * elsewhere types `+…`: the number is accepted without formatting.
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
  const all = Object.entries(metadata).map(([code, country]) => ({
    code,
    callingCode: country.callingCode,
    name: nameOf(code),
  }))
  const rank = (code: string) => {
    const at = first.indexOf(code)
    return at < 0 ? first.length : at
  }
  const collator = new Intl.Collator(locale)
  return all.sort((a, b) => rank(a.code) - rank(b.code) || collator.compare(a.name, b.name))
}

/**
 * Formats what the visitor typed so far for the country: `89123456789` in RU →
 * `8 (912) 345-67-89`, `+44 20…` → `+44 20 …`. An international `+…` (or `00…`, which becomes
 * `+…`) ignores the country. A country without metadata: as typed.
 */
export function formatPhone(value: string, country: string): string {
  const text = plusForIntlPrefix(value.trimStart())
  const digits = text.replace(/\D/g, '')
  if (text.startsWith('+')) {
    const found = byCallingCode(digits)
    if (!found) return text
    const { callingCode, formats } = found.country
    const format = found.national && pickFormat(formats, found.national)
    const laid = format ? layOut(format, found.national, true, undefined) : null
    return `+${callingCode}${found.national && ` ${laid ?? found.national}`}`
  }
  const known = metadata[country]
  if (!known || !digits) return value
  const prefix = known.nationalPrefix && digits.startsWith(known.nationalPrefix) ? known.nationalPrefix : undefined
  const national = digits.slice(prefix?.length ?? 0)
  if (!national) return value
  // As libphonenumber: no layout before three national digits (`8 91`, then `8 (912)`; `07`).
  if (national.length < 3) {
    const spaced = prefix && known.formats.some((format) => format.prefixRule?.startsWith(`${prefix} `))
    return `${prefix ?? ''}${spaced ? ' ' : ''}${national}`
  }
  const format = pickFormat(known.formats, national)
  return (format && layOut(format, national, false, prefix)) ?? value
}

/**
 * The number in E.164 when it can be a real number of the country (by length); `null` when not.
 * The RU trunk habit is understood: `8 912 345-67-89` and `+7 912 345-67-89` are the same number.
 * Outside the shipped countries: a plain length check, and the number as typed for the worker.
 *
 * @example
 * possibleNumber('8 (912) 345-67-89', 'RU') // '+79123456789'
 * possibleNumber('8 (912) 345', 'RU') // null
 */
export function possibleNumber(value: string, country: string): string | null {
  const text = plusForIntlPrefix(value.trim())
  const digits = text.replace(/\D/g, '')
  const plain = digits.length >= ANY_COUNTRY_LENGTH.min && digits.length <= ANY_COUNTRY_LENGTH.max
  if (text.startsWith('+')) {
    const found = byCallingCode(digits)
    if (!found) return plain ? `+${digits}` : null
    return found.country.lengths.includes(found.national.length) ? `+${digits}` : null
  }
  const known = metadata[country]
  if (!known) return plain ? text : null
  const { nationalPrefix: prefix, lengths } = known
  // The trunk prefix goes when what is left is a number's length (Russia's 8, most of Europe's 0).
  const national = prefix && digits.startsWith(prefix) && !lengths.includes(digits.length) ? digits.slice(prefix.length) : digits
  return lengths.includes(national.length) ? `+${known.callingCode}${national}` : null
}

/** The shipped country a typed `+…` or `00…` number belongs to, so the picker can follow it. */
export function countryOf(value: string): string | undefined {
  const text = plusForIntlPrefix(value.trim())
  return text.startsWith('+') ? byCallingCode(text.replace(/\D/g, ''))?.code : undefined
}
