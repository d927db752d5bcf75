// Cloudflare Turnstile for sites that turn it on: the worker flags a lead without a valid token as
// spam, so every lead the widget sends gets a fresh token first. Loaded only for those sites and
// only when a lead is about to be sent, so other pages never fetch Cloudflare's script.
import type { LeadInput } from '../../shared/schemas/lead'

/** Explicit rendering: the widget decides where and when (docs: turnstile/get-started). */
export const TURNSTILE_SCRIPT = 'https://challenges.cloudflare.com/turnstile/v0/api.js?render=explicit'

/** The part of `window.turnstile` the widget uses. */
export interface TurnstileApi {
  render(container: HTMLElement, options: TurnstileRenderOptions): string | undefined
  execute(widgetId: string): void
  reset(widgetId: string): void
}

export interface TurnstileRenderOptions {
  sitekey: string
  /** `execute`: no challenge runs until a lead is sent, so an idle page costs nothing. */
  execution: 'execute'
  /** Shown only when Cloudflare needs the visitor to click; invisible otherwise. */
  appearance: 'interaction-only'
  language: string
  callback(token: string): void
  'error-callback'(code: string): void
  'expired-callback'(): void
  'timeout-callback'(): void
}

declare global {
  interface Window {
    turnstile?: TurnstileApi
  }
}

let script: Promise<TurnstileApi> | undefined

/** Adds Cloudflare's script once per page; a failed load can be tried again. */
export function loadTurnstileScript(): Promise<TurnstileApi> {
  return (script ??= new Promise<TurnstileApi>((resolve, reject) => {
    if (window.turnstile) return resolve(window.turnstile)
    const tag = document.createElement('script')
    tag.src = TURNSTILE_SCRIPT
    tag.async = true
    tag.onload = () =>
      window.turnstile ? resolve(window.turnstile) : reject(new Error('no window.turnstile'))
    tag.onerror = () => reject(new Error(`${TURNSTILE_SCRIPT} did not load`))
    document.head.append(tag)
  }).catch((error: unknown) => {
    script = undefined
    throw error
  }))
}

export interface TurnstileStampOptions {
  siteKey: string
  /** Where the challenge shows when it needs a click: in the widget's shadow root. */
  container: HTMLElement
  language: string
  load?: () => Promise<TurnstileApi>
  /** How long to wait for a token (a visitor may have to click the challenge). */
  timeoutMs?: number
}

/**
 * Returns a function that adds a fresh `turnstileToken` to a lead. Tokens are single-use and live
 * five minutes, so each send (and each outbox retry) gets its own; the lead id keeps retries one
 * lead. When Turnstile cannot run (blocked, offline, timed out) the lead goes without a token: the
 * worker stores it flagged, which is better than not sending it at all.
 *
 * @example
 * const stamp = createTurnstileStamp({ siteKey, container, language: 'ru' })
 * await sendLead(endpoint, await stamp(lead))
 */
export function createTurnstileStamp(options: TurnstileStampOptions): (lead: LeadInput) => Promise<LeadInput> {
  const { siteKey, container, language, load = loadTurnstileScript, timeoutMs = 60_000 } = options
  let widgetId: string | undefined
  let waiting: ((token: string | null) => void) | undefined
  const settle = (token: string | null) => {
    const done = waiting
    waiting = undefined
    done?.(token)
  }
  // One challenge at a time: two forms sending at once share nothing but the widget.
  let queue: Promise<unknown> = Promise.resolve()

  const token = async (): Promise<string | null> => {
    const api = await load()
    widgetId ??= api.render(container, {
      sitekey: siteKey,
      execution: 'execute',
      appearance: 'interaction-only',
      language,
      callback: (value) => settle(value),
      'error-callback': (code) => {
        console.warn('[leadcatcher] Turnstile error', code)
        settle(null)
      },
      'expired-callback': () => settle(null),
      'timeout-callback': () => settle(null),
    })
    if (widgetId === undefined) return null
    const id = widgetId
    const result = new Promise<string | null>((resolve) => {
      waiting = resolve
    })
    const timer = setTimeout(() => settle(null), timeoutMs)
    // A used widget must be reset before it can issue the next token.
    api.reset(id)
    api.execute(id)
    try {
      return await result
    } finally {
      clearTimeout(timer)
    }
  }

  return (lead) => {
    const next = queue.then(async () => {
      const value = await token().catch((error: unknown) => {
        console.warn('[leadcatcher] Turnstile unavailable; sending without a token', error)
        return null
      })
      return value ? { ...lead, turnstileToken: value } : lead
    })
    queue = next.catch(() => {})
    return next
  }
}
