// Talking to the worker: reading the public site config and sending leads. Never throws.
import { isApiErrorBody } from '../../../shared/api'
import type { PublicBrand } from '../../../shared/brand'
import type { ApiErrorBody, LeadAcceptedBody } from '../../../shared/api'
import type { LeadInput } from '../../../shared/schemas/lead'
import type { PublicSiteConfig } from '../../../shared/schemas/site-config'
import type { PublicWidgetSettings } from '../../../shared/schemas/widget-settings'
import { toLocale } from '../loader/locale'

export type Fetch = typeof fetch

/**
 * The public site config with the widget settings. Partial until the worker sends them
 * (shared/schemas/widget-settings.ts): a missing key means "no hours", "no exit offer".
 */
export type WidgetConfig = PublicSiteConfig & Partial<PublicWidgetSettings>

/** After this long without an answer the visitor may retry; the same id makes that safe. */
export const SEND_TIMEOUT_MS = 15_000

/**
 * A v4 UUID for a new lead. `crypto.randomUUID` exists only on HTTPS pages (and Safari 15.4+),
 * and plenty of small sites are still plain HTTP; `getRandomValues` works everywhere.
 */
export function newLeadId(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID()
  const random = crypto.getRandomValues(new Uint8Array(31))
  let i = 0
  // Each 0/1 becomes a random hex digit, the 4 stays (version), the 8 becomes 8–b (variant).
  return '10000000-1000-4000-8000-100000000000'.replace(/[018]/g, (c) => (+c ^ ((random[i++] ?? 0) & (15 >> (+c / 4)))).toString(16))
}

export type SendLeadResult =
  | { kind: 'accepted'; status: number; body: LeadAcceptedBody }
  /** The worker read the lead and refused it (4xx): sending the same body again will not help. */
  | { kind: 'rejected'; status: number; error: ApiErrorBody['error'] | null }
  /**
   * No answer, a 5xx or an unreadable one: the lead may or may not have arrived, so a retry must
   * send the same body with the same id and let the worker deduplicate it.
   */
  | { kind: 'failed'; status: number }

/**
 * A 4xx that says "not now" rather than "not this lead" (429, 408): the worker did not take it,
 * and the same body later may well be taken. Every other 4xx is final.
 */
export function isRetryableRefusal(result: SendLeadResult): boolean {
  return result.kind === 'rejected' && (result.status === 429 || result.status === 408)
}

async function readJson(response: Response): Promise<unknown> {
  try {
    return await response.json()
  } catch {
    return null
  }
}

function isAccepted(body: unknown): body is LeadAcceptedBody {
  if (typeof body !== 'object' || body === null) return false
  const { id, status, reply } = body as Partial<LeadAcceptedBody>
  return typeof id === 'string' && status === 'accepted' && typeof reply?.text === 'string'
}

/**
 * POSTs a lead to `{endpoint}/v1/leads`.
 *
 * @example
 * const result = await sendLead('https://leads.example', lead)
 * if (result.kind === 'failed') showRetry() // keep `lead` as it is for the retry
 */
export async function sendLead(endpoint: string, body: LeadInput, fetchImpl: Fetch = fetch): Promise<SendLeadResult> {
  const abort = new AbortController()
  const timer = setTimeout(() => abort.abort(), SEND_TIMEOUT_MS)
  let response: Response
  try {
    response = await fetchImpl(`${endpoint}/v1/leads`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
      signal: abort.signal,
    })
  } catch {
    clearTimeout(timer)
    return { kind: 'failed', status: 0 }
  }
  const { status } = response
  const json = await readJson(response)
  clearTimeout(timer)
  if (status === 200 || status === 201) {
    return isAccepted(json) ? { kind: 'accepted', status, body: json } : { kind: 'failed', status }
  }
  if (status >= 400 && status < 500) {
    return { kind: 'rejected', status, error: isApiErrorBody(json) ? json.error : null }
  }
  return { kind: 'failed', status }
}

/** Reads `GET {endpoint}/v1/sites/{site}/config`; `null` for an unknown or unreachable site. */
export async function fetchSiteConfig(endpoint: string, site: string, fetchImpl: Fetch = fetch): Promise<WidgetConfig | null> {
  try {
    const response = await fetchImpl(`${endpoint}/v1/sites/${encodeURIComponent(site)}/config`)
    return response.ok ? toSiteConfig(site, await response.json()) : null
  } catch {
    return null
  }
}

/** Checks the few fields the widget relies on, so a proxy's odd answer cannot break rendering. */
function toSiteConfig(site: string, value: unknown): WidgetConfig | null {
  if (typeof value !== 'object' || value === null) return null
  const { locale, country, consent, captcha, hours, exitIntent, chatInvite, analytics, chat, brand } = value as Partial<Record<keyof WidgetConfig, unknown>>
  const valid = toLocale(locale)
  if (!valid) return null
  const given = consent as { required?: unknown; text?: unknown } | null | undefined
  return {
    site,
    locale: valid,
    country: typeof country === 'string' ? country : 'RU',
    countries: stringsOf((value as { countries?: unknown }).countries),
    // Checked no further, like the settings below (this is the first load): the captcha chunk
    // sends the lead without a token when it does not know the provider.
    captcha: isObject(captcha) && typeof captcha.siteKey === 'string' ? (captcha as unknown as WidgetConfig['captcha']) : null,
    consent: typeof given?.text === 'string' && given.text ? { required: given.required === true, text: given.text } : null,
    // The worker validated these against WidgetSettingsSchema; the widget only checks they are
    // objects (valibot would cost the first load), and shared/hours treats odd intervals as closed.
    hours: isObject(hours) && typeof hours.timezone === 'string' && isObject(hours.week) ? (hours as unknown as WidgetConfig['hours']) : null,
    exitIntent: isObject(exitIntent) && isObject(exitIntent.offer) ? (exitIntent as unknown as WidgetConfig['exitIntent']) : null,
    chatInvite:
      isObject(chatInvite) && chatInvite.enabled === true && typeof chatInvite.afterSeconds === 'number' && typeof chatInvite.capPerDays === 'number'
        ? {
            enabled: true,
            afterSeconds: chatInvite.afterSeconds,
            capPerDays: chatInvite.capPerDays,
            ...(typeof chatInvite.text === 'string' && { text: chatInvite.text }),
          }
        : null,
    analytics: isObject(analytics) ? (analytics as WidgetConfig['analytics']) : null,
    // The chat checks the flow itself (shared/flow) when it loads.
    chat: isObject(chat) && isObject(chat.flow) ? { flow: chat.flow } : null,
    brand: toBrand(brand),
  }
}

/**
 * The colours go into CSS custom properties, where anything would pass (`url(…)` included): only
 * `#rrggbb` does here. The rest is checked no further (the worker resolved and validated it, and
 * an odd side or icon only falls back to the default look).
 */
function toBrand(brand: unknown): PublicBrand | null {
  // One test of the three joined (a size trick: no loop, no second regex in the first load).
  return isObject(brand) && THREE_COLOURS.test(`${brand.accent}${brand.onAccent}${brand.ink}`) ? (brand as unknown as PublicBrand) : null
}

/** `accent`, `onAccent` and `ink` one after another, each `#rrggbb` (shared/brand.ts HEX_COLOUR). */
const THREE_COLOURS = /^(#[\da-f]{6}){3}$/i

/** The picker only compares them with its codes, so any string is harmless; the rest is dropped. */
function stringsOf(list: unknown): string[] | undefined {
  return Array.isArray(list) ? list.filter((item): item is string => typeof item === 'string') : undefined
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
