// The new target types through the real worker: config validation, write-only secrets, the SSRF
// guard on customer URLs, and a lead delivered to Bitrix24, Telegram and an auto-reply at once.
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import * as v from 'valibot'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { SiteConfigSchema } from '../../shared/schemas/site-config'
import type { SiteConfigInput } from '../../shared/schemas/site-config'
import { createDeps } from '../../worker/src/cloudflare/deps'
import { attemptDelivery } from '../../worker/src/delivery/attempt-delivery'
import worker from '../../worker/src/cloudflare/index'
import { adminRequest, leadRequest, putSite, siteConfig, uniqueSite, validLead } from './helpers'

const BITRIX = {
  type: 'bitrix24',
  id: 'b24',
  webhookUrl: 'https://shop.bitrix24.ru/rest/1/k3y5ecr3tc0de/',
  assignedById: 1,
} as const
const TELEGRAM = {
  type: 'telegram',
  id: 'tg',
  botToken: '123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw',
  chatId: -1001234567890,
  webhookSecret: 'tg-webhook-secret-0123456789',
} as const
const AMO = {
  type: 'amocrm',
  id: 'amo',
  baseUrl: 'https://shop.amocrm.ru',
  token: 'long-lived-token-0123456789',
} as const
const HUBSPOT = {
  type: 'hubspot',
  id: 'hs',
  mode: 'contact',
  accessToken: 'pat-eu1-0123456789abcdef',
} as const
const EMAIL = {
  type: 'autoreply-email',
  id: 'reply',
  provider: { name: 'resend', apiKey: 're_0123456789abcdef' },
  from: 'hello@shop.example',
  company: 'Кухни Уют',
  templates: {
    ru: { subject: 'Заявка принята', text: '{name}, {company} перезвонит {callbackAt}.' },
  },
} as const
const SMS = {
  type: 'autoreply-sms',
  id: 'sms',
  provider: {
    name: 'twilio',
    accountSid: `AC${'0123456789abcdef'.repeat(2)}`,
    authToken: 'twilio-auth-token-1',
    from: '+15005550006',
  },
  company: 'Уют',
  templates: { en: { text: '{company} will call you' } },
} as const

afterEach(() => {
  vi.restoreAllMocks()
})

describe('site config', () => {
  it('accepts every new target type and reads them back with every secret redacted', async () => {
    const site = uniqueSite('adp')
    await putSite(
      site,
      siteConfig({
        targets: [BITRIX, TELEGRAM, AMO, HUBSPOT, EMAIL, SMS] as unknown as SiteConfigInput['targets'],
      }),
    )
    const response = await adminRequest('GET', `/v1/admin/sites/${site}`)
    const text = await response.text()
    for (const secret of [
      'tg-webhook-secret-0123456789',
      'k3y5ecr3tc0de',
      'AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw',
      'long-lived-token-0123456789',
      'pat-eu1-0123456789abcdef',
      're_0123456789abcdef',
      'twilio-auth-token-1',
    ]) {
      expect(text).not.toContain(secret)
    }
    const { config } = JSON.parse(text) as { config: { targets: Record<string, unknown>[] } }
    expect(config.targets[0]!.webhookUrl).toBe('https://shop.bitrix24.ru/rest/1/•••c0de/')
    expect(config.targets[1]!.botToken).toBe('123456789:•••Dsaw')
    expect(config.targets[2]!.token).toBe('•••6789')
    expect((config.targets[4]!.provider as { apiKey: string }).apiKey).toBe('•••cdef')
    expect((config.targets[5]!.provider as { authToken: string }).authToken).toBe('•••en-1')
  })

  it('refuses a Bitrix24 webhook URL on a private address, naming the field', async () => {
    const response = await adminRequest(
      'PUT',
      `/v1/admin/sites/${uniqueSite('adp')}`,
      siteConfig({
        targets: [{ ...BITRIX, webhookUrl: 'https://10.0.0.5/rest/1/abc/' }] as unknown as SiteConfigInput['targets'],
      }),
    )
    expect(response.status).toBe(400)
    const body = (await response.json()) as { error: { issues: { path: string }[] } }
    expect(body.error.issues).toContainEqual(expect.objectContaining({ path: 'targets.0.webhookUrl' }))
  })

  it('refuses amoCRM hosts that are not amoCRM or Kommo accounts, unknown fields and a HubSpot form without its GUID', async () => {
    const bad = [
      { ...AMO, baseUrl: 'https://evil.example' },
      { ...TELEGRAM, extra: true },
      { type: 'hubspot', mode: 'form', portalId: '1' },
    ]
    for (const target of bad) {
      const response = await adminRequest('PUT', `/v1/admin/sites/${uniqueSite('adp')}`, siteConfig({ targets: [target] as unknown as SiteConfigInput['targets'] }))
      expect(response.status).toBe(400)
    }
  })
})

