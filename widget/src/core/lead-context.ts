// Attribution the browser knows about a lead: page, referrer, UTM tags, ad click ids, locale, zone.
import type { LeadInput } from '../../../shared/schemas/lead'

export type LeadContextInput = NonNullable<LeadInput['context']>

const UTM_KEYS = ['source', 'medium', 'campaign', 'term', 'content'] as const
const CLICK_ID_KEYS = ['gclid', 'yclid', 'fbclid'] as const

/** Picks `prefix + key` query parameters; `undefined` when none is set, so the field is omitted. */
function pickParams<K extends string>(params: URLSearchParams, keys: readonly K[], prefix = ''): Partial<Record<K, string>> | undefined {
  const found: Partial<Record<K, string>> = {}
  for (const key of keys) {
    const value = params.get(prefix + key)
    if (value) found[key] = value
  }
  return Object.keys(found).length ? found : undefined
}

function timeZone(): string | undefined {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone
  } catch {
    return undefined
  }
}

/**
 * The page's marketing attribution only: cheap enough for every page load. (The time zone is left
 * out on purpose: the first `Intl` call loads ICU data, 150 ms of main thread on a slow phone.)
 */
export function pageAttribution(href: string = location.href, referrer: string = document.referrer): LeadContextInput {
  const params = new URL(href).searchParams
  const context: LeadContextInput = { page: href }
  if (referrer) context.referrer = referrer
  const utm = pickParams(params, UTM_KEYS, 'utm_')
  if (utm) context.utm = utm
  const clickIds = pickParams(params, CLICK_ID_KEYS)
  if (clickIds) context.clickIds = clickIds
  return context
}

/**
 * Describes where the visitor is now, for a lead being sent. Arguments default to the live page;
 * tests pass their own.
 *
 * @example
 * collectContext('https://shop.example/?utm_source=ya&yclid=42', '')
 * // → { page: '…', utm: { source: 'ya' }, clickIds: { yclid: '42' }, locale: 'ru-RU', … }
 */
export function collectContext(href: string = location.href, referrer: string = document.referrer): LeadContextInput {
  const context = pageAttribution(href, referrer)
  if (navigator.language) context.locale = navigator.language
  const zone = timeZone()
  if (zone) context.timezone = zone
  return context
}
