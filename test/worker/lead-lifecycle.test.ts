// Lead statuses through the admin API on both runtimes: PATCH and its errors, the history and who
// acted, spam as junk from ingest, "Take it", the lead.status_changed webhook, erasure of notes,
// and the inbox filters and search.
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test'
import { env, exports } from 'cloudflare:workers'
import { Webhook } from 'standardwebhooks'
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import type { LeadHistoryEntry } from '../../shared/schemas/lead-status'
import type { LeadInput } from '../../shared/schemas/lead'
import worker from '../../worker/src/cloudflare/index'
import { ADMIN_TOKEN, WEBHOOK_SECRET, WEBHOOK_TARGET, adminRequest, leadRequest, putSite, randomMobile, siteConfig, uniqueSite, validLead } from './helpers'

interface LeadView {
  id: string
  site: string
  status: string
  junkReason: string | null
  firstActionAt: string | null
  takenBy: string | null
  spam: boolean
  flags: { code: string }[]
  contact: { name?: string; phone?: string; email?: string }
  deliveries: { id: string; targetId: string; eventType: string; status: string }[]
  history: LeadHistoryEntry[]
}

interface ErrorBody {
  error: { code: string; message: string; issues?: { path: string; message: string }[] }
}

const MANAGERS = [
  { id: 'olga', name: 'Ольга', telegramUserId: 111 },
  { id: 'pavel', name: 'Павел', telegramUserId: 222 },
]
const TG_SECRET = 'tg-webhook-secret-0123456789'
const TG_TARGET = { type: 'telegram', id: 'managers', botToken: '123456:ABCdefGHIjklMNOpqrSTUvwxYZ0123456789', chatId: -100123, webhookSecret: TG_SECRET }

async function submit(lead: LeadInput): Promise<void> {
  const ctx = createExecutionContext()
  const response = await worker.fetch(leadRequest(lead), env, ctx)
  await waitOnExecutionContext(ctx)
  expect(response.status).toBe(201)
}

/** An admin call through the worker's fetch, waiting for its background work (the first attempt). */
async function admin(method: string, path: string, body?: unknown, token = ADMIN_TOKEN): Promise<Response> {
  const headers: Record<string, string> = { Authorization: `Bearer ${token}` }
  if (body !== undefined) headers['Content-Type'] = 'application/json'
  const ctx = createExecutionContext()
  const response = await worker.fetch(new Request(`https://worker.test${path}`, { method, headers, ...(body !== undefined && { body: JSON.stringify(body) }) }), env, ctx)
  await waitOnExecutionContext(ctx)
  return response
}

async function patch(id: string, body: unknown, token = ADMIN_TOKEN): Promise<Response> {
  return admin('PATCH', `/v1/admin/leads/${id}`, body, token)
}

async function detail(id: string, token = ADMIN_TOKEN): Promise<LeadView> {
  const response = await adminRequest('GET', `/v1/admin/leads/${id}`, undefined, token)
  expect(response.status).toBe(200)
  return (await response.json()) as LeadView
}

async function mintToken(site: string): Promise<string> {
  const minted = await adminRequest('POST', `/v1/admin/sites/${site}/tokens`, { label: 'console' })
  expect(minted.status).toBe(201)
  return ((await minted.json()) as { token: string }).token
}

/** Stubs every outbound request (targets, the Bot API), answering 200, and records them. */
function recordOutbound(): { url: string; headers: Record<string, string>; body: string }[] {
  const sent: { url: string; headers: Record<string, string>; body: string }[] = []
  vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
    const request = new Request(input, init)
    sent.push({ url: request.url, headers: Object.fromEntries(request.headers), body: await request.text() })
    return Response.json({ ok: true, result: { message_id: 1 } })
  })
  return sent
}

afterEach(() => {
  vi.restoreAllMocks()
})

