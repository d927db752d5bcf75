// "Send a test lead" (issue 15): POST /v1/admin/sites/:site/test-leads stores a lead marked test,
// makes a real, signed delivery attempt while the request waits and answers what the target said
// (secrets removed); test leads stay out of stats, speed-to-lead, the digest and junk-spike alerts,
// and a visitor cannot mark a lead as a test. The target is a local stand-in answering through the
// fetch every adapter uses. Both runtimes.
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { Webhook } from 'standardwebhooks'
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import worker from '../../worker/src/cloudflare/index'
import { createDeps } from '../../worker/src/cloudflare/deps'
import { ADMIN_TOKEN, WEBHOOK_SECRET, WEBHOOK_TARGET, adminRequest, errorCode, leadRequest, putSite, siteConfig, uniqueSite, validLead } from './helpers'

const deps = createDeps(env)
const site = uniqueSite('tlead')
const other = uniqueSite('tlead-other')
const BOT = '123456:ABCdefGHIjklMNOpqrSTUvwxYZ0123456789'
/** A URL whose query carries a key, as some CRMs' inbound webhooks do. */
const KEYED = { type: 'webhook', id: 'keyed', url: 'https://hooks.example/in?api_key=k3y-0f-the-crm-42', secret: WEBHOOK_SECRET } as const
const SMS = { type: 'autoreply-sms', id: 'sms', company: 'Shop', provider: { name: 'dev', url: 'https://outbox.example/send' }, templates: { ru: { text: 'Спасибо!' } } } as const

interface Sent {
  url: string
  headers: Record<string, string>
  body: string
}
let sent: Sent[] = []

/** The local stand-in for every target: records the request, answers `answer(url)`. */
function target(answer: (url: string) => Response = () => Response.json({ ok: true, id: 'crm-lead-1' })) {
  vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
    const request = new Request(input, init)
    sent.push({ url: request.url, headers: Object.fromEntries(request.headers), body: await request.text() })
    return answer(request.url)
  })
}

interface Answer {
  leadId: string
  deliveries: { targetId: string; type: string; status: string; httpStatus?: number; excerpt: string; durationMs: number }[]
}

/** Runs a request and whatever it left in the background. */
async function run(request: Request): Promise<Response> {
  const ctx = createExecutionContext()
  const response = await worker.fetch(request, env, ctx)
  await waitOnExecutionContext(ctx)
  return response
}

function testLead(body: unknown, siteKey = site, token: string | null = ADMIN_TOKEN): Promise<Response> {
  const headers: Record<string, string> = { 'Content-Type': 'application/json' }
  if (token !== null) headers.Authorization = `Bearer ${token}`
  return run(new Request(`https://worker.test/v1/admin/sites/${siteKey}/test-leads`, { method: 'POST', headers, body: JSON.stringify(body) }))
}

async function detail(id: string) {
  return (await (await adminRequest('GET', `/v1/admin/leads/${id}`)).json()) as Record<string, unknown> & {
    test?: boolean
    contact: { name?: string; phone?: string }
    deliveries: { targetId: string; status: string; log: { httpStatus: number | null; outcome: string }[] }[]
  }
}

beforeAll(async () => {
  await putSite(
    site,
    siteConfig({
      targets: [WEBHOOK_TARGET, KEYED, { type: 'telegram', id: 'managers', botToken: BOT, chatId: -1001234567890 } as never, SMS as never],
      rateLimits: { perPhonePerHour: 1000, perSitePerMinute: 10_000 },
      quality: { windowLeads: 5, thresholdPercent: 40 },
    }),
  )
  await putSite(other, siteConfig({ targets: [WEBHOOK_TARGET] }))
})

afterEach(() => {
  vi.restoreAllMocks()
  sent = []
})

