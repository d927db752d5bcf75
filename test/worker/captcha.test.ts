// Yandex SmartCaptcha beside Turnstile through the real worker and its database (both runtimes): the ingest verdicts, the
// site config's captcha forms, redacted reads and the public config.
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { afterEach, describe, expect, it, vi } from 'vitest'
import worker from '../../worker/src/cloudflare/index'
import type { LeadInput } from '../../shared/schemas/lead'
import { ORIGIN, WEBHOOK_TARGET, adminRequest, fromIp, leadRequest, putSite, siteConfig, uniqueSite, validLead } from './helpers'

const VALIDATE = 'https://smartcaptcha.yandexcloud.net/validate'
const SITE_KEY = 'ysc1_0123456789abcdefghijCLIENT'
const SECRET = 'ysc2_0123456789abcdefghijSERVER'
const VISITOR_IP = '203.0.113.7'

afterEach(() => {
  vi.restoreAllMocks()
})

/** Plays SmartCaptcha's validate ('ok'/'failed' by token, or down) and records what the worker sent; any other fetch gets 204. */
function validate(answer: 'by-token' | 'down') {
  const calls: { method: string; form: Record<string, string> }[] = []
  vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
    const request = new Request(input, init)
    if (request.url !== VALIDATE) return new Response(null, { status: 204 })
    calls.push({ method: request.method, form: Object.fromEntries((await request.formData()).entries()) as Record<string, string> })
    if (answer === 'down') return new Response('Service Unavailable', { status: 503 })
    return calls.at(-1)?.form.token === 'human'
      ? Response.json({ status: 'ok', message: '', host: 'shop.example' })
      : Response.json({ status: 'failed', message: 'Token invalid or expired.' })
  })
  return calls
}

async function smartCaptchaSite() {
  const site = uniqueSite('ysc')
  await putSite(site, siteConfig({ targets: [WEBHOOK_TARGET], captcha: { provider: 'smartcaptcha', siteKey: SITE_KEY, secret: SECRET } }))
  return site
}

async function post(lead: LeadInput) {
  const ctx = createExecutionContext()
  const request = fromIp(leadRequest(lead), VISITOR_IP)
  const response = await worker.fetch(request, env, ctx)
  await waitOnExecutionContext(ctx)
  return response
}

async function stored(id: string) {
  const row = await env.DB.prepare('SELECT status, flags FROM leads WHERE id = ?').bind(id).first<{ status: string; flags: string | null }>()
  const deliveries = await env.DB.prepare('SELECT COUNT(*) AS n FROM deliveries WHERE lead_id = ?').bind(id).first<{ n: number }>()
  return { status: row?.status, flags: row?.flags ? (JSON.parse(row.flags) as { code: string; detail: string }[]) : [], deliveries: deliveries?.n }
}

function publicConfigOf(site: string) {
  return worker.fetch(new Request(`https://worker.test/v1/sites/${site}/config`, { headers: { Origin: ORIGIN } }), env, createExecutionContext())
}

describe('ingest on a SmartCaptcha site', () => {
  it('accepts and forwards a lead whose token validates, having sent secret, token and the visitor’s IP', async () => {
    const site = await smartCaptchaSite()
    const calls = validate('by-token')
    const lead = validLead(site, { captchaToken: 'human' })
    const response = await post(lead)
    expect(response.status).toBe(201)
    expect(calls).toEqual([{ method: 'POST', form: { secret: SECRET, token: 'human', ip: VISITOR_IP } }])
    expect(await stored(lead.id)).toMatchObject({ status: 'accepted', flags: [], deliveries: 1 })
  })

  it('stores a refused token as spam, never forwarded, and answers it like an accepted lead', async () => {
    const site = await smartCaptchaSite()
    validate('by-token')
    const human = validLead(site, { captchaToken: 'human' })
    const bot = validLead(site, { captchaToken: 'forged', contact: { name: 'Анна', phone: human.contact.phone! } })
    const accepted = (await (await post(human)).json()) as Record<string, unknown>
    const refused = await post(bot)
    expect(refused.status).toBe(201)
    const body = (await refused.json()) as Record<string, unknown>
    expect(Object.keys(body).sort()).toEqual(Object.keys(accepted).sort())
    expect(body).toMatchObject({ id: bot.id, status: 'accepted', reply: accepted.reply })
    expect(await stored(bot.id)).toEqual({
      status: 'spam',
      flags: [{ code: 'turnstile_failed', detail: 'the SmartCaptcha token was refused' }],
      deliveries: 0,
    })
  })

  it('stores a lead without a token as spam, asking Yandex nothing', async () => {
    const site = await smartCaptchaSite()
    const calls = validate('by-token')
    const lead = validLead(site)
    expect((await post(lead)).status).toBe(201)
    expect(calls).toEqual([])
    expect(await stored(lead.id)).toMatchObject({ status: 'spam', flags: [{ code: 'turnstile_failed', detail: 'no SmartCaptcha token was sent' }] })
  })

  it('keeps the lead when validate is down', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {})
    const site = await smartCaptchaSite()
    validate('down')
    const lead = validLead(site, { captchaToken: 'forged' })
    expect((await post(lead)).status).toBe(201)
    expect(await stored(lead.id)).toMatchObject({ status: 'accepted', flags: [], deliveries: 1 })
  })

  it('takes the token from an older widget’s turnstileToken too', async () => {
    const site = await smartCaptchaSite()
    const calls = validate('by-token')
    const lead = validLead(site, { turnstileToken: 'human' })
    expect((await post(lead)).status).toBe(201)
    expect(calls[0]?.form.token).toBe('human')
    expect((await stored(lead.id)).status).toBe('accepted')
  })
})