describe('PATCH /v1/admin/leads/:id', () => {
  const site = uniqueSite('life')
  let token = ''
  beforeAll(async () => {
    await putSite(site)
    token = await mintToken(site)
  })

  it('moves a lead through its statuses and answers with the lead and its history, oldest first, naming who acted', async () => {
    const lead = validLead(site)
    await submit(lead)
    expect(await detail(lead.id)).toMatchObject({ status: 'new', junkReason: null, firstActionAt: null, spam: false, history: [] })

    const qualified = await patch(lead.id, { status: 'qualified' })
    expect(qualified.status).toBe(200)
    const afterQualified = (await qualified.json()) as LeadView
    expect(afterQualified).toMatchObject({ id: lead.id, site, status: 'qualified', junkReason: null, contact: { name: 'Анна' } })
    expect(afterQualified.firstActionAt).toEqual(expect.any(String))

    const junk = await patch(lead.id, { status: 'junk', reason: 'wrong_number', note: 'Номер не существует' }, token)
    expect(junk.status).toBe(200)
    const body = (await junk.json()) as LeadView
    expect(body).toMatchObject({ status: 'junk', junkReason: 'wrong_number', firstActionAt: afterQualified.firstActionAt })
    expect(body.history.map(({ kind, from, to, reason, note, by }) => ({ kind, from, to, reason, note, by }))).toEqual([
      { kind: 'status', from: 'new', to: 'qualified', reason: null, note: null, by: { kind: 'operator', id: null } },
      { kind: 'status', from: 'qualified', to: 'junk', reason: 'wrong_number', note: 'Номер не существует', by: { kind: 'site_token', id: null } },
    ])
    expect(Date.parse(body.history[0]!.at)).toBeLessThanOrEqual(Date.parse(body.history[1]!.at))
    expect(body.history.map((h) => h.source)).toEqual([
      { kind: 'admin', ref: null },
      { kind: 'admin', ref: null },
    ])

    // GET shows the same lead, history included; the list shows the status too.
    const read = await detail(lead.id)
    expect(read).toEqual({ ...body, deliveries: read.deliveries })
    const list = (await (await adminRequest('GET', `/v1/admin/leads?site=${site}`)).json()) as { leads: LeadView[] }
    expect(list.leads.find((l) => l.id === lead.id)).toMatchObject({ status: 'junk', junkReason: 'wrong_number', firstActionAt: body.firstActionAt })
  })

  it('refuses an unknown status, junk without a reason, a reason on another status, unknown fields and a long note', async () => {
    const lead = validLead(site)
    await submit(lead)
    const refused = async (body: unknown) => {
      const response = await patch(lead.id, body)
      expect(response.status, JSON.stringify(body)).toBe(400)
      return ((await response.json()) as ErrorBody).error
    }
    expect(await refused({ status: 'closed' })).toMatchObject({ code: 'validation_failed', issues: [{ path: 'status' }] })
    expect(await refused({})).toMatchObject({ code: 'validation_failed', issues: [{ path: 'status' }] })
    expect(await refused({ status: 'junk' })).toMatchObject({ code: 'reason_required', issues: [{ path: 'reason' }] })
    expect(await refused({ status: 'junk', reason: 'boring' })).toMatchObject({ code: 'validation_failed', issues: [{ path: 'reason' }] })
    expect(await refused({ status: 'won', reason: 'spam' })).toMatchObject({ code: 'reason_not_allowed', issues: [{ path: 'reason' }] })
    expect(await refused({ status: 'won', by: 'me' })).toMatchObject({ code: 'validation_failed' })
    expect(await refused({ status: 'won', note: 'x'.repeat(2001) })).toMatchObject({ code: 'validation_failed', issues: [{ path: 'note' }] })
    expect((await patch(lead.id, { status: 'won', note: 'x'.repeat(2000) })).status).toBe(200)
    // Nothing refused was recorded.
    expect((await detail(lead.id)).history.map((e) => e.to)).toEqual(['won'])
  })

  it('records a note on its own, and nothing when the lead already has the status', async () => {
    const lead = validLead(site)
    await submit(lead)
    const noted = await patch(lead.id, { status: 'new', note: 'Перезвонить после 18:00' })
    expect(noted.status).toBe(200)
    expect(((await noted.json()) as LeadView).history).toMatchObject([
      { kind: 'note', from: null, to: null, reason: null, note: 'Перезвонить после 18:00', by: { kind: 'operator', id: null } },
    ])
    const same = await patch(lead.id, { status: 'new' })
    expect(same.status).toBe(200)
    expect(((await same.json()) as LeadView).history).toHaveLength(1)

    await patch(lead.id, { status: 'junk', reason: 'off_target' })
    expect((await patch(lead.id, { status: 'junk', reason: 'off_target' })).status).toBe(200)
    // Another reason is a change of its own.
    await patch(lead.id, { status: 'junk', reason: 'duplicate' })
    expect((await detail(lead.id)).history.map((e) => [e.kind, e.from, e.to, e.reason])).toEqual([
      ['note', null, null, null],
      ['status', 'new', 'junk', 'off_target'],
      ['status', 'junk', 'junk', 'duplicate'],
    ])
  })

  it('answers 404 for another site’s lead exactly as for an unknown id, on GET and PATCH, and finds ids in any case', async () => {
    const other = uniqueSite('life-other')
    await putSite(other)
    const foreign = validLead(other)
    await submit(foreign)
    const own = validLead(site)
    await submit(own)

    const bodies = []
    for (const id of [foreign.id, crypto.randomUUID(), 'not-a-lead-id']) {
      for (const response of [await patch(id, { status: 'won' }, token), await adminRequest('GET', `/v1/admin/leads/${id}`, undefined, token)]) {
        expect(response.status, id).toBe(404)
        bodies.push(await response.json())
      }
    }
    expect(new Set(bodies.map((b) => JSON.stringify(b)))).toEqual(new Set([JSON.stringify({ error: { code: 'not_found', message: 'No lead here.' } })]))
    expect((await detail(foreign.id)).status).toBe('new')

    const upper = own.id.toUpperCase()
    expect((await patch(upper, { status: 'in_work' }, token)).status).toBe(200)
    expect((await detail(upper, token)).status).toBe('in_work')
  })

  it('answers 409 lead_erased for an erased lead', async () => {
    const lead = validLead(site)
    await submit(lead)
    const erased = await adminRequest('POST', '/v1/admin/erasure', { site, phone: lead.contact.phone })
    expect(erased.status).toBe(200)
    for (const body of [{ status: 'won' }, { status: 'new', note: 'x' }, { status: 'new' }]) {
      const response = await patch(lead.id, body)
      expect(response.status).toBe(409)
      expect(((await response.json()) as ErrorBody).error.code).toBe('lead_erased')
    }
  })

  it('clears the notes of an erased lead, keeping the changes for the counts', async () => {
    const lead = validLead(site)
    await submit(lead)
    await patch(lead.id, { status: 'qualified', note: `Анна, ${lead.contact.phone}, хочет двушку` })
    await patch(lead.id, { status: 'qualified', note: 'Перезвонила сама' })
    const erased = await adminRequest('POST', '/v1/admin/erasure', { site, phone: lead.contact.phone })
    expect(((await erased.json()) as { erasedLeads: number }).erasedLeads).toBe(1)

    expect((await detail(lead.id)).history.map((e) => [e.kind, e.to, e.note])).toEqual([
      ['status', 'qualified', null],
      ['note', null, null],
    ])
    const { results } = await env.DB.prepare('SELECT note FROM lead_events WHERE lead_id = ?').bind(lead.id).all<{ note: string | null }>()
    expect(results.map((r) => r.note)).toEqual([null, null])
  })
})