describe('POST /v1/admin/sites/:site/test-leads', () => {
  it('stores a made-up test lead and delivers it to the chosen target at once, signed and marked test: true', async () => {
    target()
    const response = await testLead({ targetId: 'crm' })
    expect(response.status).toBe(201)
    const body = (await response.json()) as Answer
    expect(body.deliveries).toEqual([
      { targetId: 'crm', type: 'webhook', status: 'delivered', httpStatus: 200, excerpt: '{"ok":true,"id":"crm-lead-1"}', durationMs: expect.any(Number) },
    ])
    // Only the chosen target was called, with a Standard Webhooks signature over a body that says test.
    expect(sent.map((s) => s.url)).toEqual([WEBHOOK_TARGET.url])
    const event = new Webhook(WEBHOOK_SECRET).verify(sent[0]!.body, sent[0]!.headers) as { type: string; data: Record<string, unknown> }
    expect(event.type).toBe('lead.created')
    expect(event.data).toMatchObject({ id: body.leadId, site, test: true, contact: { name: 'Тест Тестов (Leadcatcher)', phone: '+79123456789' } })

    // Stored as a test lead, its attempt in the delivery log as any other.
    const stored = await detail(body.leadId)
    expect(stored.test).toBe(true)
    expect(stored.deliveries).toEqual([
      expect.objectContaining({ targetId: 'crm', status: 'delivered', log: [expect.objectContaining({ httpStatus: 200, outcome: 'delivered' })] }),
    ])
  })

  it('without a target goes to every target that does not reach the visitor, and marks the Telegram card TEST', async () => {
    target((url) => (url.includes('api.telegram.org') ? Response.json({ ok: true, result: { message_id: 7 } }) : new Response('accepted')))
    const body = (await (await testLead({})).json()) as Answer
    expect(body.deliveries.map((d) => [d.targetId, d.status])).toEqual([
      ['crm', 'delivered'],
      ['keyed', 'delivered'],
      ['managers', 'delivered'],
    ])
    expect(sent.some((s) => s.url.includes('outbox.example'))).toBe(false)
    const card = JSON.parse(sent.find((s) => s.url.includes('api.telegram.org'))!.body) as { text: string }
    expect(card.text.split('\n')[0]).toBe('<b>🧪 ТЕСТ: проверка доставки, перезванивать не нужно</b>')
  })

  it('shows what the target answered without the secrets it may echo', async () => {
    target(() => new Response(`refused: key k3y-0f-the-crm-42 from https://hooks.example/in?api_key=k3y-0f-the-crm-42 ${'x'.repeat(500)}`, { status: 422 }))
    const body = (await (await testLead({ targetId: 'keyed' })).json()) as Answer
    const [delivery] = body.deliveries
    expect(delivery).toMatchObject({ targetId: 'keyed', status: 'retrying', httpStatus: 422 })
    // The whole keyed URL is the target's secret, so it goes as a whole.
    expect(delivery!.excerpt).toMatch(/^HTTP 422 refused: key ••• from ••• x+/)
    expect(delivery!.excerpt.length).toBeLessThanOrEqual(300)
    expect(JSON.stringify(body)).not.toContain('k3y-0f-the-crm-42')
  })

  it('takes the lead it is given (the live preview’s), validated as the public lead body', async () => {
    target()
    const lead = validLead(site, { contact: { name: 'Пётр из превью', phone: '8 912 000-11-22' } })
    const response = await testLead({ targetId: 'crm', lead })
    expect(response.status).toBe(201)
    expect(((await response.json()) as Answer).leadId).toBe(lead.id)
    expect(JSON.parse(sent[0]!.body).data).toMatchObject({ id: lead.id, test: true, contact: { name: 'Пётр из превью', phone: '+79120001122' } })

    const bad = await testLead({ targetId: 'crm', lead: { ...lead, id: 'nope', source: 'fax' }, extra: 1 })
    expect(bad.status).toBe(400)
    const error = ((await bad.json()) as { error: { code: string; issues: { path: string }[] } }).error
    expect(error.code).toBe('validation_failed')
    expect(error.issues.map((i) => i.path).sort()).toEqual(['extra', 'lead.id', 'lead.source'])
    const badPhone = await testLead({ targetId: 'crm', lead: validLead(site, { contact: { name: 'Пётр', phone: '12' } }) })
    expect(badPhone.status).toBe(400)
    expect(await badPhone.json()).toMatchObject({ error: { code: 'invalid_phone', issues: [{ path: 'lead.contact.phone' }] } })
    const elsewhere = await testLead({ lead: validLead(other) })
    expect(elsewhere.status).toBe(400)
    expect(await elsewhere.json()).toMatchObject({ error: { issues: [{ path: 'lead.site' }] } })
  })

  it('answers 404 for an unknown target, and asks for a real contact before writing to the visitor', async () => {
    target()
    const unknown = await testLead({ targetId: 'nowhere' })
    expect(unknown.status).toBe(404)
    expect(await errorCode(unknown)).toBe('unknown_target')
    const sms = await testLead({ targetId: 'sms' })
    expect(sms.status).toBe(400)
    expect(await errorCode(sms)).toBe('lead_required')
    expect(sent).toEqual([])
  })

  it('is for the operator and the site’s own token; another site’s token and no token are refused', async () => {
    target()
    const made = await adminRequest('POST', `/v1/admin/sites/${site}/tokens`, { label: 'test leads' })
    const { token } = (await made.json()) as { token: string }
    expect((await testLead({ targetId: 'crm' }, site, token)).status).toBe(201)
    expect((await testLead({ targetId: 'crm' }, other, token)).status).toBe(404)
    expect((await testLead({ targetId: 'crm' }, site, null)).status).toBe(401)
  })
})

