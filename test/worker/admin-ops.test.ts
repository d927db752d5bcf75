// Rate limits, lead filters and CSV, replay, erasure, retention and source-quality stats.
import { createExecutionContext, createScheduledController, waitOnExecutionContext } from 'cloudflare:test'
import { env, exports } from 'cloudflare:workers'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import worker from '../../worker/src/cloudflare/index'
import type { LeadInput } from '../../shared/schemas/lead'
import { adminRequest, clearOfWindowEdge, errorCode, fromIp, leadRequest, putSite, randomMobile, siteConfig, uniqueSite, validLead, WEBHOOK_TARGET, testNetwork } from './helpers'

const netA = testNetwork()
const netB = testNetwork()
const netC = testNetwork()

afterEach(() => {
  vi.restoreAllMocks()
})

function postFrom(lead: LeadInput, ip: string) {
  return exports.default.fetch(fromIp(leadRequest(lead), ip))
}

describe('rate limits', () => {
  // Each test fills a window within seconds; one straddling a minute's edge would start over.
  beforeEach(() => clearOfWindowEdge())

  it('limits one phone, answering 429 with Retry-After and a message in the site language', async () => {
    const site = uniqueSite('rl')
    await putSite(site, siteConfig({ rateLimits: { perPhonePerHour: 2 } }))
    const phone = randomMobile()
    const statuses = []
    for (let i = 0; i < 3; i++) statuses.push((await postFrom(validLead(site, { contact: { phone } }), netA(7))).status)
    expect(statuses).toEqual([201, 201, 429])
    const limited = await postFrom(validLead(site, { contact: { phone } }), netA(7))
    expect(limited.status).toBe(429)
    expect(Number(limited.headers.get('Retry-After'))).toBeGreaterThan(0)
    const body = (await limited.json()) as { error: { code: string; message: string } }
    expect(body.error.code).toBe('rate_limited')
    expect(body.error.message).toMatch(/минуту/)
  })

  it('does not block a second visitor on another phone behind the same IP as a flooding one', async () => {
    const site = uniqueSite('nat')
    await putSite(site, siteConfig({ rateLimits: { perPhonePerHour: 3, perIpPer10Minutes: 20 } }))
    const ip = netB(23)
    const flood = randomMobile()
    const floodStatuses = []
    for (let i = 0; i < 10; i++) floodStatuses.push((await postFrom(validLead(site, { contact: { phone: flood } }), ip)).status)
    expect(floodStatuses.filter((s) => s === 429)).toHaveLength(7)
    expect((await postFrom(validLead(site, { contact: { phone: randomMobile() } }), ip)).status).toBe(201)
  })

  it('caps one IP that cycles through phone numbers', async () => {
    const site = uniqueSite('ipcap')
    await putSite(site, siteConfig({ rateLimits: { perIpPer10Minutes: 5 } }))
    const statuses = []
    for (let i = 0; i < 7; i++) statuses.push((await postFrom(validLead(site, { contact: { phone: randomMobile() } }), netC(99))).status)
    expect(statuses).toEqual([201, 201, 201, 201, 201, 429, 429])
  })

  it('keeps taking other visitors while one IP floods the site with one phone', async () => {
    const site = uniqueSite('flood')
    await putSite(site, siteConfig({ rateLimits: { perPhonePerHour: 2, perSitePerMinute: 20 } }))
    const phone = randomMobile()
    const flood = []
    for (let i = 0; i < 25; i++) flood.push((await postFrom(validLead(site, { contact: { phone } }), netA(50))).status)
    expect(flood.filter((s) => s === 201)).toHaveLength(2)
    expect(flood.filter((s) => s === 429)).toHaveLength(23)
    // The 23 refused requests spent nothing of the site's 20: 18 other visitors still get in.
    const others = []
    for (let i = 0; i < 18; i++) others.push((await postFrom(validLead(site, { contact: { phone: randomMobile() } }), netB(i + 1))).status)
    expect(others).toEqual(new Array(18).fill(201))
    // The ceiling itself still holds once accepted leads fill it.
    expect((await postFrom(validLead(site, { contact: { phone: randomMobile() } }), netB(200))).status).toBe(429)
  })

  it('keeps taking other visitors while one IP floods the site with ever new phones', async () => {
    const site = uniqueSite('flood-ip')
    await putSite(site, siteConfig({ rateLimits: { perIpPer10Minutes: 5, perSitePerMinute: 20 } }))
    const flood = []
    for (let i = 0; i < 40; i++) flood.push((await postFrom(validLead(site, { contact: { phone: randomMobile() } }), netA(51))).status)
    expect(flood.filter((s) => s === 201)).toHaveLength(5)
    const others = []
    for (let i = 0; i < 10; i++) others.push((await postFrom(validLead(site, { contact: { phone: randomMobile() } }), netB(i + 1))).status)
    expect(others).toEqual(new Array(10).fill(201))
  })

  it('limits one email like one phone', async () => {
    const site = uniqueSite('rl-email')
    await putSite(site, siteConfig({ rateLimits: { perEmailPerHour: 2 } }))
    const email = `victim.${crypto.randomUUID().slice(0, 8)}@mail.ru`
    const statuses = []
    // Another IP and another phone every time: only the address ties them together, in any case.
    for (const [i, typed] of [email, email.toUpperCase(), email].entries()) {
      const lead = validLead(site, { source: 'form', contact: { name: 'Анна', email: typed } })
      statuses.push((await postFrom(lead, netC(i + 10))).status)
    }
    expect(statuses).toEqual([201, 201, 429])
    expect((await postFrom(validLead(site, { source: 'form', contact: { email: `other.${email}` } }), netC(20))).status).toBe(201)
  })

  it('keys an IPv6 client by its /64, so walking its own addresses does not evade the limit', async () => {
    const site = uniqueSite('rl-v6')
    await putSite(site, siteConfig({ rateLimits: { perIpPer10Minutes: 3 } }))
    const prefix = `2001:db8:${Math.floor(Math.random() * 0xffff).toString(16)}:7`
    const addresses = [`${prefix}::1`, `${prefix}:0:0:0:2`, `${prefix}:ffff:1:2:3`, `${prefix}:abcd::9`]
    const statuses = []
    for (const ip of addresses) statuses.push((await postFrom(validLead(site, { contact: { phone: randomMobile() } }), ip)).status)
    expect(statuses).toEqual([201, 201, 201, 429])
    // The next /64 is another subscriber.
    expect((await postFrom(validLead(site, { contact: { phone: randomMobile() } }), `${prefix.slice(0, -1)}8::1`)).status).toBe(201)
  })

  it('answers 429 to an invalid submission from an IP over its limit, and counts invalid ones against it', async () => {
    const site = uniqueSite('rl-rejected')
    await putSite(site, siteConfig({ rateLimits: { perIpPer10Minutes: 3 } }))
    const ip = netC(77)
    for (let i = 0; i < 3; i++) expect((await postFrom(validLead(site), ip)).status).toBe(201)
    const invalid = [
      validLead(site, { contact: { phone: '12345' } }),
      validLead(site, { contact: {} }),
      validLead(site, { contact: { email: 'not-an-email' } }),
      validLead(site, { consent: { given: false, text: 'x' } }),
    ]
    for (const lead of invalid) {
      const response = await postFrom(lead, ip)
      expect(response.status).toBe(429)
      expect(await errorCode(response)).toBe('rate_limited')
    }
    // A fresh IP sending only bad numbers: 400s until its budget is spent, then 429.
    const statuses = []
    for (let i = 0; i < 6; i++) statuses.push((await postFrom(validLead(site, { contact: { phone: '12345' } }), netC(78))).status)
    expect(statuses).toEqual([400, 400, 400, 429, 429, 429])
  })

  it('counts at most a few refused submissions of one IP in the stats', async () => {
    const site = uniqueSite('rl-stats')
    await putSite(site, siteConfig({ rateLimits: { rejectionsCountedPerIpPerHour: 2, perIpPer10Minutes: 1000 } }))
    const withCampaign = (lead: LeadInput): LeadInput => ({ ...lead, context: { utm: { source: 'yandex', campaign: 'poisoned' } } })
    for (let i = 0; i < 30; i++) expect((await postFrom(withCampaign(validLead(site, { contact: { phone: '12345' } })), netC(90))).status).toBe(400)
    // Two real visitors of the campaign, and one more visitor with a bad number.
    for (let i = 0; i < 2; i++) expect((await postFrom(withCampaign(validLead(site)), netC(91 + i))).status).toBe(201)
    expect((await postFrom(withCampaign(validLead(site, { contact: { phone: '12345' } })), netC(95))).status).toBe(400)
    const response = await adminRequest('GET', `/v1/admin/stats?site=${site}&by=utm_campaign`)
    const { groups } = (await response.json()) as { groups: { group: string | null; leads: number; rejected: number; accepted: number }[] }
    expect(groups.find((g) => g.group === 'poisoned')).toMatchObject({ leads: 5, accepted: 2, rejected: 3 })
  })

  it('still answers an idempotent replay while the phone is limited', async () => {
    const site = uniqueSite('rlreplay')
    await putSite(site, siteConfig({ rateLimits: { perPhonePerHour: 1 } }))
    const lead = validLead(site)
    expect((await postFrom(lead, netC(1))).status).toBe(201)
    expect((await postFrom(validLead(site, { contact: lead.contact }), netC(1))).status).toBe(429)
    expect((await postFrom(lead, netC(1))).status).toBe(200)
  })
})