describe('spam caught at ingest', () => {
  it('is junk/spam from the start, with no history and no first action', async () => {
    const site = uniqueSite('life-spam')
    await putSite(site)
    const bot = validLead(site, { hp: 'I am a bot' })
    await submit(bot)
    expect(await detail(bot.id)).toMatchObject({ status: 'junk', junkReason: 'spam', spam: true, firstActionAt: null, history: [] })
    expect((await detail(bot.id)).flags.map((f) => f.code)).toEqual(['honeypot'])
  })
})

describe('taking a lead', () => {
  const site = uniqueSite('life-take')
  beforeAll(async () => {
    await putSite(site, siteConfig({ targets: [TG_TARGET as never], routing: { mode: 'first_come', managers: MANAGERS } }))
  })

  async function newLead(): Promise<LeadInput> {
    recordOutbound()
    const lead = validLead(site)
    await submit(lead)
    vi.restoreAllMocks()
    return lead
  }

  it('moves a new lead in work, sets the first action and records the take by whoever called', async () => {
    const lead = await newLead()
    const before = Date.now()
    const taken = await admin('POST', `/v1/admin/leads/${lead.id}/take`, { managerId: 'olga' })
    expect(taken.status).toBe(200)
    const read = await detail(lead.id)
    expect(read).toMatchObject({ status: 'in_work', takenBy: 'olga' })
    expect(Date.parse(read.firstActionAt!)).toBeGreaterThanOrEqual(before)
    expect(read.history).toMatchObject([{ kind: 'take', from: 'new', to: 'in_work', reason: null, note: null, by: { kind: 'operator', id: null } }])
  })

  it('keeps a status past new and the first action when the lead is taken later', async () => {
    const lead = await newLead()
    const qualified = (await (await patch(lead.id, { status: 'qualified' })).json()) as LeadView
    await admin('POST', `/v1/admin/leads/${lead.id}/take`, { managerId: 'pavel' })
    const read = await detail(lead.id)
    expect(read).toMatchObject({ status: 'qualified', takenBy: 'pavel', firstActionAt: qualified.firstActionAt })
    expect(read.history.map((e) => [e.kind, e.from, e.to])).toEqual([
      ['status', 'new', 'qualified'],
      ['take', null, null],
    ])
  })

  it('with a manager’s token, records the take and the changes as that manager’s', async () => {
    const minted = await adminRequest('POST', `/v1/admin/sites/${site}/tokens`, { label: 'Ольга', managerId: 'olga' })
    expect(minted.status).toBe(201)
    const olga = ((await minted.json()) as { token: string }).token
    const lead = await newLead()
    expect((await admin('POST', `/v1/admin/leads/${lead.id}/take`, {}, olga)).status).toBe(200)
    expect((await patch(lead.id, { status: 'not_now', note: 'Вернуться в марте' }, olga)).status).toBe(200)
    expect((await detail(lead.id)).history.map((e) => [e.kind, e.to, e.by])).toEqual([
      ['take', 'in_work', { kind: 'manager', id: 'olga' }],
      ['status', 'not_now', { kind: 'manager', id: 'olga' }],
    ])
  })

  it('from Telegram, records the take as the Telegram user’s', async () => {
    const lead = await newLead()
    recordOutbound()
    const response = await exports.default.fetch(
      new Request(`https://worker.test/v1/telegram/${site}/managers`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Telegram-Bot-Api-Secret-Token': TG_SECRET },
        body: JSON.stringify({ update_id: 1, callback_query: { id: 'cb', from: { id: 222, first_name: 'Павел' }, data: `take:${lead.id}` } }),
      }),
    )
    expect(await response.json()).toEqual({ ok: true, taken: true })
    const read = await detail(lead.id)
    expect(read).toMatchObject({ status: 'in_work', takenBy: 'pavel' })
    expect(read.firstActionAt).toEqual(expect.any(String))
    expect(read.history).toMatchObject([{ kind: 'take', from: 'new', to: 'in_work', by: { kind: 'telegram', id: '222' } }])
  })
})