describe('test leads are counted nowhere', () => {
  const range = 'from=2000-01-01&to=2100-01-01'
  const stats = async (siteKey: string) => (await (await adminRequest('GET', `/v1/admin/stats?site=${siteKey}&by=campaign&${range}`)).json()) as Record<string, unknown>

  it('leave the source report, speed-to-lead and the digest as the real leads make them', async () => {
    const counted = uniqueSite('tlead-stats')
    await putSite(counted, siteConfig({ targets: [WEBHOOK_TARGET], rateLimits: { perPhonePerHour: 1000, perSitePerMinute: 10_000 } }))
    target()
    for (let i = 0; i < 3; i++) expect((await run(leadRequest(validLead(counted)))).status).toBe(201)
    // Spend on the leads' campaign (yandex / spring): cost per lead is over the real leads only.
    const spend = await run(
      new Request(`https://worker.test/v1/admin/sites/${counted}/spend`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, 'Content-Type': 'text/csv; charset=utf-8' },
        body: `date,utm_source,utm_campaign,cost,currency\n${new Date().toISOString().slice(0, 10)},yandex,spring,3000,RUB\n`,
      }),
    )
    expect(spend.status).toBeLessThan(300)
    const trend = async () => (await adminRequest('GET', `/v1/admin/stats/trend?site=${counted}&by=campaign&${range}`)).json()
    const before = await stats(counted)
    const trendBefore = await trend()
    expect((before.groups as { group: string; spend: unknown }[]).find((g) => g.group === 'yandex / spring')!.spend).toEqual([
      expect.objectContaining({ cost: 3000, perLead: 1000 }),
    ])
    expect(before.speedToLead).toBeDefined()
    const digestBefore = await deps.digests.leads(counted, 0, Date.now() + 60_000)
    expect(digestBefore).toHaveLength(3)

    expect((await testLead({ targetId: 'crm', lead: validLead(counted) }, counted)).status).toBe(201)
    expect((await testLead({ targetId: 'crm' }, counted)).status).toBe(201)
    expect(await stats(counted)).toEqual(before)
    expect(await deps.digests.leads(counted, 0, Date.now() + 60_000)).toEqual(digestBefore)
    expect(await trend()).toEqual(trendBefore)
  })

  it('never tip a campaign into a junk-spike alert, even all marked junk', async () => {
    target()
    // A healthy baseline of real leads elsewhere.
    for (let i = 0; i < 10; i++) expect((await run(leadRequest(validLead(site)))).status).toBe(201)
    for (let i = 0; i < 5; i++) {
      const lead = validLead(site, { context: { page: 'https://shop.example/flats', utm: { source: 'vk', campaign: 'test-only' }, locale: 'ru-RU', timezone: 'Europe/Moscow' } })
      expect((await testLead({ targetId: 'crm', lead })).status).toBe(201)
      const marked = await run(
        new Request(`https://worker.test/v1/admin/leads/${lead.id}`, {
          method: 'PATCH',
          headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, 'Content-Type': 'application/json' },
          body: JSON.stringify({ status: 'junk', reason: 'wrong_number' }),
        }),
      )
      expect(marked.status).toBe(200)
    }
    const alerts = sent.filter((s) => s.url === WEBHOOK_TARGET.url && JSON.parse(s.body).type.startsWith('quality.'))
    expect(alerts).toEqual([])
    // Nor is a test lead the one a notice would ride on.
    expect(await deps.quality.newestLead(site, { utmSource: 'vk', utmCampaign: 'test-only', page: null })).toBeNull()
  })

  it('a visitor cannot mark a lead as a test: test: true on /v1/leads is ignored and the lead counts', async () => {
    const visitor = uniqueSite('tlead-visitor')
    await putSite(visitor, siteConfig({ targets: [WEBHOOK_TARGET] }))
    target()
    const lead = { ...validLead(visitor), test: true }
    expect((await run(leadRequest(lead))).status).toBe(201)
    expect((await detail(lead.id)).test).toBeUndefined()
    expect(JSON.parse(sent[0]!.body).data.test).toBeUndefined()
    const groups = (await stats(visitor)).groups as { accepted: number }[]
    expect(groups.reduce((n, g) => n + g.accepted, 0)).toBe(1)
  })
})