describe('lead list filters and CSV export', () => {
  it('filters by temperature, spam and duplicate, and exports CSV safe for spreadsheets', async () => {
    const site = uniqueSite('csv')
    await putSite(site)
    const phone = randomMobile()
    const post = (lead: LeadInput) => exports.default.fetch(leadRequest(lead))
    const first = validLead(site, { contact: { name: '=SUM(A1) Анна', phone } })
    await post(first)
    await post(validLead(site, { contact: { phone } }))
    await post(validLead(site, { hp: 'bot' }))

    const list = async (query: string) =>
      ((await (await adminRequest('GET', `/v1/admin/leads?site=${site}&${query}`)).json()) as { leads: { id: string; spam: boolean; duplicate: boolean }[] }).leads
    expect(await list('spam=true')).toHaveLength(1)
    expect((await list('spam=false')).every((l) => !l.spam)).toBe(true)
    expect(await list('duplicate=true')).toHaveLength(1)
    expect((await list('spam=false&duplicate=false')).map((l) => l.id)).toEqual([first.id])
    expect(await list('temperature=hot')).toHaveLength(0)
    expect(await list('from=2000-01-01&to=2000-01-02')).toHaveLength(0)

    const csv = await adminRequest('GET', `/v1/admin/leads?site=${site}&format=csv`)
    expect(csv.status).toBe(200)
    expect(csv.headers.get('Content-Type')).toContain('text/csv')
    const text = await csv.text()
    const lines = text.trim().split('\r\n')
    expect(lines).toHaveLength(4)
    expect(lines[0]).toContain('"id","created_at","site"')
    expect(text).toContain(`"'=SUM(A1) Анна"`)
  })

  it('rejects bad filter values with the parameter named', async () => {
    const response = await adminRequest('GET', '/v1/admin/leads?temperature=boiling&spam=maybe&from=yesterday')
    expect(response.status).toBe(400)
    const body = (await response.json()) as { error: { issues: { path: string }[] } }
    expect(body.error.issues.map((i) => i.path).sort()).toEqual(['from', 'spam', 'temperature'])
  })
})

