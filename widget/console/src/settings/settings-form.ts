// The Settings form as data: its fields keyed by their path in the site config, the form read from
// a stored config, the JSON Merge Patch (RFC 7396) of what changed, and the keys the API's issues are
// put beside. The rules stay the API's (SiteConfigSchema): the form converts, never checks.
import { DAYS } from '../../../../shared/hours'

/**
 * `timezone`: an IANA zone picked from the browser's list; `secret`: write-only, read back only
 * redacted, sent only when typed (empty keeps the stored one).
 */
export type FieldKind = 'text' | 'textarea' | 'number' | 'checkbox' | 'select' | 'intervals' | 'timezone' | 'secret'

export interface FieldSpec {
  /** The field's path in the config, as the API's issues name it (`brand.launcher.text`). */
  key: string
  kind: FieldKind
  /** For selects: the values, '' being "the default". */
  options?: readonly string[]
  /** Shown in an empty field: the value the API uses then. */
  placeholder?: string
}

export const SECTIONS = [
  'consent',
  'hours',
  'reply',
  'replyOffHours',
  'brand',
  'exitIntent',
  'chatInvite',
  'analytics',
  'spam',
  'dedupe',
  'rateLimits',
  'captcha',
  'retention',
] as const
export type Section = (typeof SECTIONS)[number]

/** Monday first, as calendars here read. */
const WEEK = [...DAYS.slice(1), DAYS[0]] as const

const f = (key: string, kind: FieldKind, options?: readonly string[]): FieldSpec => ({ key, kind, ...(options && { options }) })
/** A number field whose empty value means the API's default (docs/configuration.md). */
const n = (key: string, placeholder?: string): FieldSpec => ({ key, kind: 'number', ...(placeholder && { placeholder }) })

/** The rate limits and their defaults (worker/src/security). */
const RATE_LIMITS = [
  ['perPhonePerHour', '5'],
  ['perEmailPerHour', '5'],
  ['perIpPer10Minutes', '30'],
  ['perSitePerMinute', '300'],
  ['rejectionsCountedPerIpPerHour', '5'],
] as const

export const FIELDS: Record<Section, readonly FieldSpec[]> = {
  consent: [f('consent.required', 'checkbox'), f('consent.text', 'textarea')],
  hours: [f('hours.timezone', 'timezone'), f('hours.callWithinSeconds', 'number'), ...WEEK.map((day) => f(`hours.week.${day}`, 'intervals'))],
  reply: [f('reply.text', 'textarea'), f('reply.exitIntent', 'textarea'), f('reply.chat', 'textarea')],
  replyOffHours: [f('replyOffHours.text', 'textarea'), f('replyOffHours.closed', 'textarea'), f('replyOffHours.exitIntent', 'textarea'), f('replyOffHours.chat', 'textarea')],
  brand: [
    f('brand.accent', 'text'),
    f('brand.position', 'select', ['', 'right', 'left']),
    f('brand.radius', 'number'),
    f('brand.launcher.text', 'text'),
    f('brand.launcher.icon', 'select', ['', 'phone', 'chat']),
  ],
  exitIntent: [
    f('exitIntent.enabled', 'checkbox'),
    f('exitIntent.offer.title', 'text'),
    f('exitIntent.offer.text', 'textarea'),
    f('exitIntent.offer.button', 'text'),
    f('exitIntent.minSecondsOnPage', 'number'),
    f('exitIntent.capPerDays', 'number'),
  ],
  chatInvite: [f('chatInvite.enabled', 'checkbox'), f('chatInvite.text', 'text'), f('chatInvite.afterSeconds', 'number'), f('chatInvite.capPerDays', 'number')],
  analytics: [n('analytics.ymCounter'), f('analytics.dataLayer', 'checkbox')],
  spam: [n('spam.minFillMs', '1500')],
  dedupe: [n('dedupe.windowDays', '30')],
  rateLimits: RATE_LIMITS.map(([key, fallback]) => n(`rateLimits.${key}`, fallback)),
  captcha: [f('captcha.provider', 'select', ['', 'turnstile', 'smartcaptcha']), f('captcha.siteKey', 'text'), f('captcha.secret', 'secret')],
  retention: [n('retention.days')],
}

