// Tests for the server-side captcha checks with a stubbed fetch: SmartCaptcha's validate answers,
// the policy when a check cannot run, and that Turnstile's siteverify request is as before.
import { afterEach, describe, expect, it, vi } from 'vitest'
import * as v from 'valibot'
import { SiteConfigSchema } from '../../../shared/schemas/site-config'
import type { SiteConfig } from '../../../shared/schemas/site-config'
import { SMARTCAPTCHA_VALIDATE, verifyCaptcha, verifyLeadCaptcha } from './verify-captcha'

const SECRET = 'ysc2_0123456789abcdefghijSECRET'
const LEAD_ID = '0b7c4a52-1f7e-4a51-9d55-3e1c2f0a9b11'

/** A fetch that records each request and answers with `answer`. */
function stubFetch(answer: (request: Request) => Response | Promise<Response>) {
  const requests: Request[] = []
  const fetch = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init)
    requests.push(request.clone())
    return answer(request)
  }) as unknown as typeof globalThis.fetch
  return { fetch, requests }
}

const smartcaptcha = (fetch: typeof globalThis.fetch, { token = 'ysc-token' as string | undefined, ip = '203.0.113.5' as string | null } = {}) =>
  verifyCaptcha({ provider: 'smartcaptcha', secret: SECRET, token, ip, idempotencyKey: LEAD_ID, fetch })

afterEach(() => {
  vi.restoreAllMocks()
})

describe('verifyCaptcha for SmartCaptcha', () => {
  it('passes on status ok', async () => {
    const { fetch } = stubFetch(() => Response.json({ status: 'ok', message: '', host: 'shop.example' }))
    expect(await smartcaptcha(fetch)).toBe('passed')
  })

  it('fails on status failed: a robot, or a fake, spent or expired token', async () => {
    for (const message of ['', 'Token invalid or expired.']) {
      const { fetch } = stubFetch(() => Response.json({ status: 'failed', message }))
      expect(await smartcaptcha(fetch)).toBe('failed')
    }
  })

  it('is missing without a token, and asks nobody', async () => {
    const { fetch } = stubFetch(() => Response.json({ status: 'ok' }))
    expect(await verifyCaptcha({ provider: 'smartcaptcha', secret: SECRET, token: undefined, ip: null, idempotencyKey: LEAD_ID, fetch })).toBe('missing')
    expect(await smartcaptcha(fetch, { token: '' })).toBe('missing')
    expect(fetch).not.toHaveBeenCalled()
  })

  it('POSTs secret, token and ip form-encoded to the validate URL', async () => {
    const { fetch, requests } = stubFetch(() => Response.json({ status: 'ok', message: '', host: 'shop.example' }))
    await smartcaptcha(fetch)
    expect(requests).toHaveLength(1)
    const [request] = requests
    expect(request?.url).toBe(SMARTCAPTCHA_VALIDATE)
    expect(SMARTCAPTCHA_VALIDATE).toBe('https://smartcaptcha.yandexcloud.net/validate')
    expect(request?.method).toBe('POST')
    expect(request?.headers.get('Content-Type')).toMatch(/^application\/x-www-form-urlencoded/)
    expect(Object.fromEntries((await request!.formData()).entries())).toEqual({ secret: SECRET, token: 'ysc-token', ip: '203.0.113.5' })
  })

  it('leaves ip out when the visitor’s address is unknown', async () => {
    const { fetch, requests } = stubFetch(() => Response.json({ status: 'ok' }))
    await smartcaptcha(fetch, { ip: null })
    expect(Object.fromEntries((await requests[0]!.formData()).entries())).toEqual({ secret: SECRET, token: 'ysc-token' })
  })

  it('is unavailable, never failed, when the check cannot run: network error, timeout, 5xx, other non-200, odd body', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {})
    const answers: (() => Response | Promise<Response>)[] = [
      () => Promise.reject(new TypeError('Network connection lost')),
      () => Promise.reject(new DOMException('The operation was aborted due to timeout', 'TimeoutError')),
      () => new Response('Bad gateway', { status: 502 }),
      () => new Response('Service Unavailable', { status: 503 }),
      // Yandex: treat answers other than 200 as "status": "ok" (not to keep visitors waiting).
      () => Response.json({ status: 'failed', message: 'Too many requests' }, { status: 429 }),
      () => Response.json({ status: 'failed', message: 'Forbidden' }, { status: 403 }),
      () => new Response('<html>proxy error</html>', { status: 200 }),
      () => Response.json({ result: 'who knows' }),
    ]
    for (const answer of answers) {
      const { fetch } = stubFetch(answer)
      expect(await smartcaptcha(fetch)).toBe('unavailable')
    }
  })

  it('gives up after the timeout', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {})
    const fetch = ((_input: RequestInfo | URL, init?: RequestInit) =>
      new Promise<Response>((_resolve, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal?.reason)))) as typeof globalThis.fetch
    const verdict = await verifyCaptcha({ provider: 'smartcaptcha', secret: SECRET, token: 't', ip: null, idempotencyKey: LEAD_ID, fetch, timeoutMs: 20 })
    expect(verdict).toBe('unavailable')
  })

  it('is unavailable when Yandex refuses our server key: a config mistake must not make every lead spam', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {})
    const { fetch } = stubFetch(() => Response.json({ status: 'failed', message: 'Authentication failed. Secret has not provided.' }))
    expect(await smartcaptcha(fetch)).toBe('unavailable')
    expect(error).toHaveBeenCalledWith(expect.stringContaining('check captcha.secret'), expect.any(String))
  })
})