describe('captcha in the site config', () => {
  it('refuses captcha and turnstile together with 400, naming captcha', async () => {
    const site = uniqueSite('ysc')
    const response = await adminRequest(
      'PUT',
      `/v1/admin/sites/${site}`,
      siteConfig({ captcha: { provider: 'smartcaptcha', siteKey: SITE_KEY, secret: SECRET }, turnstile: { siteKey: '1x00000000000000000000AA', secret: 's' } }),
    )
    expect(response.status).toBe(400)
    const body = (await response.json()) as { error: { code: string; issues: { path: string; message: string }[] } }
    expect(body.error.code).toBe('validation_failed')
    expect(body.error.issues).toEqual([{ path: 'captcha', code: 'invalid', message: expect.stringContaining('not both') }])
    expect((await adminRequest('GET', `/v1/admin/sites/${site}`)).status).toBe(404)
  })

  it('reads back captcha with the secret redacted', async () => {
    const site = await smartCaptchaSite()
    const text = await (await adminRequest('GET', `/v1/admin/sites/${site}`)).text()
    expect(text).not.toContain(SECRET)
    const { config } = JSON.parse(text) as { config: Record<string, unknown> }
    expect(config.captcha).toEqual({ provider: 'smartcaptcha', siteKey: SITE_KEY, secret: '•••RVER' })
  })

  it('keeps the stored secret when a redacted read is PUT back as it was', async () => {
    const site = uniqueSite('ysc')
    await putSite(site, siteConfig({ captcha: { provider: 'smartcaptcha', siteKey: SITE_KEY, secret: SECRET } }))
    const { config } = (await (await adminRequest('GET', `/v1/admin/sites/${site}`)).json()) as { config: Record<string, unknown> }
    expect((await adminRequest('PUT', `/v1/admin/sites/${site}`, config)).status).toBe(200)
    const calls = validate('by-token')
    await post(validLead(site, { captchaToken: 'human' }))
    expect(calls[0]?.form.secret).toBe(SECRET)
  })

  it('turns the older turnstile form into captcha on write', async () => {
    const site = uniqueSite('ts')
    await putSite(site, siteConfig({ turnstile: { siteKey: '1x00000000000000000000AA', secret: '1x0000000000000000000000000000000AA' } }))
    const { config } = (await (await adminRequest('GET', `/v1/admin/sites/${site}`)).json()) as { config: Record<string, unknown> }
    expect(config.captcha).toEqual({ provider: 'turnstile', siteKey: '1x00000000000000000000AA', secret: '•••00AA' })
    expect(config).not.toHaveProperty('turnstile')
  })

  it('publishes the provider and site key only', async () => {
    const site = await smartCaptchaSite()
    const response = await publicConfigOf(site)
    const body = (await response.json()) as Record<string, unknown>
    expect(body).toMatchObject({ captcha: { provider: 'smartcaptcha', siteKey: SITE_KEY }, turnstileSiteKey: null })
    expect(JSON.stringify(body)).not.toContain(SECRET)
  })
})

describe('a site stored before captcha existed', () => {
  const LEGACY_SECRET = '2x0000000000000000000000000000000AA'

  /** Writes the row as the older worker did: parsed config JSON with `turnstile`, no `captcha`. */
  async function legacySite() {
    const site = uniqueSite('old')
    const config = { origins: [ORIGIN], country: 'RU', locale: 'ru', targets: [], turnstile: { siteKey: '1x00000000000000000000AA', secret: LEGACY_SECRET } }
    await env.DB.batch([
      env.DB.prepare('INSERT INTO sites (id, config, created_at, updated_at) VALUES (?1, ?2, ?3, ?3)').bind(site, JSON.stringify(config), Date.now()),
      env.DB.prepare('INSERT INTO site_origins (origin, site_id) VALUES (?, ?)').bind(ORIGIN, site),
    ])
    return site
  }

  it('still checks Turnstile, publishes its key both ways and never shows its secret', async () => {
    const site = await legacySite()
    const forms: Record<string, string>[] = []
    vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
      const request = new Request(input, init)
      if (!request.url.startsWith('https://challenges.cloudflare.com/turnstile/v0/siteverify')) return new Response(null, { status: 204 })
      forms.push(Object.fromEntries((await request.formData()).entries()) as Record<string, string>)
      return Response.json({ success: false, 'error-codes': ['invalid-input-response'] })
    })
    const lead = validLead(site, { turnstileToken: 'XXXX.DUMMY.TOKEN.XXXX', consent: undefined })
    expect((await post(lead)).status).toBe(201)
    expect(forms[0]).toMatchObject({ secret: LEGACY_SECRET, response: 'XXXX.DUMMY.TOKEN.XXXX' })
    expect((await stored(lead.id)).flags).toEqual([{ code: 'turnstile_failed', detail: 'the Turnstile token was refused' }])

    expect(await (await publicConfigOf(site)).json()).toMatchObject({
      captcha: { provider: 'turnstile', siteKey: '1x00000000000000000000AA' },
      turnstileSiteKey: '1x00000000000000000000AA',
    })
    const text = await (await adminRequest('GET', `/v1/admin/sites/${site}`)).text()
    expect(text).not.toContain(LEGACY_SECRET)
    const { config } = JSON.parse(text) as { config: Record<string, unknown> }
    expect(config.captcha).toEqual({ provider: 'turnstile', siteKey: '1x00000000000000000000AA', secret: '•••00AA' })
    expect(config).not.toHaveProperty('turnstile')
  })
})
