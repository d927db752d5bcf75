// Erasure leaves nothing of the person in any table, forgets their dedupe keys and counters, and
// nothing sends an erased lead again: replays, a retry under way, the replay of one delivery.
import { createExecutionContext, createScheduledController, waitOnExecutionContext } from 'cloudflare:test'
import { env, exports } from 'cloudflare:workers'
import { afterEach, describe, expect, it, vi } from 'vitest'
import worker from '../../worker/src/cloudflare/index'
import type { LeadInput } from '../../shared/schemas/lead'
import { WEBHOOK_SECRET, adminRequest, errorCode, fromIp, leadRequest, putSite, siteConfig, uniqueSite, validLead, testNetwork } from './helpers'

const netA = testNetwork()
const netB = testNetwork()

afterEach(() => {
  vi.restoreAllMocks()
})

const GONE = { type: 'webhook', id: 'gone', url: 'https://gone.example/hook', secret: WEBHOOK_SECRET } as const
const BUSY = { type: 'webhook', id: 'busy', url: 'https://busy.example/hook', secret: WEBHOOK_SECRET } as const

/** Every target answers with an error that quotes the lead back, as real CRMs do. */
function echoingTargets(): string[] {
  const sent: string[] = []
  vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
    const request = new Request(input, init)
    const body = await request.text()
    sent.push(request.url)
    const status = request.url.startsWith(GONE.url) ? 410 : 503
    const { data } = JSON.parse(body) as { data: { contact: unknown } }
    return new Response(`rejected: ${JSON.stringify(data.contact)}`, { status })
  })
  return sent
}

/** Posts a lead from this IP and user agent and waits for its first delivery attempts. */
async function submit(lead: LeadInput, ip: string, userAgent: string) {
  const request = fromIp(leadRequest(lead), ip)
  request.headers.set('User-Agent', userAgent)
  const ctx = createExecutionContext()
  const response = await worker.fetch(request, env, ctx)
  await waitOnExecutionContext(ctx)
  expect(response.status).toBe(201)
  return (await response.json()) as { duplicate: boolean }
}

/** Every table of the schema, read from the database itself, so a table added later is searched too. */
async function everyTable(): Promise<string[]> {
  const { results } = await env.DB.prepare(
    `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' AND name <> 'd1_migrations'`,
  ).all<{ name: string }>()
  return results.map((r) => r.name)
}

/** Which of the values occur anywhere in the database, and where. */
async function whereFound(values: string[]): Promise<string[]> {
  const found: string[] = []
  for (const table of await everyTable()) {
    const { results } = await env.DB.prepare(`SELECT * FROM "${table}"`).all<Record<string, unknown>>()
    for (const row of results) {
      const text = Object.values(row)
        .map((cell) => String(cell))
        .join('\u0000')
      for (const value of values) if (text.includes(value)) found.push(`${value} in ${table}`)
    }
  }
  return [...new Set(found)]
}

async function erase(body: Record<string, unknown>) {
  const response = await adminRequest('POST', '/v1/admin/erasure', body)
  expect(response.status).toBe(200)
  return (await response.json()) as { erasedLeads: number; leadIds: string[]; cancelledDeliveries: number; fields: string[] }
}

