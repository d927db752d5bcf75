// Server-side Cloudflare Turnstile check (siteverify). Its verdict feeds the spam rules: a failed
// or missing token makes the lead spam, silently; an unreachable siteverify never costs a lead.
export type TurnstileVerdict = 'passed' | 'failed' | 'missing' | 'unavailable'

const SITEVERIFY = 'https://challenges.cloudflare.com/turnstile/v0/siteverify'

export interface TurnstileCheck {
  secret: string
  token: string | undefined
  ip: string | null
  /** Makes a retried request return the first answer instead of "already spent". */
  idempotencyKey: string
  fetch: typeof fetch
  timeoutMs?: number
}

export async function verifyTurnstile({ secret, token, ip, idempotencyKey, fetch, timeoutMs = 3000 }: TurnstileCheck): Promise<TurnstileVerdict> {
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