describe('delivery through the worker', () => {
  it("sends one lead to Bitrix24, Telegram and the visitor's email, each to its own API", async () => {
    const site = uniqueSite('adp')
    await putSite(site, siteConfig({ targets: [BITRIX, TELEGRAM, EMAIL] as unknown as SiteConfigInput['targets'] }))
    const urls: string[] = []
    vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
      const request = new Request(input, init)
      urls.push(request.url)
      if (request.url.endsWith('crm.lead.list.json')) return Response.json({ result: [] })
      if (request.url.endsWith('crm.lead.add.json')) return Response.json({ result: 3465 })
      if (request.url.includes('api.telegram.org')) return Response.json({ ok: true, result: { message_id: 1 } })
      if (request.url === 'https://api.resend.com/emails') return Response.json({ id: 'e1' })
      return new Response('unexpected', { status: 500 })
    })
    const lead = validLead(site, {
      contact: { name: 'Анна', phone: '+7 912 345-67-00', email: 'anna@example.ru' },
    })
    const ctx = createExecutionContext()
    const response = await worker.fetch(leadRequest(lead), env, ctx)
    await waitOnExecutionContext(ctx)
    expect(response.status).toBe(201)
    expect(urls.sort()).toEqual(
      [
        'https://api.resend.com/emails',
        `https://api.telegram.org/bot${TELEGRAM.botToken}/sendMessage`,
        `${BITRIX.webhookUrl}crm.lead.add.json`,
        `${BITRIX.webhookUrl}crm.lead.list.json`,
      ].sort(),
    )
    const { results } = await env.DB.prepare('SELECT target_id, status FROM deliveries WHERE lead_id = ? ORDER BY target_id').bind(lead.id).all()
    expect(results).toEqual([
      { target_id: 'b24', status: 'delivered' },
      { target_id: 'reply', status: 'delivered' },
      { target_id: 'tg', status: 'delivered' },
    ])
  })

  it('retries a throttled Bitrix24 delivery no sooner than 2 s and an auto-reply with the same Idempotency-Key', async () => {
    const site = uniqueSite('adp')
    await putSite(site, siteConfig({ targets: [BITRIX, EMAIL] as unknown as SiteConfigInput['targets'] }))
    const keys: string[] = []
    let resendCalls = 0
    vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
      const request = new Request(input, init)
      if (request.url.includes('bitrix24')) return Response.json({ error: 'QUERY_LIMIT_EXCEEDED', error_description: 'Too many requests' }, { status: 503 })
      keys.push(request.headers.get('Idempotency-Key') ?? '')
      resendCalls++
      return resendCalls === 1 ? new Response('{"name":"internal_server_error"}', { status: 500 }) : Response.json({ id: 'e1' })
    })
    const lead = validLead(site, {
      contact: { name: 'Анна', phone: '+7 912 345-67-01', email: 'anna@example.ru' },
    })
    const before = Date.now()
    const ctx = createExecutionContext()
    await worker.fetch(leadRequest(lead), env, ctx)
    await waitOnExecutionContext(ctx)

    const rows = (
      await env.DB.prepare('SELECT id, target_id, status, next_attempt_at, last_error FROM deliveries WHERE lead_id = ?').bind(lead.id).all<{
        id: string
        target_id: string
        status: string
        next_attempt_at: number
        last_error: string
      }>()
    ).results
    const bitrix = rows.find((r) => r.target_id === 'b24')!
    expect(bitrix.status).toBe('pending')
    expect(bitrix.last_error).toContain('QUERY_LIMIT_EXCEEDED')
    expect(bitrix.next_attempt_at - before).toBeGreaterThanOrEqual(2000)

    const reply = rows.find((r) => r.target_id === 'reply')!
    const deps = { ...createDeps(env), now: () => reply.next_attempt_at + 1 }
    expect(await attemptDelivery(deps, reply.id)).toEqual({ kind: 'delivered' })
    expect(keys).toEqual([`lead/${lead.id}`, `lead/${lead.id}`])
  })

  it('refuses at send time a customer URL on a private address that got into a stored config', async () => {
    // As if stored while ALLOW_PRIVATE_TARGETS was on: the admin check is skipped, the send-time one is not.
    const site = uniqueSite('adp')
    const config = v.parse(
      SiteConfigSchema,
      siteConfig({
        targets: [{ ...BITRIX, webhookUrl: 'https://169.254.169.254/rest/1/abc/' }] as unknown as SiteConfigInput['targets'],
      }),
    )
    await createDeps(env).sites.putSite(site, config, Date.now())
    const fetchSpy = vi.spyOn(globalThis, 'fetch')
    const lead = validLead(site)
    const ctx = createExecutionContext()
    expect((await worker.fetch(leadRequest(lead), env, ctx)).status).toBe(201)
    await waitOnExecutionContext(ctx)
    expect(fetchSpy).not.toHaveBeenCalled()
    const row = await env.DB.prepare('SELECT status, last_error FROM deliveries WHERE lead_id = ?').bind(lead.id).first()
    expect(row).toEqual({ status: 'failed', last_error: 'target URL points to a private address' })
  })
})