describe('replay', () => {
  /** A site whose webhook answered a lead's delivery 410: the delivery failed for good. */
  async function failedDelivery(prefix: string): Promise<{ site: string; failed: { id: string; status: string } }> {
    const site = uniqueSite(prefix)
    await putSite(site, siteConfig({ targets: [WEBHOOK_TARGET] }))
    vi.spyOn(globalThis, 'fetch').mockResolvedValue(new Response('gone', { status: 410 }))
    const ctx = createExecutionContext()
    const lead = validLead(site)
    await worker.fetch(leadRequest(lead), env, ctx)
    await waitOnExecutionContext(ctx)
    vi.restoreAllMocks()
    const failed = await env.DB.prepare('SELECT id, status FROM deliveries WHERE lead_id = ?').bind(lead.id).first<{ id: string; status: string }>()
    if (failed?.status !== 'failed') throw new Error(`the delivery is ${failed?.status ?? 'missing'}, not failed`)
    return { site, failed }
  }

  it('puts failed deliveries of a site back on a fresh schedule and delivers them', async () => {
    const { site, failed } = await failedDelivery('replay')
    const sent: string[] = []
    vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
      sent.push(new Request(input, init).headers.get('webhook-id')!)
      return new Response(null, { status: 200 })
    })
    const replayCtx = createExecutionContext()
    const request = new Request(`https://worker.test/v1/admin/sites/${site}/replay-failed`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${env.ADMIN_TOKEN}` },
    })
    const response = await worker.fetch(request, env, replayCtx)
    await waitOnExecutionContext(replayCtx)
    expect(response.status).toBe(202)
    expect(await response.json()).toEqual({ replayed: 1, deliveryIds: [failed.id] })
    expect(sent).toEqual([failed.id])
    const after = await env.DB.prepare('SELECT status, attempts FROM deliveries WHERE id = ?').bind(failed.id).first()
    expect(after).toEqual({ status: 'delivered', attempts: 1 })
  })

  it('answers 409 delivery_busy for a delivery whose attempt is under way, and sends nothing beside it', async () => {
    const { failed: delivery } = await failedDelivery('replay-busy')
    // An attempt holds the lease, as a claim leaves it while the target is slow to answer.
    await env.DB.prepare("UPDATE deliveries SET status = 'pending', lease_until = ? WHERE id = ?")
      .bind(Date.now() + 60_000, delivery.id)
      .run()
    const sent = vi.spyOn(globalThis, 'fetch')
    const response = await adminRequest('POST', `/v1/admin/deliveries/${delivery.id}/replay`)
    expect(response.status).toBe(409)
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('delivery_busy')
    expect(sent).not.toHaveBeenCalled()
    expect(await env.DB.prepare('SELECT status, attempts FROM deliveries WHERE id = ?').bind(delivery.id).first()).toEqual({ status: 'pending', attempts: 1 })
  })

  it('answers 404 for unknown deliveries and sites', async () => {
    expect((await adminRequest('POST', `/v1/admin/deliveries/msg_${'0'.repeat(32)}/replay`)).status).toBe(404)
    expect((await adminRequest('POST', '/v1/admin/deliveries/nope/replay')).status).toBe(404)
    expect((await adminRequest('POST', `/v1/admin/sites/${uniqueSite()}/replay-failed`)).status).toBe(404)
  })
})

describe('erasure and retention', () => {
  it('erases one person by phone in any format, keeps the rows for counts, and reports it', async () => {
    const site = uniqueSite('erase')
    await putSite(site)
    const phone = randomMobile()
    const mine = [validLead(site, { contact: { name: 'Анна', phone } }), validLead(site, { contact: { phone }, message: 'позвоните вечером' })]
    const other = validLead(site)
    for (const lead of [...mine, other]) await exports.default.fetch(leadRequest(lead))

    const response = await adminRequest('POST', '/v1/admin/erasure', { site, phone: phone.replace(/^8 /, '+7') })
    expect(response.status).toBe(200)
    const report = (await response.json()) as { erasedLeads: number; leadIds: string[]; fields: string[] }
    expect(report.erasedLeads).toBe(2)
    expect(report.leadIds.sort()).toEqual(mine.map((l) => l.id).sort())
    expect(report.fields).toContain('phone')

    const row = await env.DB.prepare('SELECT name, phone, ip, payload, erased_at FROM leads WHERE id = ?')
      .bind(mine[1]!.id)
      .first<{ name: string | null; phone: string | null; payload: string; erased_at: number }>()
    expect(row).toMatchObject({ name: null, phone: null })
    expect(row!.erased_at).toBeGreaterThan(0)
    const payload = JSON.parse(row!.payload) as Record<string, unknown>
    expect(payload.contact).toEqual({})
    expect(payload.message).toBeUndefined()
    expect(payload.erased).toBe(true)
    expect(payload.source).toBe('callback')
    const untouched = await env.DB.prepare('SELECT phone FROM leads WHERE id = ?').bind(other.id).first<{ phone: string }>()
    expect(untouched?.phone).toMatch(/^\+7/)
    // The phone is forgotten for dedupe too: the next lead is new.
    const next = await exports.default.fetch(leadRequest(validLead(site, { contact: { phone } })))
    expect(((await next.json()) as { duplicate: boolean }).duplicate).toBe(false)
  })

  it('refuses erasure requests without a contact or for unknown sites', async () => {
    const missing = await adminRequest('POST', '/v1/admin/erasure', { site: 'demo' })
    expect(missing.status).toBe(400)
    expect(await errorCode(missing)).toBe('validation_failed')
    expect((await adminRequest('POST', '/v1/admin/erasure', { site: uniqueSite(), email: 'a@b.ru' })).status).toBe(404)
  })

  it('erases personal data older than the site retention period in the cron sweep', async () => {
    const site = uniqueSite('retain')
    await putSite(site, siteConfig({ retention: { days: 30 } }))
    const old = validLead(site)
    const fresh = validLead(site)
    await exports.default.fetch(leadRequest(old))
    await exports.default.fetch(leadRequest(fresh))
    await env.DB.prepare('UPDATE leads SET created_at = created_at - 31 * 86400000 WHERE id = ?').bind(old.id).run()
    const ctx = createExecutionContext()
    await worker.scheduled(createScheduledController(), env, ctx)
    await waitOnExecutionContext(ctx)
    const rows = await env.DB.prepare('SELECT id, phone FROM leads WHERE id IN (?, ?)').bind(old.id, fresh.id).all<{ id: string; phone: string | null }>()
    const byId = Object.fromEntries(rows.results.map((r) => [r.id, r.phone]))
    expect(byId[old.id]).toBeNull()
    expect(byId[fresh.id]).toMatch(/^\+7/)
  })
})