describe('the lead.status_changed webhook', () => {
  const site = uniqueSite('life-hook')
  beforeAll(async () => {
    await putSite(site, siteConfig({ targets: [WEBHOOK_TARGET, TG_TARGET as never], routing: { mode: 'first_come', managers: MANAGERS } }))
  })

  it('goes signed to the webhook target only, in the same transaction as the change, with what changed and who did it', async () => {
    recordOutbound()
    const lead = validLead(site)
    await submit(lead)
    vi.restoreAllMocks()

    const sent = recordOutbound()
    const response = await patch(lead.id, { status: 'junk', reason: 'off_target', note: 'Ищет аренду' })
    expect(response.status).toBe(200)
    expect(sent.map((s) => s.url)).toEqual([WEBHOOK_TARGET.url])
    const event = new Webhook(WEBHOOK_SECRET).verify(sent[0]!.body, sent[0]!.headers) as {
      type: string
      timestamp: string
      data: { id: string; site: string; contact: { name: string }; status: Record<string, unknown> }
    }
    const history = ((await response.json()) as LeadView).history
    expect(event.type).toBe('lead.status_changed')
    expect(event.data).toMatchObject({ id: lead.id, site, contact: { name: 'Анна' } })
    expect(event.data.status).toEqual({
      from: 'new',
      to: 'junk',
      reason: 'off_target',
      note: 'Ищет аренду',
      at: history[0]!.at,
      by: { kind: 'operator', id: null },
      source: { kind: 'admin', ref: null },
    })
    expect(event.timestamp).toBe(history[0]!.at)

    const deliveries = (await detail(lead.id)).deliveries
    expect(deliveries.map((d) => [d.targetId, d.eventType, d.status]).sort()).toEqual([
      ['crm', 'lead.created', 'delivered'],
      ['crm', 'lead.status_changed', 'delivered'],
      ['managers', 'lead.created', 'delivered'],
    ])
    const changed = deliveries.find((d) => d.eventType === 'lead.status_changed')!
    expect(sent[0]!.headers['webhook-id']).toBe(changed.id)
  })

  it('is sent for a take that puts a new lead in work, and not for a note or a status the lead already has', async () => {
    recordOutbound()
    const lead = validLead(site)
    await submit(lead)
    vi.restoreAllMocks()

    const sent = recordOutbound()
    await patch(lead.id, { status: 'new', note: 'просто заметка' })
    await patch(lead.id, { status: 'new' })
    expect(sent).toEqual([])
    await admin('POST', `/v1/admin/leads/${lead.id}/take`, { managerId: 'olga' })
    expect(sent.map((s) => s.url)).toEqual([WEBHOOK_TARGET.url])
    const event = new Webhook(WEBHOOK_SECRET).verify(sent[0]!.body, sent[0]!.headers) as { type: string; data: { status: unknown; manager: unknown } }
    expect(event).toMatchObject({
      type: 'lead.status_changed',
      data: { status: { from: 'new', to: 'in_work', by: { kind: 'operator', id: null } }, manager: { id: 'olga' } },
    })
    const { results } = await env.DB.prepare(`SELECT COUNT(*) AS n FROM deliveries WHERE lead_id = ? AND event_type = 'lead.status_changed'`).bind(lead.id).all<{ n: number }>()
    expect(results[0]!.n).toBe(1)
  })
})