describe('erasure', () => {
  it('leaves none of the person’s values in any table, whatever held them', async () => {
    const site = uniqueSite('erase-all')
    await putSite(site, siteConfig({ targets: [GONE, BUSY], dedupe: { windowDays: 30 } }))
    const sent = echoingTargets()
    const secret = crypto.randomUUID().slice(0, 8)
    // Cyrillic syllables, so the name itself is no spam sign (Latin inside a Cyrillic word is).
    const syllables = Array.from({ length: 4 }, () => ['ка', 'ло', 'ми', 'ну', 'ре', 'та', 'се', 'во'][Math.floor(Math.random() * 8)]).join('')
    const values = {
      name: `Марфа ${syllables}`,
      phone: `+7912${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`,
      email: `marfa.${secret}@mail.example`,
      message: `перезвоните после шести ${secret}m`,
      answer: `бюджет ${secret}a`,
      transcript: `меня зовут Марфа, телефон ${secret}t`,
      urlValue: `${secret}q`,
      gclid: `gclid${secret}`,
      ip: netA(Math.floor(Math.random() * 200) + 1),
      userAgent: `Browser/${secret}ua`,
      note: `Марфа просила ${secret}n`,
    }
    const page = `https://shop.example/flats?email=${values.urlValue}&phone=${values.urlValue}`
    const context = {
      page,
      landing: page,
      referrer: `https://search.example/?q=${values.urlValue}`,
      utm: { source: 'yandex', campaign: 'spring' },
      clickIds: { gclid: values.gclid },
      firstTouch: { landing: page, referrer: `https://mail.example/?to=${values.urlValue}`, utm: { source: 'mail' } },
    }
    const first = validLead(site, { contact: { name: values.name, phone: values.phone }, message: values.message, context })
    // A chat repeat by email and phone, with the transcript quoting them.
    const chat = validLead(site, {
      source: 'chat',
      contact: { name: values.name, phone: values.phone, email: values.email },
      answers: { budget: values.answer },
      transcript: [{ from: 'visitor', text: values.transcript, at: new Date().toISOString() }],
      context,
    })
    // Spam whose flag detail quotes the name ("…" repeats one letter).
    const spam = validLead(site, { contact: { name: `Ммммарфа${secret}`, email: values.email } })
    await submit(first, values.ip, values.userAgent)
    expect((await submit(chat, values.ip, values.userAgent)).duplicate).toBe(true)
    await submit(spam, values.ip, values.userAgent)
    expect(sent.length).toBeGreaterThanOrEqual(4)
    const noted = await adminRequest('PATCH', `/v1/admin/leads/${first.id}`, { status: 'in_work', note: values.note })
    expect(noted.status).toBe(200)

    // What auto-dial keeps of a call to this lead: the number's SHA-256, and a provider's words.
    const phoneHash = [...new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(values.phone)))].map((b) => b.toString(16).padStart(2, '0')).join('')
    const delivery = await env.DB.prepare('SELECT id FROM deliveries WHERE lead_id = ? LIMIT 1').bind(first.id).first<{ id: string }>()
    const now = Date.now()
    await env.DB.batch([
      env.DB.prepare(`INSERT INTO calls (delivery_id, lead_id, site_id, state, created_at, updated_at) VALUES (?, ?, ?, 'missed', ?, ?)`).bind(
        delivery!.id,
        first.id,
        site,
        now,
        now,
      ),
      env.DB.prepare(`INSERT INTO call_legs (id, delivery_id, seq, manager_id, visitor_hash, placed_at) VALUES (?, ?, 0, 'olga', ?, ?)`).bind(
        crypto.randomUUID(),
        delivery!.id,
        phoneHash,
        now,
      ),
      env.DB.prepare(`INSERT INTO call_events (delivery_id, lead_id, at, kind, detail) VALUES (?, ?, ?, 'missed', ?)`).bind(
        delivery!.id,
        first.id,
        now,
        `no answer from ${values.phone}`,
      ),
      env.DB.prepare(`INSERT INTO dials (phone_hash, site_id, lead_id, at) VALUES (?, ?, ?, ?)`).bind(phoneHash, site, first.id, now),
      // The id a CRM gave the person, as a delivered attempt records it.
      env.DB.prepare(`INSERT INTO lead_external_refs (site_id, target_id, external_id, lead_id, created_at) VALUES (?, 'gone', ?, ?, ?)`).bind(
        site,
        `contact-${secret}`,
        first.id,
        now,
      ),
    ])

    const needles = [...Object.values(values), `Ммммарфа${secret}`, phoneHash, `contact-${secret}`]
    // Each value is somewhere before the erasure: the search below can find what it looks for.
    const before = await whereFound(needles)
    for (const value of needles)
      expect(
        before.some((hit) => hit.startsWith(`${value} in`)),
        value,
      ).toBe(true)
    for (const table of ['leads', 'deliveries', 'delivery_attempts', 'rate_limits', 'lead_events', 'call_legs', 'call_events', 'dials']) {
      expect(
        before.some((hit) => hit.endsWith(` in ${table}`)),
        table,
      ).toBe(true)
    }

    const report = await erase({ site, phone: values.phone, email: values.email })
    expect(report.leadIds.sort()).toEqual([first.id, chat.id, spam.id].sort())
    expect(report.erasedLeads).toBe(3)
    expect(report.fields).toEqual(expect.arrayContaining(['transcript', 'landing', 'flag_details', 'target_answers', 'dedupe_keys', 'rate_limit_counters']))
    const pending = await env.DB.prepare(`SELECT COUNT(*) AS n FROM deliveries WHERE lead_id IN (?, ?, ?) AND status = 'pending'`)
      .bind(first.id, chat.id, spam.id)
      .first<{ n: number }>()
    expect(pending?.n).toBe(0)
    // The two retrying lead deliveries and the status change's.
    expect(report.cancelledDeliveries).toBeGreaterThanOrEqual(2)

    expect(await whereFound(needles)).toEqual([])
    // The rows stay for the counts, with what the report needs.
    const row = await env.DB.prepare('SELECT source, utm_source, utm_campaign, payload FROM leads WHERE id = ?')
      .bind(first.id)
      .first<{ source: string; utm_source: string; payload: string }>()
    expect(row).toMatchObject({ source: 'callback', utm_source: 'yandex', utm_campaign: 'spring' })
    const payload = JSON.parse(row!.payload) as { context: { utm: unknown; firstTouch: { utm: unknown } } }
    expect(payload.context.utm).toEqual({ source: 'yandex', campaign: 'spring' })
    expect(payload.context.firstTouch.utm).toEqual({ source: 'mail' })
    const spamRow = await env.DB.prepare('SELECT flags FROM leads WHERE id = ?').bind(spam.id).first<{ flags: string }>()
    expect(JSON.parse(spamRow!.flags)).toEqual([{ code: 'gibberish_name', detail: 'erased' }])
  })

  it('forgets the counter of an IPv6 visitor, which is kept by their /64', async () => {
    const site = uniqueSite('erase-v6')
    await putSite(site)
    const group = Math.floor(Math.random() * 0xffff).toString(16)
    const phone = `+7912${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`
    await submit(validLead(site, { contact: { phone } }), `2001:db8:${group}:1::5`, 'ua')
    const key = `ip:2001:db8:${group}:1::/64`
    const counter = () => env.DB.prepare('SELECT key FROM rate_limits WHERE key = ?').bind(key).first()
    expect(await counter()).not.toBeNull()
    await erase({ site, phone })
    expect(await counter()).toBeNull()
  })

  it('forgets the email of a repeat lead, so the next lead with it is new', async () => {
    const site = uniqueSite('erase-email')
    await putSite(site)
    const email = `repeat.${crypto.randomUUID().slice(0, 8)}@mail.example`
    const phone = `+7912${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`
    await submit(validLead(site, { contact: { phone } }), netB(1), 'ua')
    // A repeat by phone that brings the email for the first time: its key points at the first lead.
    expect((await submit(validLead(site, { contact: { phone, email: email.toUpperCase() } }), netB(1), 'ua')).duplicate).toBe(true)
    const report = await erase({ site, email })
    expect(report.erasedLeads).toBe(1)
    const keys = await env.DB.prepare('SELECT kind FROM contact_keys WHERE site_id = ? AND value = ?').bind(site, email).all()
    expect(keys.results).toEqual([])
    expect((await submit(validLead(site, { contact: { email } }), netB(2), 'ua')).duplicate).toBe(false)
  })

  it('never sends an erased lead again: not by replay-failed, nor a single replay, nor a retry under way', async () => {
    const site = uniqueSite('erase-replay')
    await putSite(site, siteConfig({ targets: [GONE, BUSY] }))
    const sent = echoingTargets()
    const lead = validLead(site)
    await submit(lead, netB(3), 'ua')
    expect(sent).toHaveLength(2)
    const detail = (await (await adminRequest('GET', `/v1/admin/leads/${lead.id}`)).json()) as {
      contact: { phone: string }
      deliveries: { id: string; targetId: string; status: string }[]
    }
    expect(detail.deliveries.map((d) => [d.targetId, d.status]).sort()).toEqual([
      ['busy', 'pending'],
      ['gone', 'failed'],
    ])
    await erase({ site, phone: detail.contact.phone })

    const replayAll = await adminRequest('POST', `/v1/admin/sites/${site}/replay-failed`)
    expect(replayAll.status).toBe(202)
    expect(await replayAll.json()).toEqual({ replayed: 0, deliveryIds: [] })
    for (const delivery of detail.deliveries) {
      const one = await adminRequest('POST', `/v1/admin/deliveries/${delivery.id}/replay`)
      expect(one.status).toBe(409)
      expect(await errorCode(one)).toBe('lead_erased')
    }
    const rows = await env.DB.prepare('SELECT status FROM deliveries WHERE lead_id = ?').bind(lead.id).all<{ status: string }>()
    expect(rows.results.map((r) => r.status)).toEqual(['failed', 'failed'])
    expect(sent).toHaveLength(2)
  })

  it('records a delivery the target took while the erasure came as delivered, not as cancelled', async () => {
    const site = uniqueSite('erase-inflight-ok')
    await putSite(site, siteConfig({ targets: [BUSY] }))
    const lead = validLead(site)
    vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
      const body = await new Request(input, init).text()
      await erase({ site, phone: (JSON.parse(body) as { data: { contact: { phone: string } } }).data.contact.phone })
      return new Response('ok', { status: 200 })
    })
    await submit(lead, netB(5), 'ua')
    const delivery = await env.DB.prepare('SELECT id, status, last_error, delivered_at FROM deliveries WHERE lead_id = ?')
      .bind(lead.id)
      .first<{ id: string; status: string; last_error: string | null; delivered_at: number | null }>()
    // The erasure audit must not say the data never left: it did, once.
    expect(delivery).toMatchObject({ status: 'delivered', last_error: null })
    expect(delivery?.delivered_at).toBeGreaterThan(0)
    const attempts = await env.DB.prepare('SELECT outcome, error FROM delivery_attempts WHERE delivery_id = ?').bind(delivery!.id).all<{ outcome: string; error: string | null }>()
    expect(attempts.results).toEqual([{ outcome: 'delivered', error: null }])
  })

  it('keeps nothing from an attempt that was under way when the erasure came, and does not retry it', async () => {
    const site = uniqueSite('erase-inflight')
    await putSite(site, siteConfig({ targets: [BUSY] }))
    const lead = validLead(site)
    let phone = ''
    vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
      const body = await new Request(input, init).text()
      phone = (JSON.parse(body) as { data: { contact: { phone: string } } }).data.contact.phone
      // The erasure lands while the target is still answering.
      await erase({ site, phone })
      return new Response(`busy with ${phone}`, { status: 503 })
    })
    await submit(lead, netB(4), 'ua')
    expect(phone).toMatch(/^\+7/)
    const delivery = await env.DB.prepare('SELECT id, status, last_error FROM deliveries WHERE lead_id = ?')
      .bind(lead.id)
      .first<{ id: string; status: string; last_error: string }>()
    expect(delivery).toMatchObject({ status: 'failed', last_error: 'cancelled: personal data erased' })
    const attempts = await env.DB.prepare('SELECT error FROM delivery_attempts WHERE delivery_id = ?').bind(delivery!.id).all<{ error: string }>()
    expect(attempts.results).toHaveLength(1)
    expect(attempts.results[0]!.error).not.toContain(phone)
  })
})