/** The stored secret as reads show it (`•••0AA`), beside the empty field a new one is typed in. */
export const storedSecretKey = (key: string) => `${key}@stored`

const ALL_FIELDS = SECTIONS.flatMap((s) => FIELDS[s])

export type FormValue = string | boolean
export type FormState = Record<string, FormValue>

function at(config: unknown, key: string): unknown {
  let node = config
  for (const part of key.split('.')) node = typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[part] : undefined
  return node
}

/** "09:00-13:00, 14:00-18:00": a day's intervals as one line. */
function intervalsText(value: unknown): string {
  if (!Array.isArray(value)) return ''
  return value.map((pair) => (Array.isArray(pair) ? pair.join('-') : String(pair))).join(', ')
}

/** The form for a stored config (as GET /v1/admin/sites/:site reads it); missing values are empty. */
export function formFromConfig(config: unknown): FormState {
  const form: FormState = {}
  for (const { key, kind } of ALL_FIELDS) {
    const value = at(config, key)
    if (key === 'analytics.dataLayer')
      form[key] = value !== false // on unless turned off (the schema's default)
    else if (kind === 'checkbox') form[key] = value === true
    else if (kind === 'secret') {
      form[key] = ''
      form[storedSecretKey(key)] = typeof value === 'string' ? value : ''
    } else if (kind === 'intervals') form[key] = intervalsText(value)
    else form[key] = typeof value === 'string' || typeof value === 'number' ? String(value) : ''
  }
  return form
}

const str = (form: FormState, key: string): string => {
  const value = form[key]
  return typeof value === 'string' ? value : ''
}

/** '' removes the key (the default applies); a number is sent as one; anything else as typed, for the API to name. */
function numberOrNull(text: string): number | string | null {
  const trimmed = text.trim()
  if (trimmed === '') return null
  return /^-?\d+(\.\d+)?$/.test(trimmed) ? Number(trimmed) : trimmed
}

const textOrNull = (text: string): string | null => (text.trim() === '' ? null : text)

/** "09:00-18:00, 19:00-21:00" → [["09:00","18:00"],["19:00","21:00"]]; a piece without a dash keeps its text for the API to name. */
export function parseIntervals(text: string): [string, string][] | null {
  const pieces = text
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)
  if (pieces.length === 0) return null
  return pieces.map((piece) => {
    const [from = '', to = ''] = piece.split(/\s*[-–—]\s*/)
    return [from, to]
  })
}

type Patch = Record<string, unknown>