describe('inbox filters and search', () => {
  const site = uniqueSite('life-find')
  const phone = randomMobile()
  const ids: Record<string, string> = {}
  beforeAll(async () => {
    await putSite(site, siteConfig({ routing: { mode: 'first_come', managers: MANAGERS }, rateLimits: { perPhonePerHour: 1000, perSitePerMinute: 10_000 } }))
    const add = async (key: string, overrides: Partial<LeadInput>, utm?: { source: string; campaign: string }) => {
      const lead = validLead(site, overrides)
      if (utm) lead.context = { ...lead.context, utm }
      await submit(lead)
      ids[key] = lead.id
    }
    await add('anna', { contact: { name: 'Анна Петрова', phone } }, { source: 'yandex', campaign: 'spring' })
    await add('ivan', { contact: { name: 'Ivan', email: 'Ivan.Smirnov@Mail.example' } }, { source: 'google', campaign: 'spring' })
    await add('olga', { contact: { name: 'Ольга', phone: randomMobile() } }, { source: 'yandex', campaign: 'autumn' })
    await add('bot', { hp: 'x', contact: { name: 'Robot', phone: randomMobile() }, context: { page: 'https://shop.example/' } })
    await patch(ids.anna!, { status: 'qualified' })
    await patch(ids.olga!, { status: 'junk', reason: 'wrong_number' })
    await admin('POST', `/v1/admin/leads/${ids.ivan}/take`, { managerId: 'pavel' })
  })

  async function found(query: string): Promise<string[]> {
    const response = await adminRequest('GET', `/v1/admin/leads?site=${site}&${query}`)
    expect(response.status, query).toBe(200)
    const byId = Object.fromEntries(Object.entries(ids).map(([k, v]) => [v, k]))
    return ((await response.json()) as { leads: LeadView[] }).leads.map((l) => byId[l.id]!).sort()
  }

  it('filters by status, one or a comma list', async () => {
    expect(await found('status=qualified')).toEqual(['anna'])
    expect(await found('status=junk')).toEqual(['bot', 'olga'])
    expect(await found('status=in_work,qualified')).toEqual(['anna', 'ivan'])
    expect(await found('status=new')).toEqual([])
    const bad = await adminRequest('GET', `/v1/admin/leads?site=${site}&status=qualified,closed`)
    expect(bad.status).toBe(400)
    expect(((await bad.json()) as ErrorBody).error).toMatchObject({ code: 'validation_failed', issues: [{ path: 'status' }] })
  })

  it('filters junk by its reason, for the junk-by-reason cells of the report', async () => {
    expect(await found('junkReason=wrong_number')).toEqual(['olga'])
    expect(await found('junkReason=spam')).toEqual(['bot'])
    expect(await found('junkReason=off_target')).toEqual([])
    const bad = await adminRequest('GET', `/v1/admin/leads?site=${site}&junkReason=typo`)
    expect(bad.status).toBe(400)
    expect(((await bad.json()) as ErrorBody).error).toMatchObject({ code: 'validation_failed', issues: [{ path: 'junkReason' }] })
  })

  it('filters by campaign, UTM source and manager', async () => {
    expect(await found('campaign=spring')).toEqual(['anna', 'ivan'])
    expect(await found('utmSource=yandex')).toEqual(['anna', 'olga'])
    expect(await found('utmSource=yandex&campaign=spring')).toEqual(['anna'])
    expect(await found('manager=pavel')).toEqual(['ivan'])
    expect(await found('manager=olga')).toEqual([])
  })

  it('finds a phone typed in another format, an email in any case and part of a name in any case', async () => {
    const digits = phone.replace(/\D/g, '').slice(1)
    const international = `+7 (${digits.slice(0, 3)}) ${digits.slice(3, 6)}-${digits.slice(6, 8)}-${digits.slice(8)}`
    expect(await found(`q=${encodeURIComponent(international)}`)).toEqual(['anna'])
    expect(await found(`q=${encodeURIComponent(`8${digits}`)}`)).toEqual(['anna'])
    expect(await found(`q=${digits.slice(3)}`)).toEqual(['anna'])
    expect(await found(`q=${encodeURIComponent('ivan.smirnov@mail.EXAMPLE')}`)).toEqual(['ivan'])
    expect(await found('q=smirnov')).toEqual(['ivan'])
    expect(await found(`q=${encodeURIComponent('петрова')}`)).toEqual(['anna'])
    expect(await found(`q=${encodeURIComponent('АННА')}`)).toEqual(['anna'])
    expect(await found(`q=${encodeURIComponent('iVaN')}`)).toEqual(['ivan'])
    expect(await found(`q=${encodeURIComponent('50%')}`)).toEqual([])
    expect(await found(`q=${encodeURIComponent('Ольга')}&status=new`)).toEqual([])
  })

  it('exports the status and the junk reason in the CSV', async () => {
    const csv = await adminRequest('GET', `/v1/admin/leads?site=${site}&format=csv&status=junk`)
    expect(csv.status).toBe(200)
    // Every cell is quoted (worker/src/http/csv.ts); these rows have no line breaks inside cells.
    const parse = (line: string) => [...line.matchAll(/"((?:[^"]|"")*)"/g)].map((m) => m[1]!.replaceAll('""', '"'))
    const [columns, ...cells] = (await csv.text())
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n')
      .map(parse)
    const at = (name: string) => cells.map((r) => r[columns!.indexOf(name)]).sort()
    expect(columns).toEqual(expect.arrayContaining(['status', 'junk_reason', 'first_action_at', 'spam']))
    expect(at('status')).toEqual(['junk', 'junk'])
    expect(at('junk_reason')).toEqual(['spam', 'wrong_number'])
    expect(at('spam')).toEqual(['false', 'true'])
  })
})
