// The captcha for sites that turn one on, Cloudflare Turnstile or Yandex SmartCaptcha (which
// works where Russian ISPs throttle Cloudflare): the worker flags a lead without a valid token as
// spam, so every lead the widget sends gets a fresh token first. Loaded only for those sites and
// only when a lead is about to be sent, so other pages never fetch either provider's script.
import type { LeadInput } from '../../../shared/schemas/lead'
import type { CaptchaProvider } from '../../../shared/schemas/site-config'

/** Explicit rendering: the widget decides where and when (docs: turnstile/get-started). */
export const TURNSTILE_SCRIPT = 'https://challenges.cloudflare.com/turnstile/v0/api.js?render=explicit'

/** The global SmartCaptcha's script calls once `window.smartCaptcha` is ready. */
const SMARTCAPTCHA_ONLOAD = '__leadcatcherSmartCaptcha'
/**
 * The "advanced method", the only one with invisible mode: render and execute are ours to call
 * (yandex.cloud docs: smartcaptcha/concepts/widget-methods, concepts/invisible-captcha).
 */
export const SMARTCAPTCHA_SCRIPT = `https://smartcaptcha.yandexcloud.net/captcha.js?render=onload&onload=${SMARTCAPTCHA_ONLOAD}`

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

/** SmartCaptcha's widget id: whatever `render` returned (the first one may be 0). */
export type SmartCaptchaWidgetId = number

/** The part of `window.smartCaptcha` the widget uses. */
export interface SmartCaptchaApi {
  render(container: HTMLElement, options: SmartCaptchaRenderOptions): SmartCaptchaWidgetId
  execute(widgetId: SmartCaptchaWidgetId): void
  reset(widgetId: SmartCaptchaWidgetId): void
  subscribe(widgetId: SmartCaptchaWidgetId, event: 'network-error', listener: () => void): () => void
}

export interface SmartCaptchaRenderOptions {
  sitekey: string
  /** No "I'm not a robot" button: only visitors SmartCaptcha finds suspicious see a task. */
  invisible: true
  hl: string
  /**
   * Invisible mode shows a data-processing notice, bottom right by default, where the launcher
   * is. Hiding it obliges the site to tell visitors itself, so it moves instead.
   */
  shieldPosition: 'bottom-left'
  callback(token: string): void
}

declare global {
  interface Window {
    turnstile?: TurnstileApi
    smartCaptcha?: SmartCaptchaApi
    [SMARTCAPTCHA_ONLOAD]?: () => void
  }
}

const scripts = new Map<string, Promise<unknown>>()

/**
 * Adds a provider's script once per page and resolves with its global; a failed load can be tried
 * again. With `onload`, the script calls the global of that name when it is ready.
 */
function addScript<T>(src: string, api: () => T | undefined, onload?: typeof SMARTCAPTCHA_ONLOAD): Promise<T> {
  let loading = scripts.get(src) as Promise<T> | undefined
  if (loading) return loading
  loading = new Promise<T>((resolve, reject) => {
    const ready = () => {
      const found = api()
      found ? resolve(found) : reject(new Error(`${src} gave no API`))
    }
    if (api()) return ready()
    if (onload) window[onload] = ready
    const tag = document.createElement('script')
    tag.src = src
    tag.async = true
    // SmartCaptcha may finish setting up after its load event: then its ready call is the signal.
    tag.onload = () => (onload && !api() ? undefined : ready())
    tag.onerror = () => reject(new Error(`${src} did not load`))
    document.head.append(tag)
  }).catch((error: unknown) => {
    scripts.delete(src)
    throw error
  })
  scripts.set(src, loading)
  return loading
}

/** Adds Cloudflare's script once per page; a failed load can be tried again. */
export function loadTurnstileScript(): Promise<TurnstileApi> {
  return addScript(TURNSTILE_SCRIPT, () => window.turnstile)
}

/** Adds Yandex's script once per page; a failed load can be tried again. */
export function loadSmartCaptchaScript(): Promise<SmartCaptchaApi> {
  return addScript(SMARTCAPTCHA_SCRIPT, () => window.smartCaptcha, SMARTCAPTCHA_ONLOAD)
}

