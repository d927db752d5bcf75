// Server-side captcha checks: Cloudflare Turnstile (siteverify) and Yandex SmartCaptcha (validate).
// Their verdict feeds the spam rules: a failed or missing token makes the lead spam, silently; a
// check that cannot run never costs a lead.
import type { LeadOutput } from '../../../shared/schemas/lead'
import { siteCaptcha } from '../../../shared/schemas/site-config'
import type { CaptchaProvider, SiteConfig } from '../../../shared/schemas/site-config'

export type CaptchaVerdict = 'passed' | 'failed' | 'missing' | 'unavailable'

export interface CaptchaOutcome {
  provider: CaptchaProvider
  verdict: CaptchaVerdict
}

const SITEVERIFY = 'https://challenges.cloudflare.com/turnstile/v0/siteverify'
export const SMARTCAPTCHA_VALIDATE = 'https://smartcaptcha.yandexcloud.net/validate'

export interface TurnstileCheck {
  secret: string
  token: string | undefined
  ip: string | null
  /** Makes a retried request return the first answer instead of "already spent". */
  idempotencyKey: string
  fetch: typeof fetch
  timeoutMs?: number
}

export interface CaptchaCheck extends TurnstileCheck {
  provider: CaptchaProvider
}

/**
 * Checks a lead's token against the site's captcha; `undefined` when the site uses none. Widgets
 * send `captchaToken`; those cached from before it send `turnstileToken`.
 *
 * @example
 * const captcha = await verifyLeadCaptcha(config, lead, meta.ip, fetch)
 * detectSpam({ ...signals, captcha })
 */
export async function verifyLeadCaptcha(
  config: SiteConfig,
  lead: Pick<LeadOutput, 'id' | 'captchaToken' | 'turnstileToken'>,
  ip: string | null,
  fetch: typeof globalThis.fetch,
): Promise<CaptchaOutcome | undefined> {
  const captcha = siteCaptcha(config)
  if (!captcha) return undefined
  const { provider, secret } = captcha
  const token = lead.captchaToken ?? lead.turnstileToken
  return { provider, verdict: await verifyCaptcha({ provider, secret, token, ip, idempotencyKey: lead.id, fetch }) }
}

export function verifyCaptcha({ provider, ...check }: CaptchaCheck): Promise<CaptchaVerdict> {
  return provider === 'smartcaptcha' ? verifySmartCaptcha(check) : verifyTurnstile(check)
}

export async function verifyTurnstile({ secret, token, ip, idempotencyKey, fetch, timeoutMs = 3000 }: TurnstileCheck): Promise<CaptchaVerdict> {
  if (!token) return 'missing'
  const form = new FormData()
  form.set('secret', secret)
  form.set('response', token)
  form.set('idempotency_key', idempotencyKey)
  if (ip) form.set('remoteip', ip)
  try {
    const response = await fetch(SITEVERIFY, { method: 'POST', body: form, signal: AbortSignal.timeout(timeoutMs) })
    if (!response.ok) return 'unavailable'
    const result = (await response.json()) as { success?: unknown }
    return result.success === true ? 'passed' : 'failed'
  } catch (error) {
    console.error('turnstile siteverify unreachable', error)
    return 'unavailable'
  }
}

/**
 * Yandex SmartCaptcha, per yandex.cloud docs smartcaptcha/operations/validate-captcha: POST
 * `secret`, `token` and `ip` (optional, "helps improve SmartCaptcha performance") as
 * x-www-form-urlencoded; the answer is `{ status: 'ok' | 'failed', message, host }`. Tokens are
 * single-use and live five minutes, and the API has no idempotency key: a retried request brings a
 * fresh token from the widget.
 */
export async function verifySmartCaptcha({ secret, token, ip, fetch, timeoutMs = 3000 }: TurnstileCheck): Promise<CaptchaVerdict> {
  if (!token) return 'missing'
  const body = new URLSearchParams({ secret, token })
  if (ip) body.set('ip', ip)
  try {
    const response = await fetch(SMARTCAPTCHA_VALIDATE, { method: 'POST', body, signal: AbortSignal.timeout(timeoutMs) })
    // The docs: "we recommend processing HTTP errors (response codes other than 200) as the
    // "status": "ok" service response", i.e. let the visitor through: the same as 'unavailable'.
    if (response.status !== 200) return 'unavailable'
    const result = (await response.json()) as { status?: unknown; message?: unknown }
    if (result.status === 'ok') return 'passed'
    if (result.status !== 'failed') {
      console.error('smartcaptcha validate gave an unknown answer', result)
      return 'unavailable'
    }
    // A documented request error, "Authentication failed. Secret has not provided.", is about our
    // server key, not the visitor: it would otherwise make every lead of the site spam.
    if (typeof result.message === 'string' && /^authentication failed/i.test(result.message)) {
      console.error('smartcaptcha refused the server key; check captcha.secret', result.message)
      return 'unavailable'
    }
    return 'failed'
  } catch (error) {
    console.error('smartcaptcha validate unreachable', error)
    return 'unavailable'
  }
}