describe('verifyCaptcha for Turnstile', () => {
  it('POSTs siteverify the form it always did and reads success', async () => {
    const { fetch, requests } = stubFetch(() => Response.json({ success: true }))
    const verdict = await verifyCaptcha({ provider: 'turnstile', secret: 'cf-secret', token: 'cf-token', ip: '203.0.113.5', idempotencyKey: LEAD_ID, fetch })
    expect(verdict).toBe('passed')
    expect(requests[0]?.url).toBe('https://challenges.cloudflare.com/turnstile/v0/siteverify')
    expect(Object.fromEntries((await requests[0]!.formData()).entries())).toEqual({
      secret: 'cf-secret',
      response: 'cf-token',
      idempotency_key: LEAD_ID,
      remoteip: '203.0.113.5',
    })
  })

  it('fails on success false, and is unavailable on a non-2xx answer', async () => {
    const refused = stubFetch(() => Response.json({ success: false, 'error-codes': ['invalid-input-response'] }))
    expect(await verifyCaptcha({ provider: 'turnstile', secret: 's', token: 't', ip: null, idempotencyKey: LEAD_ID, fetch: refused.fetch })).toBe('failed')
    const down = stubFetch(() => new Response(null, { status: 500 }))
    expect(await verifyCaptcha({ provider: 'turnstile', secret: 's', token: 't', ip: null, idempotencyKey: LEAD_ID, fetch: down.fetch })).toBe('unavailable')
  })
})

describe('verifyLeadCaptcha', () => {
  const config = (captcha: object) => v.parse(SiteConfigSchema, { origins: ['https://shop.example'], ...captcha })

  it('is undefined for a site without a captcha, and asks nobody', async () => {
    const { fetch } = stubFetch(() => Response.json({ status: 'ok' }))
    expect(await verifyLeadCaptcha(config({}), { id: LEAD_ID }, null, fetch)).toBeUndefined()
    expect(fetch).not.toHaveBeenCalled()
  })

  it('checks captchaToken, or turnstileToken from an older widget, with the site’s provider', async () => {
    const smart = config({ captcha: { provider: 'smartcaptcha', siteKey: 'ysc1_client', secret: SECRET } })
    const { fetch, requests } = stubFetch(() => Response.json({ status: 'ok' }))
    expect(await verifyLeadCaptcha(smart, { id: LEAD_ID, captchaToken: 'new', turnstileToken: 'old' }, null, fetch)).toEqual({ provider: 'smartcaptcha', verdict: 'passed' })
    expect(await verifyLeadCaptcha(smart, { id: LEAD_ID, turnstileToken: 'old' }, null, fetch)).toEqual({ provider: 'smartcaptcha', verdict: 'passed' })
    const tokens = await Promise.all(requests.map(async (r) => (await r.formData()).get('token')))
    expect(tokens).toEqual(['new', 'old'])
  })

  it('reads a config stored with the older turnstile key', async () => {
    const stored = { ...config({}), turnstile: { siteKey: '1x00000000000000000000AA', secret: 'cf-secret' } } as SiteConfig
    const { fetch, requests } = stubFetch(() => Response.json({ success: false }))
    expect(await verifyLeadCaptcha(stored, { id: LEAD_ID, turnstileToken: 't' }, null, fetch)).toEqual({ provider: 'turnstile', verdict: 'failed' })
    expect(requests[0]?.url).toBe('https://challenges.cloudflare.com/turnstile/v0/siteverify')
  })
})