export interface CaptchaStampOptions {
  provider: CaptchaProvider
  siteKey: string
  /** Where the challenge shows when it needs the visitor: in the widget's shadow root. */
  container: HTMLElement
  language: string
  /** The providers' scripts; tests pass fakes. */
  loadTurnstile?: (() => Promise<TurnstileApi>) | undefined
  loadSmartCaptcha?: (() => Promise<SmartCaptchaApi>) | undefined
  /** How long to wait for a token, the script's load included (a visitor may have to solve a task). */
  timeoutMs?: number
}

/** A rendered provider widget: each `run` asks for the next token. */
type Challenge = { run(): void }
type Settle = (token: string | null) => void

async function renderTurnstile(options: CaptchaStampOptions, settle: Settle): Promise<Challenge | null> {
  const { siteKey, container, language, loadTurnstile = loadTurnstileScript } = options
  const api = await loadTurnstile()
  const id = api.render(container, {
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
  if (id === undefined) return null
  return {
    run() {
      // A used widget must be reset before it can issue the next token.
      api.reset(id)
      api.execute(id)
    },
  }
}

async function renderSmartCaptcha(options: CaptchaStampOptions, settle: Settle): Promise<Challenge | null> {
  const { siteKey, container, language, loadSmartCaptcha = loadSmartCaptchaScript } = options
  const api = await loadSmartCaptcha()
  const id = api.render(container, {
    sitekey: siteKey,
    invisible: true,
    hl: language,
    shieldPosition: 'bottom-left',
    // The docs' own callbacks check for an empty token; only a real one ends the wait.
    callback: (value) => value && settle(value),
  })
  api.subscribe(id, 'network-error', () => {
    console.warn('[leadcatcher] SmartCaptcha network error')
    settle(null)
  })
  return {
    run() {
      // Tokens are single-use: back to the initial state, then validate again.
      api.reset(id)
      api.execute(id)
    },
  }
}

/** A provider from a newer worker has none: its leads go without a token, flagged, not lost. */
const RENDERERS: Partial<Record<string, typeof renderTurnstile>> = { turnstile: renderTurnstile, smartcaptcha: renderSmartCaptcha }

/**
 * Returns a function that adds a fresh `captchaToken` to a lead. Tokens are single-use and live
 * five minutes, so each send (and each outbox retry) gets its own; the lead id keeps retries one
 * lead. When the captcha cannot run (blocked, offline, timed out) the lead goes without a token:
 * the worker stores it flagged, which is better than not sending it at all.
 *
 * @example
 * const stamp = createCaptchaStamp({ provider: 'smartcaptcha', siteKey, container, language: 'ru' })
 * await sendLead(endpoint, await stamp(lead))
 */
export function createCaptchaStamp(options: CaptchaStampOptions): (lead: LeadInput) => Promise<LeadInput> {
  const { provider, timeoutMs = 60_000 } = options
  const name = { turnstile: 'Turnstile', smartcaptcha: 'SmartCaptcha' }[provider] ?? provider
  let waiting: Settle | undefined
  const settle: Settle = (token) => {
    const done = waiting
    waiting = undefined
    done?.(token)
  }
  // Rendered once; a render that failed or gave no widget is tried again by the next send.
  let rendering: Promise<Challenge | null> | undefined
  const render = RENDERERS[provider]
  const challenge = () =>
    (rendering ??= (render ? render(options, settle) : Promise.reject(new Error(`unknown provider "${provider}"`))).then(
      (rendered) => {
        if (!rendered) rendering = undefined
        return rendered
      },
      (error: unknown) => {
        rendering = undefined
        throw error
      },
    ))
  // One challenge at a time: two forms sending at once share nothing but the widget.
  let queue: Promise<unknown> = Promise.resolve()

  const token = async (): Promise<string | null> => {
    const result = new Promise<string | null>((resolve) => {
      waiting = resolve
    })
    // Started before the script is asked for: a connection that stalls instead of failing (an ISP
    // throttling the provider) must not hold the lead longer than an unsolved task would.
    const timer = setTimeout(() => settle(null), timeoutMs)
    try {
      const ready = await Promise.race([challenge(), result.then(() => null)])
      if (!ready) return null
      ready.run()
      return await result
    } finally {
      waiting = undefined
      clearTimeout(timer)
    }
  }

  return (lead) => {
    const next = queue.then(async () => {
      const value = await token().catch((error: unknown) => {
        console.warn(`[leadcatcher] ${name} unavailable; sending without a token`, error)
        return null
      })
      return value ? { ...lead, captchaToken: value } : lead
    })
    queue = next.catch(() => {})
    return next
  }
}