function sectionPatch(section: Section, form: FormState): unknown {
  const b = (key: string) => form[key] === true
  switch (section) {
    case 'consent':
      return str(form, 'consent.text').trim() === '' && !b('consent.required') ? null : { required: b('consent.required'), text: str(form, 'consent.text') }
    case 'hours': {
      const week = Object.fromEntries(DAYS.map((day) => [day, parseIntervals(str(form, `hours.week.${day}`))]))
      const empty = str(form, 'hours.timezone').trim() === '' && Object.values(week).every((d) => d === null) && str(form, 'hours.callWithinSeconds').trim() === ''
      return empty ? null : { timezone: str(form, 'hours.timezone').trim(), callWithinSeconds: numberOrNull(str(form, 'hours.callWithinSeconds')), week }
    }
    case 'reply':
    case 'replyOffHours':
      return Object.fromEntries(FIELDS[section].map(({ key }) => [key.slice(section.length + 1), textOrNull(str(form, key))]))
    case 'brand': {
      const launcher = { text: textOrNull(str(form, 'brand.launcher.text')), icon: textOrNull(str(form, 'brand.launcher.icon')) }
      return {
        accent: textOrNull(str(form, 'brand.accent').trim()),
        position: textOrNull(str(form, 'brand.position')),
        radius: numberOrNull(str(form, 'brand.radius')),
        launcher: launcher.text === null && launcher.icon === null ? null : launcher,
      }
    }
    case 'exitIntent': {
      const offer = { title: str(form, 'exitIntent.offer.title'), text: str(form, 'exitIntent.offer.text'), button: str(form, 'exitIntent.offer.button') }
      const unused = !b('exitIntent.enabled') && Object.values(offer).every((t) => t.trim() === '')
      return unused
        ? null
        : {
            enabled: b('exitIntent.enabled'),
            offer,
            minSecondsOnPage: numberOrNull(str(form, 'exitIntent.minSecondsOnPage')),
            capPerDays: numberOrNull(str(form, 'exitIntent.capPerDays')),
          }
    }
    case 'analytics': {
      const ymCounter = numberOrNull(str(form, 'analytics.ymCounter'))
      return ymCounter === null && b('analytics.dataLayer') ? null : { ymCounter, dataLayer: b('analytics.dataLayer') }
    }
    case 'spam':
    case 'dedupe':
    case 'retention':
    case 'rateLimits': {
      const values = Object.fromEntries(FIELDS[section].map(({ key }) => [key.slice(section.length + 1), numberOrNull(str(form, key))]))
      return Object.values(values).every((value) => value === null) ? null : values
    }
    case 'captcha': {
      const provider = str(form, 'captcha.provider')
      if (provider === '') return null
      // Empty keeps the stored secret: the API puts it back for the redacted value it gave out.
      const secret = str(form, 'captcha.secret').trim() || str(form, storedSecretKey('captcha.secret'))
      return { provider, siteKey: str(form, 'captcha.siteKey').trim(), secret }
    }
    case 'chatInvite': {
      const unused = !b('chatInvite.enabled') && ['chatInvite.text', 'chatInvite.afterSeconds', 'chatInvite.capPerDays'].every((k) => str(form, k).trim() === '')
      return unused
        ? null
        : {
            enabled: b('chatInvite.enabled'),
            text: textOrNull(str(form, 'chatInvite.text')),
            afterSeconds: numberOrNull(str(form, 'chatInvite.afterSeconds')),
            capPerDays: numberOrNull(str(form, 'chatInvite.capPerDays')),
          }
    }
  }
}

/** The fields whose value differs from the saved form. */
export function changedKeys(saved: FormState, form: FormState): string[] {
  return ALL_FIELDS.map((field) => field.key).filter((key) => saved[key] !== form[key])
}

/**
 * The merge patch of the sections with a changed field, each sent whole (cleared values as `null`,
 * which removes them), so a section the operator did not touch is left exactly as stored.
 * @example
 * patchOf(saved, { ...saved, 'reply.text': 'Thanks!' }) // → { reply: { text: 'Thanks!', exitIntent: null, chat: null } }
 */
export function patchOf(saved: FormState, form: FormState): Patch {
  const changed = new Set(changedKeys(saved, form))
  const patch: Patch = {}
  for (const section of SECTIONS) if (FIELDS[section].some(({ key }) => changed.has(key))) patch[section] = sectionPatch(section, form)
  return patch
}

/**
 * Every field's key, in the form's order: where a refusal's issues are shown (saved-form.ts
 * placeIssues, which is not called from here: with saved-form.ts imported into this module (the
 * wizard and the live preview share it), Rolldown split Preact, i18n.ts and ui.tsx out of the
 * console's first chunk and the first load grew from 49.28 to 50.64 KB gzip.
 */
export const FIELD_KEYS: readonly string[] = ALL_FIELDS.map(({ key }) => key)

/** The browser's IANA zone: the default for a site's first working hours. */
export function browserTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone ?? ''
  } catch {
    return ''
  }
}

/** Every IANA zone the browser knows, for the picker; empty where the browser cannot list them. */
export function timeZones(): string[] {
  try {
    return Intl.supportedValuesOf('timeZone')
  } catch {
    return []
  }
}

/**
 * The form after one field's change. Hours typed in while the zone is empty get the browser's
 * zone, so a new site's hours are never read in a zone nobody chose.
 */
export function changeField(form: FormState, key: string, value: FormValue, zone: string): FormState {
  const next = { ...form, [key]: value }
  const setsHours = key.startsWith('hours.') && key !== 'hours.timezone' && typeof value === 'string' && value.trim() !== ''
  if (setsHours && str(form, 'hours.timezone').trim() === '' && zone !== '') next['hours.timezone'] = zone
  return next
}