async function runSweep() {
  const ctx = createExecutionContext()
  await worker.scheduled(createScheduledController(), env, ctx)
  await waitOnExecutionContext(ctx)
}

describe('retention', () => {
  it('deletes the rejections recorded before the retention period, and keeps the newer ones', async () => {
    const site = uniqueSite('retain-rej')
    const forever = uniqueSite('retain-none')
    await putSite(site, siteConfig({ retention: { days: 30 } }))
    await putSite(forever)
    for (const key of [site, site, forever]) {
      const response = await exports.default.fetch(leadRequest(validLead(key, { contact: { phone: '12' } })))
      expect(response.status).toBe(400)
    }
    const count = async (key: string) => (await env.DB.prepare('SELECT COUNT(*) AS n FROM rejections WHERE site_id = ?').bind(key).first<{ n: number }>())?.n
    expect(await count(site)).toBe(2)
    const oneRow = await env.DB.prepare('SELECT MIN(id) AS id FROM rejections WHERE site_id = ?').bind(site).first<{ id: number }>()
    await env.DB.prepare('UPDATE rejections SET created_at = created_at - 31 * 86400000 WHERE id = ?').bind(oneRow!.id).run()
    // Without a retention period rejections still go, after 400 days; 40 days is not yet.
    await env.DB.prepare('UPDATE rejections SET created_at = created_at - 40 * 86400000 WHERE site_id = ?').bind(forever).run()
    await runSweep()
    expect(await count(site)).toBe(1)
    expect(await count(forever)).toBe(1)
    await env.DB.prepare('UPDATE rejections SET created_at = created_at - 400 * 86400000 WHERE site_id = ?').bind(forever).run()
    await runSweep()
    expect(await count(forever)).toBe(0)
  })
})

