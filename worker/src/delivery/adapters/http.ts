// One outbound request for the CRM adapters: timeout, no redirects, and the answer read once.
import { parseRetryAfter } from '../retry-schedule'
import type { AdapterContext, AdapterResult } from './types'
import { scrubUrls } from '../url-credentials'

export interface Answer {
  status: number
  headers: Headers
  text: string
  /** The body parsed as JSON, or null when it is not JSON. */
  json: unknown
}

export type Exchange = { ok: true; answer: Answer } | { ok: false; result: AdapterResult }

/**
 * Sends and reads the answer; a network error or timeout becomes a retry result, since the
 * request may never have arrived.
 */
export async function exchange(ctx: AdapterContext, url: string, init: RequestInit): Promise<Exchange> {
  let response: Response
  try {
    // Redirects are not followed: a redirect could carry a token or body to a host nobody vetted.
    response = await ctx.fetch(url, {
      ...init,
      redirect: 'manual',
      signal: AbortSignal.timeout(ctx.timeoutMs),
    })
  } catch (error) {
    const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')
    const message = timedOut ? `no answer within ${ctx.timeoutMs} ms` : `request failed: ${scrubUrls(error instanceof Error ? error.message : String(error))}`
    return {
      ok: false,
      result: { outcome: 'retry', httpStatus: null, error: message, retryAfterSeconds: null },
    }
  }
  const text = await response.text().catch(() => '')
  let json: unknown = null
  try {
    json = text ? (JSON.parse(text) as unknown) : null
  } catch {
    json = null
  }
  return { ok: true, answer: { status: response.status, headers: response.headers, text, json } }
}

/** A field of a JSON object answer, or undefined. */
export function field(json: unknown, key: string): unknown {
  return json !== null && typeof json === 'object' && !Array.isArray(json) ? (json as Record<string, unknown>)[key] : undefined
}

/** The first 200 characters of a body, for the delivery log. */
export function snippet(text: string): string {
  return text.length > 200 ? `${text.slice(0, 200)}…` : text
}

/** The generic mapping for answers an adapter has no specific rule for: 2xx delivered, 429/5xx/timeouts retried, other 4xx permanent. */
export function genericOutcome(answer: Answer, ctx: AdapterContext, label: string, minRetrySeconds: number | null = null): AdapterResult {
  const { status } = answer
  if (status >= 200 && status < 300) return { outcome: 'delivered', httpStatus: status }
  const error = `${label}: HTTP ${status} ${snippet(answer.text)}`.trim()
  if (status === 408 || status === 429 || status >= 500 || (status >= 300 && status < 400)) {
    const asked = parseRetryAfter(answer.headers.get('Retry-After'), ctx.now())
    const floor = status === 429 ? minRetrySeconds : null
    return {
      outcome: 'retry',
      httpStatus: status,
      error,
      retryAfterSeconds: maxOrNull(asked, floor),
    }
  }
  return { outcome: 'failed', httpStatus: status, error }
}

export function maxOrNull(a: number | null, b: number | null): number | null {
  if (a === null) return b
  if (b === null) return a
  return Math.max(a, b)
}

/**
 * True when a result does not tell whether the provider accepted the message: no answer at all
 * (timeout, dropped connection) or a 500/502/504 from its servers or gateway. Twilio says so for
 * its own 500s: "if you retry the request, it is possible for a customer to receive multiple
 * messages" (twilio.com/docs/errors/20500). 429, 503 and 408 say the request was not taken.
 */
export function isAmbiguous(result: AdapterResult): boolean {
  return result.outcome === 'retry' && (result.httpStatus === null || [500, 502, 504].includes(result.httpStatus))
}

/**
 * For a send without a provider idempotency key: an ambiguous outcome becomes a permanent failure
 * that says why, since a retry could deliver the message twice; clear refusals and throttling are
 * returned unchanged.
 */
export function atMostOnce(result: AdapterResult, provider: string): AdapterResult {
  if (result.outcome !== 'retry' || !isAmbiguous(result)) return result
  return {
    outcome: 'failed',
    httpStatus: result.httpStatus,
    error:
      `outcome unknown (${result.error}); not retried: ${provider} has no idempotency key, so a ` +
      `retry could send the message twice. Check ${provider}'s log to see whether it went out.`,
  }
}