describe('lead ids', () => {
  it('are one lead whatever their case, and the admin cursor pages over them', async () => {
    const site = uniqueSite('ids')
    await putSite(site)
    const ids = Array.from({ length: 3 }, () => crypto.randomUUID().toUpperCase())
    for (const id of ids) await submit(validLead(site, { id }), netB(6), 'ua')
    // The same id in lower case is a replay of the first, not a second lead.
    const again = await exports.default.fetch(leadRequest(validLead(site, { id: ids[0]!.toLowerCase() })))
    expect(again.status).toBeLessThan(300)
    const stored = await env.DB.prepare('SELECT id FROM leads WHERE site_id = ?').bind(site).all<{ id: string }>()
    expect(stored.results.map((r) => r.id).sort()).toEqual(ids.map((id) => id.toLowerCase()).sort())
    // A lead stored in capitals before ids were lower-cased at ingest: its cursor still pages on.
    const legacy = crypto.randomUUID().toUpperCase()
    const payload = { id: legacy, site, source: 'form', contact: {}, createdAt: new Date().toISOString(), duplicate: false, score: 0, temperature: 'cold', reasons: [] }
    await env.DB.prepare(`INSERT INTO leads (id, site_id, source, payload, reply_text, created_at) VALUES (?, ?, 'form', ?, 'ok', ?)`)
      .bind(legacy, site, JSON.stringify(payload), Date.now() + 1000)
      .run()
    ids.push(legacy.toLowerCase())
    const seen: string[] = []
    let cursor: string | null = null
    do {
      const page = await adminRequest('GET', `/v1/admin/leads?site=${site}&limit=1${cursor ? `&cursor=${cursor}` : ''}`)
      expect(page.status).toBe(200)
      const body = (await page.json()) as { leads: { id: string }[]; nextCursor: string | null }
      seen.push(...body.leads.map((l) => l.id))
      cursor = body.nextCursor
    } while (cursor)
    expect(seen.map((id) => id.toLowerCase()).sort()).toEqual(ids.map((id) => id.toLowerCase()).sort())
  })

  it('answers the same for another site’s lead and an unknown one, on every lead and delivery route', async () => {
    const mine = uniqueSite('tok-a')
    const theirs = uniqueSite('tok-b')
    await putSite(mine)
    await putSite(theirs, siteConfig({ targets: [BUSY] }))
    vi.spyOn(globalThis, 'fetch').mockImplementation(async () => new Response('busy', { status: 503 }))
    const lead = validLead(theirs)
    await submit(lead, netB(5), 'ua')
    const deliveryId = ((await (await adminRequest('GET', `/v1/admin/leads/${lead.id}`)).json()) as { deliveries: { id: string }[] }).deliveries[0]!.id
    const minted = await adminRequest('POST', `/v1/admin/sites/${mine}/tokens`, {})
    const { token } = (await minted.json()) as { token: string }
    const unknownLead = crypto.randomUUID()
    const unknownDelivery = `msg_${'0'.repeat(32)}`
    const asSite = async (method: string, path: string, body?: unknown) => {
      const response = await adminRequest(method, path, body, token)
      return { status: response.status, body: await response.text() }
    }
    const routes: [string, (id: string) => string, string, string, unknown?][] = [
      ['GET', (id) => `/v1/admin/leads/${id}`, lead.id, unknownLead],
      ['POST', (id) => `/v1/admin/leads/${id}/take`, lead.id, unknownLead, { managerId: 'anna' }],
      ['PATCH', (id) => `/v1/admin/leads/${id}`, lead.id, unknownLead, { status: 'in_work' }],
      ['GET', (id) => `/v1/admin/leads/${id}/calls`, lead.id, unknownLead],
      ['POST', (id) => `/v1/admin/deliveries/${id}/replay`, deliveryId, unknownDelivery],
    ]
    for (const [method, path, existing, unknown, body] of routes) {
      const other = await asSite(method, path(existing), body)
      expect(other.status, path(existing)).toBe(404)
      expect(await asSite(method, path(unknown), body), path(unknown)).toEqual(other)
      expect(await asSite(method, path(existing.toUpperCase()), body), path(existing.toUpperCase())).toEqual(other)
    }
  })
})
