// The storage ports' contract, asserted on the one SQL implementation over whichever SqlDatabase
// this runtime gives: D1 in the `worker` project, node:sqlite in `worker-node`.
import { env } from 'cloudflare:workers'
import * as v from 'valibot'
import { describe, expect, it } from 'vitest'
import type { Manager } from '../../shared/schemas/routing'
import { SiteConfigSchema } from '../../shared/schemas/site-config'
import type { SiteConfigInput } from '../../shared/schemas/site-config'
import type { LeadPayload } from '../../worker/src/model/lead'
import { KNOWN_MIGRATIONS } from '../../worker/src/storage/migrations'
import { sqlDeliveryStore } from '../../worker/src/storage/sql-delivery-store'
import { sqlHealthStore } from '../../worker/src/storage/sql-health-store'
import { sqlLeadStore } from '../../worker/src/storage/sql-lead-store'
import { refusalOf, sqlRateLimiter } from '../../worker/src/storage/sql-rate-limiter'
import { sqlSiteStore } from '../../worker/src/storage/sql-site-store'
import { sqlSiteTokenStore } from '../../worker/src/storage/sql-site-token-store'
import { sqlSlaStore } from '../../worker/src/storage/sql-sla-store'
import { sqlStatsStore } from '../../worker/src/storage/sql-stats-store'
import type { InsertPlan, LeadQuery, NewLead } from '../../worker/src/storage/types'
import { siteConfig, uniqueSite } from './helpers'

const sites = sqlSiteStore(env.DB)
const tokens = sqlSiteTokenStore(env.DB)
const leads = sqlLeadStore(env.DB)
const deliveries = sqlDeliveryStore(env.DB)
const sla = sqlSlaStore(env.DB)
const limiter = sqlRateLimiter(env.DB)
const stats = sqlStatsStore(env.DB)
const health = sqlHealthStore(env.DB)

const SECOND = 1000
const MINUTE = 60 * SECOND
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR
const WINDOW = 30 * DAY
const LEASE = 30 * SECOND

/**
 * Some port methods look at the whole database (due SLA checks, overdue deliveries, the health
 * age, rate-limit cleanup), and the database may hold other suites' rows written at real times.
 * Each test takes its own time slot, earlier than every slot before it and far before today, so
 * such a query sees this test's rows and nothing else.
 */
let lastSlot = Date.UTC(2001, 8, 9)
function timeSlot(): number {
  lastSlot -= 100 * DAY
  return lastSlot
}

const anna: Manager = { id: 'anna', name: 'Анна' }
const boris: Manager = { id: 'boris', name: 'Борис' }
const head: Manager = { id: 'head', name: 'Руководитель' }

async function newSite(prefix: string, at: number, config: SiteConfigInput = siteConfig()): Promise<string> {
  const id = uniqueSite(prefix)
  await sites.putSite(id, v.parse(SiteConfigSchema, config), at)
  return id
}

function randomPhone(): string {
  return `+7912${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`
}

function leadPayload(site: string, at: number, overrides: Partial<LeadPayload> = {}): LeadPayload {
  return {
    id: crypto.randomUUID(),
    site,
    source: 'callback',
    contact: { name: 'Анна', phone: randomPhone() },
    message: 'Перезвоните после обеда',
    consent: { given: true, text: 'Я согласен на обработку персональных данных.' },
    context: {
      page: 'https://shop.example/flats?utm_source=yandex',
      referrer: 'https://yandex.ru/search',
      utm: { source: 'yandex', campaign: 'spring' },
    },
    createdAt: new Date(at).toISOString(),
    duplicate: false,
    score: 55,
    temperature: 'warm',
    reasons: [{ rule: 'source.callback', points: 30, text: 'Просит перезвонить' }],
    ...overrides,
  }
}

interface AddLeadOptions {
  payload?: Partial<LeadPayload>
  lead?: Partial<NewLead>
  plan?: Partial<InsertPlan>
}

async function addLead(site: string, at: number, options: AddLeadOptions = {}) {
  const payload = leadPayload(site, at, options.payload)
  const lead: NewLead = {
    payload,
    status: 'accepted',
    flags: [],
    replyText: 'Спасибо! Перезвоним.',
    ip: '203.0.113.7',
    userAgent: 'Mozilla/5.0 (test)',
    createdAt: at,
    ...options.lead,
  }
  const result = await leads.insertLead(lead, { deliveries: [], dedupeWindowMs: WINDOW, ...options.plan })
  return { id: payload.id, payload, lead, result }
}

/** A lead with one pending delivery due at `dueAt`. */
async function addDelivery(site: string, at: number, dueAt = at, targetId = 'crm') {
  const deliveryId = crypto.randomUUID()
  const { id: leadId } = await addLead(site, at, { plan: { deliveries: [{ id: deliveryId, targetId, nextAttemptAt: dueAt }] } })
  return { leadId, deliveryId }
}

async function leadColumns(id: string) {
  return env.DB.prepare('SELECT name, phone, email, ip, user_agent, consent_text, page, manager_id FROM leads WHERE id = ?').bind(id).first<Record<string, unknown>>()
}

const byId = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)

describe('SiteStore', () => {
  it('creates a site, then replaces it, keeping when it was created', async () => {
    const t = timeSlot()
    const id = uniqueSite('store-site')
    const first = v.parse(SiteConfigSchema, siteConfig())
    expect(await sites.putSite(id, first, t)).toBe('created')
    expect(await sites.getSite(id)).toEqual({ id, config: first, createdAt: t, updatedAt: t })

    const second = v.parse(SiteConfigSchema, siteConfig({ country: 'KZ', locale: 'en' }))
    expect(await sites.putSite(id, second, t + MINUTE)).toBe('replaced')
    expect(await sites.getSite(id)).toEqual({ id, config: second, createdAt: t, updatedAt: t + MINUTE })
  })

  it('returns null for an unknown site', async () => {
    expect(await sites.getSite(uniqueSite('store-none'))).toBeNull()
  })

  it('parses a stored config on read, so defaults reach rows written before them', async () => {
    const t = timeSlot()
    const id = uniqueSite('store-old')
    await env.DB.prepare('INSERT INTO sites (id, config, created_at, updated_at) VALUES (?, ?, ?, ?)')
      .bind(id, JSON.stringify({ origins: ['https://old.example'] }), t, t)
      .run()
    const record = await sites.getSite(id)
    expect(record?.config).toEqual(v.parse(SiteConfigSchema, { origins: ['https://old.example'] }))
    expect(record?.config).toMatchObject({ country: 'RU', locale: 'ru', targets: [] })
  })

  it('fails loudly on a stored config the schema no longer accepts', async () => {
    const t = timeSlot()
    const id = uniqueSite('store-bad')
    await env.DB.prepare('INSERT INTO sites (id, config, created_at, updated_at) VALUES (?, ?, ?, ?)')
      .bind(id, JSON.stringify({ origins: ['not an origin'] }), t, t)
      .run()
    try {
      await expect(sites.getSite(id)).rejects.toThrow(`stored config of site "${id}" does not parse`)
    } finally {
      // listSites would fail on it too, here and in any suite sharing this database.
      await env.DB.prepare('DELETE FROM sites WHERE id = ?').bind(id).run()
    }
  })

  it('lists every site by id, each parsed', async () => {
    const t = timeSlot()
    const a = await newSite('store-list', t)
    const b = await newSite('store-list', t + SECOND, siteConfig({ country: 'BY' }))
    const listed = await sites.listSites()
    const ids = listed.map((s) => s.id)
    expect(ids).toEqual([...ids].sort(byId))
    const mine = listed.filter((s) => s.id === a || s.id === b)
    expect(mine.map((s) => s.id)).toEqual([a, b].sort(byId))
    expect(mine.find((s) => s.id === b)).toMatchObject({ createdAt: t + SECOND, config: { country: 'BY', targets: [] } })
  })

  it('knows the origins of the current config only', async () => {
    const t = timeSlot()
    const id = uniqueSite('store-origin')
    const kept = `https://${uniqueSite('kept')}.example`
    const dropped = `https://${uniqueSite('dropped')}.example`
    expect(await sites.isKnownOrigin(kept)).toBe(false)
    await sites.putSite(id, v.parse(SiteConfigSchema, siteConfig({ origins: [kept, dropped, kept] })), t)
    expect(await sites.isKnownOrigin(kept)).toBe(true)
    expect(await sites.isKnownOrigin(dropped)).toBe(true)

    await sites.putSite(id, v.parse(SiteConfigSchema, siteConfig({ origins: [kept] })), t + MINUTE)
    expect(await sites.isKnownOrigin(kept)).toBe(true)
    expect(await sites.isKnownOrigin(dropped)).toBe(false)
    // Exact match: no prefix, no trailing slash.
    expect(await sites.isKnownOrigin(`${kept}/`)).toBe(false)
  })
})

describe('SiteTokenStore', () => {
  it('finds the site of a token hash, and revokes all of a site and nothing else', async () => {
    const t = timeSlot()
    const site = await newSite('store-tok', t)
    const other = await newSite('store-tok', t)
    const [h1, h2, h3] = [crypto.randomUUID(), crypto.randomUUID(), crypto.randomUUID()]
    await tokens.add({ hash: h1, siteId: site, label: 'crm sync', createdAt: t })
    await tokens.add({ hash: h2, siteId: site, label: null, createdAt: t + 1 })
    await tokens.add({ hash: h3, siteId: other, label: null, createdAt: t + 2 })
    expect(await tokens.findSite(h1)).toBe(site)
    expect(await tokens.findSite(h2)).toBe(site)
    expect(await tokens.findSite(h3)).toBe(other)
    expect(await tokens.findSite(crypto.randomUUID())).toBeNull()

    expect(await tokens.revokeAll(site)).toBe(2)
    expect(await tokens.findSite(h1)).toBeNull()
    expect(await tokens.findSite(h2)).toBeNull()
    expect(await tokens.findSite(h3)).toBe(other)
    expect(await tokens.revokeAll(site)).toBe(0)
  })
})

describe('LeadStore: insert and find', () => {
  it('stores a lead and finds it as it was written', async () => {
    const t = timeSlot()
    const site = await newSite('store-lead', t)
    const { id, payload, result } = await addLead(site, t, { lead: { replyText: 'Перезвоним через 5 минут' } })
    expect(result).toEqual({ status: 'inserted', duplicateOf: null })
    // toMatchObject: the record may carry more than these fields (the lifecycle adds some).
    expect(await leads.findLead(id)).toMatchObject({
      payload,
      status: 'accepted',
      flags: [],
      replyText: 'Перезвоним через 5 минут',
      createdAt: t,
      takenBy: null,
      erased: false,
    })
    expect(await leads.findLead(crypto.randomUUID())).toBeNull()
  })

  it('keeps a spam lead with its flags', async () => {
    const t = timeSlot()
    const site = await newSite('store-spam', t)
    const flags = [{ code: 'honeypot' as const, detail: 'the hidden field was filled' }]
    const { id } = await addLead(site, t, { lead: { status: 'spam', flags }, plan: { dedupeWindowMs: null } })
    expect(await leads.findLead(id)).toMatchObject({ status: 'spam', flags })
  })

  it('answers exists for an id already stored and changes nothing', async () => {
    const t = timeSlot()
    const site = await newSite('store-again', t)
    const firstDelivery = crypto.randomUUID()
    const first = await addLead(site, t, { plan: { deliveries: [{ id: firstDelivery, targetId: 'crm', nextAttemptAt: t }] } })
    const before = await leads.findLead(first.id)

    const secondDelivery = crypto.randomUUID()
    const again = await leads.insertLead(
      { ...first.lead, payload: { ...first.payload, message: 'другое' }, replyText: 'другой ответ', status: 'spam', createdAt: t + MINUTE },
      { deliveries: [{ id: secondDelivery, targetId: 'crm', nextAttemptAt: t + MINUTE }], dedupeWindowMs: WINDOW, slaDueAt: t + 2 * MINUTE },
    )
    expect(again).toEqual({ status: 'exists' })
    expect(await leads.findLead(first.id)).toEqual(before)
    expect((await deliveries.listForLeads([first.id])).map((d) => d.id)).toEqual([firstDelivery])
    expect(await deliveries.getDelivery(secondDelivery)).toBeNull()
    expect((await sla.listDue(t + HOUR, 0, 100)).filter((c) => c.leadId === first.id)).toEqual([])
  })

  it('stores payload.manager as the lead manager', async () => {
    const t = timeSlot()
    const site = await newSite('store-mgr', t)
    const { id } = await addLead(site, t, { payload: { manager: anna } })
    expect((await leads.findLead(id))?.payload.manager).toEqual(anna)
    expect((await leadColumns(id))?.manager_id).toBe('anna')
    const { id: open } = await addLead(site, t)
    expect((await leadColumns(open))?.manager_id).toBeNull()
  })
})

describe('LeadStore: dedupe', () => {
  it('links a repeat of a phone to the first lead, and every later repeat to the same one', async () => {
    const t = timeSlot()
    const site = await newSite('store-dup', t)
    const phone = randomPhone()
    const first = await addLead(site, t, { payload: { contact: { phone } } })
    const second = await addLead(site, t + MINUTE, { payload: { contact: { phone, email: 'anna@shop.example' } } })
    const third = await addLead(site, t + 2 * MINUTE, { payload: { contact: { phone } } })
    expect(first.result).toEqual({ status: 'inserted', duplicateOf: null })
    expect(second.result).toEqual({ status: 'inserted', duplicateOf: first.id })
    expect(third.result).toEqual({ status: 'inserted', duplicateOf: first.id })
    // The repeat's new email was remembered for the first lead too: the chain never forks.
    const fourth = await addLead(site, t + 3 * MINUTE, { payload: { contact: { email: 'anna@shop.example' } } })
    expect(fourth.result).toEqual({ status: 'inserted', duplicateOf: first.id })

    expect((await leads.findLead(second.id))?.payload).toEqual({ ...second.payload, duplicate: true, duplicateOf: first.id })
    expect((await leads.findLead(first.id))?.payload).toEqual(first.payload)
  })

  it('links a lead whose phone and email belong to two chains to the one that started first', async () => {
    const t = timeSlot()
    const site = await newSite('store-two-chains', t)
    const [phone, later] = [randomPhone(), randomPhone()]
    const byPhone = await addLead(site, t, { payload: { contact: { phone } } })
    const byEmail = await addLead(site, t + MINUTE, { payload: { contact: { email: 'olga@shop.example' } } })
    const laterPhone = await addLead(site, t + 2 * MINUTE, { payload: { contact: { phone: later } } })
    expect([byEmail.result, laterPhone.result]).toEqual([
      { status: 'inserted', duplicateOf: null },
      { status: 'inserted', duplicateOf: null },
    ])
    // The phone's chain is the older one here, and the email's in the next: each side can win.
    const both = await addLead(site, t + 3 * MINUTE, { payload: { contact: { phone, email: 'olga@shop.example' } } })
    expect(both.result).toEqual({ status: 'inserted', duplicateOf: byPhone.id })
    const emailFirst = await addLead(site, t + 4 * MINUTE, { payload: { contact: { phone: later, email: 'OLGA@shop.example' } } })
    expect(emailFirst.result).toEqual({ status: 'inserted', duplicateOf: byEmail.id })
  })

  it('matches an email in another case', async () => {
    const t = timeSlot()
    const site = await newSite('store-mail', t)
    const first = await addLead(site, t, { payload: { contact: { email: 'ivan.petrov@shop.example' } } })
    const second = await addLead(site, t + MINUTE, { payload: { contact: { email: 'Ivan.Petrov@shop.example' } } })
    expect(second.result).toEqual({ status: 'inserted', duplicateOf: first.id })
  })

  it('does not link leads of different sites', async () => {
    const t = timeSlot()
    const a = await newSite('store-site-a', t)
    const b = await newSite('store-site-b', t)
    const phone = randomPhone()
    await addLead(a, t, { payload: { contact: { phone } } })
    expect((await addLead(b, t + MINUTE, { payload: { contact: { phone } } })).result).toEqual({ status: 'inserted', duplicateOf: null })
  })

  it('counts a repeat inside the window only; one outside starts a new chain', async () => {
    const t = timeSlot()
    const site = await newSite('store-window', t)
    const phone = randomPhone()
    const first = await addLead(site, t, { payload: { contact: { phone } } })
    const atEdge = await addLead(site, t + WINDOW, { payload: { contact: { phone } } })
    expect(atEdge.result).toEqual({ status: 'inserted', duplicateOf: first.id })
    const outside = await addLead(site, t + WINDOW + 1, { payload: { contact: { phone } } })
    expect(outside.result).toEqual({ status: 'inserted', duplicateOf: null })
    const next = await addLead(site, t + WINDOW + MINUTE, { payload: { contact: { phone } } })
    expect(next.result).toEqual({ status: 'inserted', duplicateOf: outside.id })
  })

  it('never dedupes with dedupeWindowMs null, and does not remember that lead contact', async () => {
    const t = timeSlot()
    const site = await newSite('store-nodedupe', t)
    const phone = randomPhone()
    const first = await addLead(site, t, { payload: { contact: { phone } } })
    const unchecked = await addLead(site, t + MINUTE, { payload: { contact: { phone } }, plan: { dedupeWindowMs: null } })
    expect(unchecked.result).toEqual({ status: 'inserted', duplicateOf: null })
    expect((await leads.findLead(unchecked.id))?.payload.duplicate).toBe(false)

    const fresh = randomPhone()
    await addLead(site, t + 2 * MINUTE, { payload: { contact: { phone: fresh } }, plan: { dedupeWindowMs: null } })
    expect((await addLead(site, t + 3 * MINUTE, { payload: { contact: { phone: fresh } } })).result).toEqual({
      status: 'inserted',
      duplicateOf: null,
    })
    expect((await addLead(site, t + 4 * MINUTE, { payload: { contact: { phone } } })).result).toEqual({
      status: 'inserted',
      duplicateOf: first.id,
    })
  })
})

describe('LeadStore: what is written with the lead', () => {
  it('writes its deliveries pending, as lead.created, or lead.repeated for a repeat', async () => {
    const t = timeSlot()
    const site = await newSite('store-dlv', t)
    const phone = randomPhone()
    const [d1, d2, d3] = [crypto.randomUUID(), crypto.randomUUID(), crypto.randomUUID()]
    const first = await addLead(site, t, {
      payload: { contact: { phone } },
      plan: {
        deliveries: [
          { id: d1, targetId: 'crm', nextAttemptAt: t },
          { id: d2, targetId: 'tg', nextAttemptAt: t + SECOND },
        ],
      },
    })
    const repeat = await addLead(site, t + MINUTE, {
      payload: { contact: { phone } },
      plan: { deliveries: [{ id: d3, targetId: 'crm', nextAttemptAt: t + MINUTE }] },
    })
    const pending = { status: 'pending', attempts: 0, lastError: null, deliveredAt: null, siteId: site }
    const written = [
      { ...pending, id: d1, leadId: first.id, targetId: 'crm', eventType: 'lead.created', nextAttemptAt: t, createdAt: t },
      { ...pending, id: d2, leadId: first.id, targetId: 'tg', eventType: 'lead.created', nextAttemptAt: t + SECOND, createdAt: t },
      { ...pending, id: d3, leadId: repeat.id, targetId: 'crm', eventType: 'lead.repeated', nextAttemptAt: t + MINUTE, createdAt: t + MINUTE },
    ]
    // Listed by creation, then id.
    const ordered = [...written].sort((x, y) => x.createdAt - y.createdAt || byId(x.id, y.id))
    expect(await deliveries.listForLeads([repeat.id, first.id])).toEqual(ordered)
  })

  it('writes the first SLA check, due at slaDueAt and not before', async () => {
    const t = timeSlot()
    const site = await newSite('store-sla', t)
    const { id } = await addLead(site, t, { plan: { slaDueAt: t + 5 * MINUTE } })
    expect(await sla.listDue(t + 5 * MINUTE - 1, 0, 100)).toEqual([])
    expect(await sla.listDue(t + 5 * MINUTE, 0, 100)).toEqual([{ leadId: id, round: 0, dueAt: t + 5 * MINUTE }])
  })
})

describe('LeadStore: taking and escalating', () => {
  it('lets the first manager take a lead and makes them its manager', async () => {
    const t = timeSlot()
    const site = await newSite('store-take', t)
    const { id } = await addLead(site, t)
    expect(await leads.takeLead(id, anna, t + MINUTE)).toEqual({ status: 'taken', statusChanged: true })
    expect(await leads.takeLead(id, boris, t + 2 * MINUTE)).toEqual({ status: 'already_taken', takenBy: 'anna' })
    const record = await leads.findLead(id)
    expect(record?.takenBy).toBe('anna')
    expect(record?.payload.manager).toEqual(anna)
    expect((await leadColumns(id))?.manager_id).toBe('anna')
    expect(await leads.takeLead(crypto.randomUUID(), anna, t)).toEqual({ status: 'not_found' })
  })

  it('says whether a take moved the lead in work: not for a lead already past new', async () => {
    const t = timeSlot()
    const site = await newSite('store-take-late', t)
    const { id } = await addLead(site, t)
    await leads.changeStatus(
      { leadId: id, to: 'qualified', reason: null, note: null, actor: { kind: 'operator', id: null }, at: t + SECOND },
      { eventId: crypto.randomUUID(), deliveries: [] },
    )
    expect(await leads.takeLead(id, anna, t + MINUTE, { source: { kind: 'telegram', ref: null } })).toEqual({ status: 'taken', statusChanged: false })
    expect((await leads.findLead(id))?.stage).toBe('qualified')
    expect((await leads.listEvents(id)).map((e) => [e.kind, e.to, e.source.kind])).toEqual([
      ['status', 'qualified', 'admin'],
      ['take', null, 'telegram'],
    ])
  })

  it('moves a lead on by one SLA round in one call', async () => {
    const t = timeSlot()
    const site = await newSite('store-esc', t)
    const { id, payload } = await addLead(site, t, { payload: { manager: anna }, plan: { slaDueAt: t + 5 * MINUTE } })
    const [n1, n2] = [crypto.randomUUID(), crypto.randomUUID()]
    const now = t + 5 * MINUTE + SECOND
    await leads.escalateLead(
      {
        leadId: id,
        siteId: site,
        round: 1,
        manager: boris,
        headOfSales: head,
        notices: [
          { id: n1, targetId: 'tg' },
          { id: n2, targetId: 'crm' },
        ],
        nextCheckAt: now + 5 * MINUTE,
      },
      now,
    )
    const record = await leads.findLead(id)
    expect(record?.payload).toEqual({ ...payload, manager: boris, escalations: 1, headOfSales: head })
    expect((await leadColumns(id))?.manager_id).toBe('boris')
    const notice = { leadId: id, siteId: site, eventType: 'lead.escalated', status: 'pending', attempts: 0, nextAttemptAt: now, createdAt: now }
    expect(await deliveries.getDelivery(n1)).toMatchObject({ ...notice, targetId: 'tg' })
    expect(await deliveries.getDelivery(n2)).toMatchObject({ ...notice, targetId: 'crm' })
    // Round 0 is done; round 1 is due later.
    expect(await sla.listDue(now + 5 * MINUTE - 1, 0, 100)).toEqual([])
    expect(await sla.listDue(now + 5 * MINUTE, 0, 100)).toEqual([{ leadId: id, round: 1, dueAt: now + 5 * MINUTE }])

    const later = now + 5 * MINUTE + SECOND
    await leads.escalateLead({ leadId: id, siteId: site, round: 2, manager: null, headOfSales: head, notices: [], nextCheckAt: null }, later)
    const last = await leads.findLead(id)
    expect(last?.payload.escalations).toBe(2)
    expect(last?.payload.manager ?? null).toBeNull()
    expect((await leadColumns(id))?.manager_id).toBeNull()
    expect(await sla.listDue(later + DAY, 0, 100)).toEqual([])
    expect((await deliveries.listForLeads([id])).map((d) => d.id).sort(byId)).toEqual([n1, n2].sort(byId))
  })

  it('escalates neither a lead taken since its check read it nor the same round twice: only the check is done', async () => {
    const t = timeSlot()
    const site = await newSite('store-esc-race', t)
    const now = t + 5 * MINUTE + SECOND
    const round = (leadId: string, id = crypto.randomUUID()) =>
      leads.escalateLead({ leadId, siteId: site, round: 1, manager: boris, headOfSales: head, notices: [{ id, targetId: 'tg' }], nextCheckAt: now + 5 * MINUTE }, now)

    // Taken between the check's read and its escalation: the take stands, nobody is told.
    const taken = await addLead(site, t, { payload: { manager: anna }, plan: { slaDueAt: t + 5 * MINUTE } })
    expect(await leads.takeLead(taken.id, anna, now - SECOND, { source: { kind: 'telegram', ref: null } })).toMatchObject({ status: 'taken' })
    expect(await round(taken.id)).toBe(false)
    const kept = (await leads.findLead(taken.id))?.payload
    expect(kept?.manager).toEqual(anna)
    expect(kept?.escalations ?? 0).toBe(0)
    expect((await leadColumns(taken.id))?.manager_id).toBe('anna')
    expect(await deliveries.listForLeads([taken.id])).toEqual([])
    expect((await sla.listDue(now + DAY, 0, 100)).filter((c) => c.leadId === taken.id)).toEqual([])

    // The same round twice (a late queue message and the sweep's): one set of notices, one next check.
    const untaken = await addLead(site, t, { payload: { manager: anna }, plan: { slaDueAt: t + 5 * MINUTE } })
    const [first, second] = [crypto.randomUUID(), crypto.randomUUID()]
    expect(await round(untaken.id, first)).toBe(true)
    expect(await round(untaken.id, second)).toBe(false)
    expect((await deliveries.listForLeads([untaken.id])).map((d) => d.id)).toEqual([first])
    expect((await sla.listDue(now + DAY, 0, 100)).filter((c) => c.leadId === untaken.id)).toEqual([{ leadId: untaken.id, round: 1, dueAt: now + 5 * MINUTE }])
  })
})

describe('LeadStore: outcomes from outside sources', () => {
  const crm = { kind: 'crm', id: 'amocrm' } as const
  function fromAmo(id: string, to: 'qualified' | 'won' | 'in_work', ref: string, sourceAt: number, at: number) {
    return leads.changeStatus(
      { leadId: id, to, reason: null, note: null, actor: crm, at, source: { kind: 'amocrm', ref }, sourceAt },
      { eventId: crypto.randomUUID(), deliveries: [] },
    )
  }

  it('applies an event once, drops a repeat and an older one, and moves the cursor when our status stays', async () => {
    const t = timeSlot()
    const site = await newSite('store-outcome', t)
    const { id } = await addLead(site, t)
    expect(await fromAmo(id, 'qualified', 'A', t + 10 * SECOND, t + MINUTE)).toEqual({ status: 'changed' })
    expect(await fromAmo(id, 'qualified', 'A', t + 10 * SECOND, t + 2 * MINUTE)).toEqual({ status: 'stale' })
    expect(await fromAmo(id, 'in_work', 'OLD', t + 5 * SECOND, t + 3 * MINUTE)).toEqual({ status: 'stale' })
    // Another CRM stage that maps to the status we have: nothing to write, but it is the latest now.
    expect(await fromAmo(id, 'qualified', 'B', t + 20 * SECOND, t + 4 * MINUTE)).toEqual({ status: 'unchanged' })
    expect(await fromAmo(id, 'won', 'A', t + 15 * SECOND, t + 5 * MINUTE)).toEqual({ status: 'stale' })
    expect(await fromAmo(id, 'won', 'C', t + 30 * SECOND, t + 6 * MINUTE)).toEqual({ status: 'changed' })
    const events = await leads.listEvents(id)
    expect(events.map((e) => [e.to, e.source])).toEqual([
      ['qualified', { kind: 'amocrm', ref: 'A' }],
      ['won', { kind: 'amocrm', ref: 'C' }],
    ])
    // Another source has a cursor of its own; a change without a source is the admin API's and always applies.
    expect(
      (
        await leads.changeStatus(
          { leadId: id, to: 'in_work', reason: null, note: null, actor: { kind: 'operator', id: null }, at: t + 7 * MINUTE },
          { eventId: crypto.randomUUID(), deliveries: [] },
        )
      ).status,
    ).toBe('changed')
    expect((await leads.listEvents(id)).at(-1)?.source).toEqual({ kind: 'admin', ref: null })
    expect(await fromAmo(crypto.randomUUID(), 'won', 'Z', t, t)).toEqual({ status: 'not_found' })
  })

  it('finds a lead by the id a target gave it on delivery; a repeat of that id points at the newer lead', async () => {
    const t = timeSlot()
    const site = await newSite('store-extref', t)
    const first = await addDelivery(site, t, t, 'hs')
    const second = await addDelivery(site, t + MINUTE, t + MINUTE, 'hs')
    const deliver = async (deliveryId: string, at: number, externalId?: string) => {
      expect(await deliveries.claimDelivery(deliveryId, at, LEASE)).not.toBeNull()
      await deliveries.finishAttempt(
        { deliveryId, attempt: 1, startedAt: at, durationMs: 5, httpStatus: 201, outcome: 'delivered', error: null, ...(externalId && { externalId }), leaseUntil: at + LEASE },
        at,
      )
    }
    await deliver(first.deliveryId, t, '9001')
    expect(await leads.findByExternalId(site, 'hs', '9001')).toBe(first.leadId)
    expect(await leads.findByExternalId(site, 'other', '9001')).toBeNull()
    expect(await leads.findByExternalId('another-site', 'hs', '9001')).toBeNull()
    await deliver(second.deliveryId, t + MINUTE, '9001')
    expect(await leads.findByExternalId(site, 'hs', '9001')).toBe(second.leadId)
  })
})

describe('LeadStore: queries', () => {
  it('filters leads and pages them newest first, ties by id', async () => {
    const t = timeSlot()
    const site = await newSite('store-list', t)
    const other = await newSite('store-list', t)
    const phone = randomPhone()
    const hot = await addLead(site, t, { payload: { contact: { phone }, temperature: 'hot', score: 80 } })
    const cold = await addLead(site, t + SECOND, { payload: { temperature: 'cold', score: 10 } })
    const spam = await addLead(site, t + 2 * SECOND, {
      lead: { status: 'spam', flags: [{ code: 'too_fast', detail: '200 ms' }] },
      plan: { dedupeWindowMs: null },
    })
    const repeat = await addLead(site, t + 3 * SECOND, { payload: { contact: { phone } } })
    const tieA = await addLead(site, t + 4 * SECOND)
    const tieB = await addLead(site, t + 4 * SECOND)
    await addLead(other, t + 5 * SECOND)
    const ids = async (query: Omit<LeadQuery, 'limit'> & { limit?: number }) => (await leads.listLeads({ limit: 100, ...query })).map((r) => r.payload.id)

    const ties = [tieA.id, tieB.id].sort(byId).reverse()
    const all = [...ties, repeat.id, spam.id, cold.id, hot.id]
    expect(await ids({ siteId: site })).toEqual(all)
    expect(await ids({ siteId: site, from: t + SECOND, to: t + 3 * SECOND })).toEqual([spam.id, cold.id])
    expect(await ids({ siteId: site, temperature: 'hot' })).toEqual([hot.id])
    expect(await ids({ siteId: site, temperature: 'cold' })).toEqual([cold.id])
    expect(await ids({ siteId: site, spam: true })).toEqual([spam.id])
    expect(await ids({ siteId: site, spam: false })).toEqual(all.filter((id) => id !== spam.id))
    expect(await ids({ siteId: site, duplicate: true })).toEqual([repeat.id])
    expect(await ids({ siteId: site, duplicate: false })).toEqual(all.filter((id) => id !== repeat.id))
    expect(await ids({ siteId: site, limit: 2 })).toEqual(all.slice(0, 2))

    // Walking the pages with `before` visits every lead once, in order, across the tie.
    const seen: string[] = []
    let before: { createdAt: number; id: string } | undefined
    for (let page = 0; page < 10; page++) {
      const rows = await leads.listLeads({ siteId: site, limit: 1 + (page % 2), ...(before && { before }) })
      if (rows.length === 0) break
      seen.push(...rows.map((r) => r.payload.id))
      const last = rows.at(-1)!
      before = { createdAt: last.createdAt, id: last.payload.id }
    }
    expect(seen).toEqual(all)
  })

  it('finds a site’s leads by phone or by email in any case', async () => {
    const t = timeSlot()
    const site = await newSite('store-contact', t)
    const other = await newSite('store-contact', t)
    const phone = randomPhone()
    const a = await addLead(site, t, { payload: { contact: { phone } } })
    const b = await addLead(site, t + SECOND, { payload: { contact: { phone, email: 'olga@shop.example' } } })
    const c = await addLead(site, t + 2 * SECOND, { payload: { contact: { email: 'olga@shop.example' } } })
    await addLead(other, t, { payload: { contact: { phone, email: 'olga@shop.example' } } })
    expect((await leads.findByContact(site, { phone })).sort(byId)).toEqual([a.id, b.id].sort(byId))
    expect((await leads.findByContact(site, { email: 'Olga@Shop.Example' })).sort(byId)).toEqual([b.id, c.id].sort(byId))
    expect((await leads.findByContact(site, { phone, email: 'olga@shop.example' })).sort(byId)).toEqual([a.id, b.id, c.id].sort(byId))
    expect(await leads.findByContact(site, { phone: randomPhone() })).toEqual([])
    expect(await leads.findByContact(site, {})).toEqual([])
  })

  it('lists a site’s leads created before a time that are not erased yet', async () => {
    const t = timeSlot()
    const site = await newSite('store-expired', t)
    const old1 = await addLead(site, t)
    const old2 = await addLead(site, t + SECOND)
    await addLead(site, t + 2 * SECOND)
    expect((await leads.listExpired(site, t + 2 * SECOND, 10)).sort(byId)).toEqual([old1.id, old2.id].sort(byId))
    expect(await leads.listExpired(site, t + 2 * SECOND, 1)).toHaveLength(1)
    await leads.erasePersonalData([old1.id], t + DAY)
    expect(await leads.listExpired(site, t + 2 * SECOND, 10)).toEqual([old2.id])
  })

  it('names the manager of a contact’s first lead inside the window, by phone or email in any case', async () => {
    const t = timeSlot()
    const site = await newSite('store-owner', t)
    const phone = randomPhone()
    const email = `owner-${crypto.randomUUID().slice(0, 8)}@mail.example`
    await addLead(site, t, { payload: { contact: { phone, email }, manager: anna } })
    // A repeat with another manager does not change whose the person is.
    await addLead(site, t + SECOND, { payload: { contact: { phone }, manager: boris } })
    expect(await leads.firstLeadManager(site, { phone }, t - DAY)).toBe('anna')
    expect(await leads.firstLeadManager(site, { email: email.toUpperCase() }, t - DAY)).toBe('anna')
    expect(await leads.firstLeadManager(site, { phone }, t + 1)).toBeNull()
    expect(await leads.firstLeadManager(site, { phone: randomPhone() }, t - DAY)).toBeNull()
    expect(await leads.firstLeadManager(await newSite('store-owner', t), { phone }, t - DAY)).toBeNull()
    const open = randomPhone()
    await addLead(site, t, { payload: { contact: { phone: open } } })
    expect(await leads.firstLeadManager(site, { phone: open }, t - DAY)).toBeNull()
  })

  it('hands out round-robin turns 0, 1, 2 per site', async () => {
    const t = timeSlot()
    const a = await newSite('store-turn', t)
    const b = await newSite('store-turn', t)
    expect(await leads.nextRoutingTurn(a)).toBe(0)
    expect(await leads.nextRoutingTurn(a)).toBe(1)
    expect(await leads.nextRoutingTurn(b)).toBe(0)
    expect(await leads.nextRoutingTurn(a)).toBe(2)
  })
})

describe('LeadStore: erasure', () => {
  it('clears personal fields, forgets dedupe keys and cancels pending deliveries', async () => {
    const t = timeSlot()
    const site = await newSite('store-erase', t)
    const phone = randomPhone()
    const email = 'maria@shop.example'
    const [pendingId, deliveredId] = [crypto.randomUUID(), crypto.randomUUID()]
    const { id, payload } = await addLead(site, t, {
      payload: { contact: { name: 'Мария', phone, email }, answers: { budget: 5 } },
      plan: {
        deliveries: [
          { id: pendingId, targetId: 'crm', nextAttemptAt: t + HOUR },
          { id: deliveredId, targetId: 'tg', nextAttemptAt: t },
        ],
      },
    })
    const kept = await addLead(site, t, { payload: { contact: { phone: randomPhone() } }, plan: { deliveries: [{ id: crypto.randomUUID(), targetId: 'crm', nextAttemptAt: t }] } })
    expect(await deliveries.claimDelivery(deliveredId, t, LEASE)).not.toBeNull()
    await deliveries.finishAttempt(
      { deliveryId: deliveredId, attempt: 1, startedAt: t, durationMs: 120, httpStatus: 200, outcome: 'delivered', error: null, leaseUntil: t + LEASE },
      t + SECOND,
    )

    expect(await leads.erasePersonalData([id], t + DAY)).toEqual({ leads: 1, deliveriesCancelled: 1 })
    const record = await leads.findLead(id)
    expect(record?.erased).toBe(true)
    expect(record?.payload).toEqual({
      ...payload,
      contact: {},
      message: undefined,
      answers: undefined,
      consent: { given: true },
      context: { utm: payload.context?.utm },
      erased: true,
    })
    expect(await leadColumns(id)).toEqual({ name: null, phone: null, email: null, ip: null, user_agent: null, consent_text: null, page: null, manager_id: null })
    expect(await deliveries.getDelivery(pendingId)).toMatchObject({ status: 'failed', lastError: 'cancelled: personal data erased' })
    expect(await deliveries.getDelivery(deliveredId)).toMatchObject({ status: 'delivered' })
    expect(await leads.findByContact(site, { phone, email })).toEqual([])

    // The contact is forgotten: it is new again.
    expect((await addLead(site, t + DAY + 1, { payload: { contact: { phone } } })).result).toEqual({ status: 'inserted', duplicateOf: null })
    expect((await addLead(site, t + DAY + 2, { payload: { contact: { email } } })).result).toEqual({ status: 'inserted', duplicateOf: null })
    // Other leads are untouched.
    expect((await leads.findLead(kept.id))?.erased).toBe(false)
    expect((await deliveries.listForLeads([kept.id]))[0]?.status).toBe('pending')
  })

  it('erases nothing for no ids', async () => {
    expect(await leads.erasePersonalData([], timeSlot())).toEqual({ leads: 0, deliveriesCancelled: 0 })
  })

  // A repeat's new contact is remembered under the FIRST lead's id (so the chain never forks):
  // erasing the repeat alone must still forget it.
  it('forgets the dedupe key of a contact only a repeat lead had', async () => {
    const t = timeSlot()
    const site = await newSite('store-erase-dup', t)
    const phone = randomPhone()
    await addLead(site, t, { payload: { contact: { phone } } })
    const repeat = await addLead(site, t + MINUTE, { payload: { contact: { phone, email: 'only.repeat@shop.example' } } })
    expect(await leads.findByContact(site, { email: 'only.repeat@shop.example' })).toEqual([repeat.id])
    await leads.erasePersonalData([repeat.id], t + 2 * MINUTE)
    const { count } = (await env.DB.prepare("SELECT COUNT(*) AS count FROM contact_keys WHERE site_id = ? AND kind = 'email'").bind(site).first<{ count: number }>())!
    expect(count).toBe(0)
    const next = await addLead(site, t + 3 * MINUTE, { payload: { contact: { email: 'only.repeat@shop.example' } } })
    expect(next.result).toEqual({ status: 'inserted', duplicateOf: null })
  })
})

describe('DeliveryStore', () => {
  it('leases a due delivery to one claimer; an expired lease makes it claimable as interrupted', async () => {
    const t = timeSlot()
    const site = await newSite('store-claim', t)
    const { leadId, deliveryId } = await addDelivery(site, t, t + MINUTE)
    expect(await deliveries.claimDelivery(deliveryId, t + MINUTE - 1, LEASE)).toBeNull()
    expect(await deliveries.claimDelivery(crypto.randomUUID(), t + MINUTE, LEASE)).toBeNull()

    const claimed = await deliveries.claimDelivery(deliveryId, t + MINUTE, LEASE)
    expect(claimed).toMatchObject({ id: deliveryId, leadId, siteId: site, status: 'pending', attempts: 0, interrupted: false })
    expect(claimed?.lead).toEqual({ payload: (await leads.findLead(leadId))!.payload, createdAt: t })

    expect(await deliveries.claimDelivery(deliveryId, t + MINUTE + 1, LEASE)).toBeNull()
    expect(await deliveries.claimDelivery(deliveryId, t + MINUTE + LEASE, LEASE)).toBeNull()
    const again = await deliveries.claimDelivery(deliveryId, t + MINUTE + LEASE + 1, LEASE)
    expect(again).toMatchObject({ id: deliveryId, interrupted: true })
    expect(await deliveries.claimDelivery(deliveryId, t + MINUTE + LEASE + 2, LEASE)).toBeNull()
  })

  it('logs each attempt, moves the delivery and releases the lease', async () => {
    const t = timeSlot()
    const site = await newSite('store-finish', t)
    const { deliveryId } = await addDelivery(site, t)
    expect(await deliveries.claimDelivery(deliveryId, t, LEASE)).not.toBeNull()
    await deliveries.finishAttempt(
      { deliveryId, attempt: 1, startedAt: t, durationMs: 240, httpStatus: 503, outcome: 'retry', error: 'HTTP 503', nextAttemptAt: t + SECOND, leaseUntil: t + LEASE },
      t + 300,
    )
    expect(await deliveries.getDelivery(deliveryId)).toMatchObject({ status: 'pending', attempts: 1, nextAttemptAt: t + SECOND, lastError: 'HTTP 503', deliveredAt: null })
    expect(await deliveries.claimDelivery(deliveryId, t + SECOND - 1, LEASE)).toBeNull()
    // Due again well inside the first lease: it was released, and nothing was interrupted.
    const retried = await deliveries.claimDelivery(deliveryId, t + SECOND, LEASE)
    expect(retried).toMatchObject({ attempts: 1, interrupted: false })

    expect(retried?.leaseUntil).toBe(t + SECOND + LEASE)
    await deliveries.finishAttempt(
      { deliveryId, attempt: 2, startedAt: t + SECOND, durationMs: 80, httpStatus: 200, outcome: 'delivered', error: null, leaseUntil: t + SECOND + LEASE },
      t + 2 * SECOND,
    )
    expect(await deliveries.getDelivery(deliveryId)).toMatchObject({ status: 'delivered', attempts: 2, lastError: null, deliveredAt: t + 2 * SECOND, nextAttemptAt: t + SECOND })
    expect(await deliveries.claimDelivery(deliveryId, t + HOUR, LEASE)).toBeNull()
    expect(await deliveries.listAttempts(deliveryId)).toEqual([
      { deliveryId, attempt: 1, startedAt: t, durationMs: 240, httpStatus: 503, outcome: 'retry', error: 'HTTP 503' },
      { deliveryId, attempt: 2, startedAt: t + SECOND, durationMs: 80, httpStatus: 200, outcome: 'delivered', error: null },
    ])
  })

  it('lets an attempt that outlived its lease move the delivery only while no later attempt has claimed it', async () => {
    const t = timeSlot()
    const site = await newSite('store-lease', t)
    const { deliveryId } = await addDelivery(site, t)
    const slow = await deliveries.claimDelivery(deliveryId, t, LEASE)
    expect(slow?.leaseUntil).toBe(t + LEASE)
    // The target answers after the lease ran out, and meanwhile the sweep claimed the delivery again.
    const later = await deliveries.claimDelivery(deliveryId, t + LEASE + 1, LEASE)
    expect(later).toMatchObject({ interrupted: true, leaseUntil: t + 2 * LEASE + 1 })
    const late = {
      deliveryId,
      attempt: 1,
      startedAt: t,
      durationMs: LEASE + 5,
      httpStatus: 503,
      outcome: 'retry' as const,
      error: 'HTTP 503',
      nextAttemptAt: t + HOUR,
      leaseUntil: slow!.leaseUntil,
    }
    expect(await deliveries.finishAttempt(late, t + LEASE + 5)).toBe(false)
    // Still the later attempt's: pending, its lease live, nothing rescheduled an hour on.
    expect(await deliveries.getDelivery(deliveryId)).toMatchObject({ status: 'pending', attempts: 0, nextAttemptAt: t, lastError: null })
    expect(await deliveries.claimDelivery(deliveryId, t + LEASE + 6, LEASE)).toBeNull()
    expect(await deliveries.requeue({ ids: [deliveryId] }, t + LEASE + 6)).toEqual([])
    // That attempt decides; the late one is in the log, marked.
    expect(
      await deliveries.finishAttempt(
        { deliveryId, attempt: 1, startedAt: t + LEASE + 1, durationMs: 40, httpStatus: 200, outcome: 'delivered', error: null, leaseUntil: later!.leaseUntil },
        t + LEASE + 50,
      ),
    ).toBe(true)
    expect(await deliveries.getDelivery(deliveryId)).toMatchObject({ status: 'delivered', attempts: 1, deliveredAt: t + LEASE + 50 })
    const log = await deliveries.listAttempts(deliveryId)
    expect(log.map((a) => [a.outcome, a.error])).toEqual([
      ['retry', 'finished after its lease ran out, while a later attempt held the delivery; that attempt decides: HTTP 503'],
      ['delivered', null],
    ])
    // Finished twice is not finished again: the same record, once the delivery is done, changes nothing.
    expect(await deliveries.finishAttempt({ ...late, outcome: 'failed', error: 'late' }, t + LEASE + 60)).toBe(false)
    expect(await deliveries.getDelivery(deliveryId)).toMatchObject({ status: 'delivered' })
  })

  it('lets an attempt whose lease a stopping server handed back still record its outcome', async () => {
    const t = timeSlot()
    const site = await newSite('store-lease-back', t)
    const { deliveryId } = await addDelivery(site, t)
    const claimed = await deliveries.claimDelivery(deliveryId, t, LEASE)
    expect(await deliveries.releaseLeases([deliveryId], t + SECOND)).toBe(1)
    expect(
      await deliveries.finishAttempt(
        { deliveryId, attempt: 1, startedAt: t, durationMs: 1_500, httpStatus: 200, outcome: 'delivered', error: null, leaseUntil: claimed!.leaseUntil },
        t + 2 * SECOND,
      ),
    ).toBe(true)
    expect(await deliveries.getDelivery(deliveryId)).toMatchObject({ status: 'delivered', attempts: 1 })
    // So the next start does not take it for an interrupted attempt.
    expect(await deliveries.claimDelivery(deliveryId, t + 3 * SECOND, LEASE)).toBeNull()
  })

  it('fails a dead-lettered delivery only when no attempt holds it, and a handed-back lease never ends later than it did', async () => {
    const t = timeSlot()
    const site = await newSite('store-dead-busy', t)
    const { deliveryId } = await addDelivery(site, t)
    const claimed = await deliveries.claimDelivery(deliveryId, t, LEASE)
    // The queue gave up on its wake-up (it found the delivery busy): the attempt under way decides.
    await deliveries.failDelivery(deliveryId, 'dead-lettered after 10 queue attempts', t + SECOND)
    expect(await deliveries.getDelivery(deliveryId)).toMatchObject({ status: 'pending', lastError: null })
    expect(
      await deliveries.finishAttempt(
        { deliveryId, attempt: 1, startedAt: t, durationMs: 900, httpStatus: 200, outcome: 'delivered', error: null, leaseUntil: claimed!.leaseUntil },
        t + 2 * SECOND,
      ),
    ).toBe(true)
    expect(await deliveries.getDelivery(deliveryId)).toMatchObject({ status: 'delivered' })
    // An attempt that ran past its lease, then handed back at shutdown: still its own to finish.
    const second = await addDelivery(site, t)
    const slow = await deliveries.claimDelivery(second.deliveryId, t, LEASE)
    expect(await deliveries.releaseLeases([second.deliveryId], t + LEASE + 10)).toBe(1)
    expect(
      await deliveries.finishAttempt(
        { deliveryId: second.deliveryId, attempt: 1, startedAt: t, durationMs: LEASE + 20, httpStatus: 200, outcome: 'delivered', error: null, leaseUntil: slow!.leaseUntil },
        t + LEASE + 20,
      ),
    ).toBe(true)
    // With no attempt under way, a dead letter fails it.
    const third = await addDelivery(site, t)
    await deliveries.failDelivery(third.deliveryId, 'dead-lettered after 10 queue attempts', t + SECOND)
    expect(await deliveries.getDelivery(third.deliveryId)).toMatchObject({ status: 'failed', lastError: 'dead-lettered after 10 queue attempts' })
  })

  it('marks a delivery failed on a failed attempt, clipping a long error', async () => {
    const t = timeSlot()
    const site = await newSite('store-failed', t)
    const { deliveryId } = await addDelivery(site, t)
    await deliveries.claimDelivery(deliveryId, t, LEASE)
    const long = 'x'.repeat(2000)
    await deliveries.finishAttempt(
      { deliveryId, attempt: 1, startedAt: t, durationMs: 10_000, httpStatus: null, outcome: 'failed', error: long, leaseUntil: t + LEASE },
      t + 10 * SECOND,
    )
    const record = await deliveries.getDelivery(deliveryId)
    expect(record).toMatchObject({ status: 'failed', attempts: 1, deliveredAt: null })
    expect(record?.lastError).toBe(`${'x'.repeat(499)}…`)
    expect((await deliveries.listAttempts(deliveryId))[0]).toMatchObject({ httpStatus: null, outcome: 'failed', error: `${'x'.repeat(499)}…` })
    expect(await deliveries.claimDelivery(deliveryId, t + HOUR, LEASE)).toBeNull()
  })

  it('lists attempts by attempt number, whatever order they were logged in', async () => {
    const t = timeSlot()
    const site = await newSite('store-log', t)
    const { deliveryId } = await addDelivery(site, t)
    const other = await addDelivery(site, t)
    const retry = { deliveryId, startedAt: t, durationMs: 5, httpStatus: 500, outcome: 'retry' as const, error: 'HTTP 500', nextAttemptAt: t, leaseUntil: t + LEASE }
    await deliveries.finishAttempt({ ...retry, attempt: 2 }, t)
    await deliveries.finishAttempt({ ...retry, attempt: 1 }, t)
    await deliveries.finishAttempt({ ...retry, attempt: 3 }, t)
    await deliveries.finishAttempt({ ...retry, deliveryId: other.deliveryId, attempt: 1 }, t)
    expect((await deliveries.listAttempts(deliveryId)).map((a) => a.attempt)).toEqual([1, 2, 3])
    expect(await deliveries.listAttempts(crypto.randomUUID())).toEqual([])
  })

  it('requeues deliveries by id, due now with a fresh schedule', async () => {
    const t = timeSlot()
    const site = await newSite('store-requeue', t)
    const { deliveryId } = await addDelivery(site, t)
    await deliveries.claimDelivery(deliveryId, t, LEASE)
    await deliveries.finishAttempt({ deliveryId, attempt: 5, startedAt: t, durationMs: 5, httpStatus: 410, outcome: 'failed', error: 'HTTP 410', leaseUntil: t + LEASE }, t)
    const now = t + HOUR
    expect(await deliveries.requeue({ ids: [deliveryId, crypto.randomUUID()] }, now)).toEqual([deliveryId])
    expect(await deliveries.getDelivery(deliveryId)).toMatchObject({ status: 'pending', attempts: 0, nextAttemptAt: now })
    expect(await deliveries.claimDelivery(deliveryId, now, LEASE)).toMatchObject({ interrupted: false })
    expect(await deliveries.requeue({ ids: [] }, now)).toEqual([])
  })

  it('leaves a delivery whose attempt is under way to that attempt, and requeues it once the attempt ends', async () => {
    const t = timeSlot()
    const site = await newSite('store-requeue-busy', t)
    const { deliveryId } = await addDelivery(site, t)
    expect(await deliveries.claimDelivery(deliveryId, t, LEASE)).not.toBeNull()
    expect(await deliveries.requeue({ ids: [deliveryId] }, t + SECOND)).toEqual([])
    // Still the attempt's: no second claim while it runs.
    expect(await deliveries.claimDelivery(deliveryId, t + SECOND, LEASE)).toBeNull()
    await deliveries.finishAttempt(
      { deliveryId, attempt: 1, startedAt: t, durationMs: 5, httpStatus: 502, outcome: 'retry', error: 'HTTP 502', nextAttemptAt: t + HOUR, leaseUntil: t + LEASE },
      t + 2 * SECOND,
    )
    expect(await deliveries.requeue({ ids: [deliveryId] }, t + 3 * SECOND)).toEqual([deliveryId])
    // A lease left behind by a crashed attempt, once run out, does not block a replay.
    await deliveries.claimDelivery(deliveryId, t + 3 * SECOND, LEASE)
    expect(await deliveries.requeue({ ids: [deliveryId] }, t + 3 * SECOND + LEASE + 1)).toEqual([deliveryId])
  })

  it('requeues the failed deliveries of one site only', async () => {
    const t = timeSlot()
    const site = await newSite('store-requeue-site', t)
    const other = await newSite('store-requeue-site', t)
    const fail = async (s: string) => {
      const { deliveryId } = await addDelivery(s, t)
      await deliveries.failDelivery(deliveryId, 'target removed', t)
      return deliveryId
    }
    const [f1, f2, foreign] = [await fail(site), await fail(site), await fail(other)]
    const pending = (await addDelivery(site, t, t + DAY)).deliveryId
    const delivered = (await addDelivery(site, t)).deliveryId
    await deliveries.claimDelivery(delivered, t, LEASE)
    await deliveries.finishAttempt({ deliveryId: delivered, attempt: 1, startedAt: t, durationMs: 5, httpStatus: 200, outcome: 'delivered', error: null, leaseUntil: t + LEASE }, t)

    const now = t + HOUR
    expect((await deliveries.requeue({ siteId: site, status: 'failed' }, now)).sort(byId)).toEqual([f1, f2].sort(byId))
    expect(await deliveries.getDelivery(f1)).toMatchObject({ status: 'pending', attempts: 0, nextAttemptAt: now })
    expect(await deliveries.getDelivery(foreign)).toMatchObject({ status: 'failed' })
    expect(await deliveries.getDelivery(pending)).toMatchObject({ status: 'pending', nextAttemptAt: t + DAY })
    expect(await deliveries.getDelivery(delivered)).toMatchObject({ status: 'delivered' })
    expect(await deliveries.requeue({ siteId: site, status: 'failed' }, now)).toEqual([])
  })

  it('fails a still-pending delivery without an attempt, and nothing else', async () => {
    const t = timeSlot()
    const site = await newSite('store-faildlv', t)
    const { deliveryId } = await addDelivery(site, t)
    await deliveries.failDelivery(deliveryId, 'dead-lettered', t + SECOND)
    expect(await deliveries.getDelivery(deliveryId)).toMatchObject({ status: 'failed', lastError: 'dead-lettered', attempts: 0 })
    expect(await deliveries.listAttempts(deliveryId)).toEqual([])

    const done = (await addDelivery(site, t)).deliveryId
    await deliveries.claimDelivery(done, t, LEASE)
    await deliveries.finishAttempt({ deliveryId: done, attempt: 1, startedAt: t, durationMs: 5, httpStatus: 200, outcome: 'delivered', error: null, leaseUntil: t + LEASE }, t)
    await deliveries.failDelivery(done, 'target removed', t + SECOND)
    expect(await deliveries.getDelivery(done)).toMatchObject({ status: 'delivered', lastError: null })
  })

  it('lists overdue pending deliveries past the grace that nobody holds, oldest first', async () => {
    const t = timeSlot()
    const site = await newSite('store-overdue', t)
    const d1 = (await addDelivery(site, t, t)).deliveryId
    const d2 = (await addDelivery(site, t, t + SECOND)).deliveryId
    const held = (await addDelivery(site, t, t + 2 * SECOND)).deliveryId
    const recent = (await addDelivery(site, t, t + 5 * SECOND)).deliveryId
    const failed = (await addDelivery(site, t, t)).deliveryId
    await deliveries.failDelivery(failed, 'target removed', t)
    expect(await deliveries.claimDelivery(held, t + 2 * SECOND, 10 * SECOND)).not.toBeNull()

    expect(await deliveries.listOverdue(t + 6 * SECOND, 2 * SECOND, 10)).toEqual([d1, d2])
    expect(await deliveries.listOverdue(t + 6 * SECOND, 2 * SECOND, 1)).toEqual([d1])
    expect(await deliveries.listOverdue(t + 6 * SECOND, 6 * SECOND, 10)).toEqual([])
    // The lease ran out at t + 12 s: the held one is overdue again.
    expect(await deliveries.listOverdue(t + 13 * SECOND, 2 * SECOND, 10)).toEqual([d1, d2, held, recent])
  })

  it('gets a delivery by id and lists those of several leads', async () => {
    const t = timeSlot()
    const site = await newSite('store-get', t)
    const a = await addDelivery(site, t)
    const b = await addDelivery(site, t + SECOND, t + SECOND, 'tg')
    await addDelivery(site, t + 2 * SECOND)
    expect(await deliveries.getDelivery(b.deliveryId)).toEqual({
      id: b.deliveryId,
      leadId: b.leadId,
      siteId: site,
      targetId: 'tg',
      eventType: 'lead.created',
      status: 'pending',
      attempts: 0,
      nextAttemptAt: t + SECOND,
      lastError: null,
      deliveredAt: null,
      createdAt: t + SECOND,
    })
    expect(await deliveries.getDelivery(crypto.randomUUID())).toBeNull()
    expect((await deliveries.listForLeads([b.leadId, a.leadId])).map((d) => d.id)).toEqual([a.deliveryId, b.deliveryId])
    expect(await deliveries.listForLeads([])).toEqual([])
  })
})

describe('SlaStore', () => {
  it('lists due checks past the grace, oldest first, up to the limit; a finished one never again', async () => {
    const t = timeSlot()
    const site = await newSite('store-due', t)
    const late = (await addLead(site, t, { plan: { slaDueAt: t + 3 * SECOND } })).id
    const early = (await addLead(site, t, { plan: { slaDueAt: t + SECOND } })).id
    const middle = (await addLead(site, t, { plan: { slaDueAt: t + 2 * SECOND } })).id
    const check = (leadId: string, dueAt: number) => ({ leadId, round: 0, dueAt })
    const all = [check(early, t + SECOND), check(middle, t + 2 * SECOND), check(late, t + 3 * SECOND)]

    expect(await sla.listDue(t + 3 * SECOND, 0, 10)).toEqual(all)
    expect(await sla.listDue(t + 3 * SECOND, 0, 2)).toEqual(all.slice(0, 2))
    expect(await sla.listDue(t + 3 * SECOND, 1500, 10)).toEqual(all.slice(0, 1))
    expect(await sla.listDue(t + SECOND - 1, 0, 10)).toEqual([])

    await sla.finish({ leadId: middle, round: 1 }, t + 4 * SECOND)
    expect(await sla.listDue(t + 3 * SECOND, 0, 10)).toEqual(all)
    await sla.finish({ leadId: middle, round: 0 }, t + 4 * SECOND)
    expect(await sla.listDue(t + HOUR, 0, 10)).toEqual([all[0], all[2]])
  })
})

describe('RateLimiter', () => {
  it('counts hits per key in a fixed window and refuses over the limit', async () => {
    const t = timeSlot()
    const start = Math.floor(t / MINUTE) * MINUTE + MINUTE
    const key = `test:${crypto.randomUUID()}`
    const other = `test:${crypto.randomUUID()}`
    const limit = { key, limit: 2, windowMs: MINUTE }
    expect(await limiter.hit([limit], start)).toEqual({ allowed: true })
    expect(await limiter.hit([limit], start + 10 * SECOND)).toEqual({ allowed: true })
    expect(await limiter.hit([limit], start + 15 * SECOND)).toEqual({ allowed: false, key, retryAfterSeconds: 45 })
    expect(await limiter.hit([limit], start + MINUTE - 100)).toEqual({ allowed: false, key, retryAfterSeconds: 1 })
    // Another key has its own count.
    expect(await limiter.hit([{ ...limit, key: other }], start + 20 * SECOND)).toEqual({ allowed: true })
    // The next window starts from zero.
    expect(await limiter.hit([limit], start + MINUTE)).toEqual({ allowed: true })
    expect(await limiter.hit([limit], start + MINUTE + SECOND)).toEqual({ allowed: true })
    expect(await limiter.hit([limit], start + MINUTE + 2 * SECOND)).toMatchObject({ allowed: false, key })
    expect(await limiter.hit([], start)).toEqual({ allowed: true })
  })

  it('counts a hit on every key or, when one is full, on none, and names the one over its limit', async () => {
    const t = timeSlot()
    const start = Math.floor(t / HOUR) * HOUR + HOUR
    const loose = { key: `test:${crypto.randomUUID()}`, limit: 3, windowMs: HOUR }
    const tight = { key: `test:${crypto.randomUUID()}`, limit: 1, windowMs: 10 * MINUTE }
    expect(await limiter.hit([loose, tight], start)).toEqual({ allowed: true })
    expect(await limiter.hit([loose, tight], start + MINUTE)).toEqual({ allowed: false, key: tight.key, retryAfterSeconds: 9 * 60 })
    expect(await limiter.hit([loose, tight], start + 2 * MINUTE)).toEqual({ allowed: false, key: tight.key, retryAfterSeconds: 8 * 60 })
    // The refused hits spent nothing of the loose key: 1 of 3 so far, two more fit.
    expect(await limiter.hit([loose], start + 3 * MINUTE)).toEqual({ allowed: true })
    expect(await limiter.hit([loose], start + 4 * MINUTE)).toEqual({ allowed: true })
    expect(await limiter.hit([loose], start + 5 * MINUTE)).toEqual({ allowed: false, key: loose.key, retryAfterSeconds: 55 * 60 })
    // Both full: the refusal names the one that frees up last.
    expect(await limiter.hit([tight, loose], start + 6 * MINUTE)).toEqual({ allowed: false, key: loose.key, retryAfterSeconds: 54 * 60 })
    // A key first seen in a refused hit is not created either.
    const fresh = { key: `test:${crypto.randomUUID()}`, limit: 1, windowMs: HOUR }
    expect(await limiter.hit([loose, fresh], start + 7 * MINUTE)).toMatchObject({ allowed: false, key: loose.key })
    expect(await limiter.hit([fresh], start + 8 * MINUTE)).toEqual({ allowed: true })
    // A limit of 0 lets nothing in, not even a key's first hit, and spends nothing elsewhere.
    const shut = { key: `test:${crypto.randomUUID()}`, limit: 0, windowMs: HOUR }
    const open = { key: `test:${crypto.randomUUID()}`, limit: 1, windowMs: HOUR }
    expect(await limiter.hit([shut, open], start + 9 * MINUTE)).toEqual({ allowed: false, key: shut.key, retryAfterSeconds: 51 * 60 })
    expect(await limiter.hit([open], start + 9 * MINUTE)).toEqual({ allowed: true })
  })

  it('explains a refusal by the full key that frees up last, or, when none is full any more, as a wait of one second', () => {
    const now = Math.floor(timeSlot() / HOUR) * HOUR + 30 * MINUTE
    const a = { key: 'test:a', limit: 2, windowMs: HOUR }
    const b = { key: 'test:b', limit: 1, windowMs: 10 * MINUTE }
    const counters = (...rows: { key: string; window_start: number; count: number }[]) => ({ results: rows, meta: { changes: 0 } })
    const hourStart = now - 30 * MINUTE
    expect(refusalOf(counters({ key: 'test:a', window_start: hourStart, count: 2 }, { key: 'test:b', window_start: now, count: 1 }), [a, b], now)).toEqual({
      allowed: false,
      key: 'test:a',
      retryAfterSeconds: 30 * 60,
    })
    expect(refusalOf(counters({ key: 'test:a', window_start: hourStart, count: 1 }, { key: 'test:b', window_start: now, count: 1 }), [a, b], now)).toEqual({
      allowed: false,
      key: 'test:b',
      retryAfterSeconds: 10 * 60,
    })
    // Read after the refusal, a counter may be in a window that has since ended, or gone.
    expect(refusalOf(counters({ key: 'test:b', window_start: now - 10 * MINUTE, count: 1 }), [a, b], now)).toEqual({ allowed: false, key: 'test:a', retryAfterSeconds: 1 })
    expect(() => refusalOf({ results: [{ key: 'test:b', window_start: now, count: 'one' }], meta: { changes: 0 } }, [a, b], now)).toThrow()
  })

  it('cleans up windows that are over and keeps the current ones', async () => {
    const t = timeSlot()
    const start = Math.floor(t / HOUR) * HOUR + HOUR
    const old = { key: `test:${crypto.randomUUID()}`, limit: 1, windowMs: HOUR }
    const current = { key: `test:${crypto.randomUUID()}`, limit: 1, windowMs: HOUR }
    await limiter.hit([old], start)
    expect(await limiter.hit([old], start)).toMatchObject({ allowed: false })
    const now = start + 3 * HOUR
    await limiter.hit([current], now)
    await limiter.cleanup(now)
    // The old counter is gone: a late hit in its window counts from one again.
    expect(await limiter.hit([old], start)).toEqual({ allowed: true })
    expect(await limiter.hit([current], now)).toMatchObject({ allowed: false, key: current.key })
  })
})

describe('LeadStore: an insert that counts its own rate-limit hit', () => {
  it('refuses over a full key, naming it with its wait, stores and spends nothing, and answers a replay as one', async () => {
    const t = timeSlot()
    const start = Math.floor(t / HOUR) * HOUR + HOUR
    const site = await newSite('store-limits', start)
    const tight = { key: `test:${crypto.randomUUID()}`, limit: 1, windowMs: 10 * MINUTE }
    const loose = { key: `test:${crypto.randomUUID()}`, limit: 5, windowMs: HOUR }
    const limits = [loose, tight]
    const first = await addLead(site, start, { plan: { limits } })
    expect(first.result).toEqual({ status: 'inserted', duplicateOf: null })
    const refused = await addLead(site, start + MINUTE, { plan: { limits } })
    expect(refused.result).toEqual({ status: 'limited', decision: { allowed: false, key: tight.key, retryAfterSeconds: 9 * 60 } })
    expect(await leads.findLead(refused.id)).toBeNull()
    // The refusal spent nothing of the loose key: four more fit in its hour once the tight one frees up.
    for (let i = 0; i < 4; i++) expect((await addLead(site, start + 10 * MINUTE + i * 10 * MINUTE, { plan: { limits: [loose] } })).result).toMatchObject({ status: 'inserted' })
    expect((await addLead(site, start + 55 * MINUTE, { plan: { limits: [loose] } })).result).toEqual({
      status: 'limited',
      decision: { allowed: false, key: loose.key, retryAfterSeconds: 5 * 60 },
    })
    // The first lead sent again while the keys are full is its replay, not a 429.
    const again = await leads.insertLead({ ...first.lead, createdAt: start + 2 * MINUTE }, { deliveries: [], dedupeWindowMs: WINDOW, limits })
    expect(again).toEqual({ status: 'exists' })
  })

  it('adds nothing to the first lead for its replay refused by a full key: no second delivery, no SLA check, no refreshed contact key', async () => {
    const start = Math.floor(timeSlot() / HOUR) * HOUR + HOUR
    const site = await newSite('store-limits', start)
    const tight = { key: `test:${crypto.randomUUID()}`, limit: 1, windowMs: 10 * MINUTE }
    const first = await addLead(site, start, { plan: { limits: [tight], deliveries: [{ id: crypto.randomUUID(), targetId: 'crm', nextAttemptAt: start }] } })
    expect(first.result).toEqual({ status: 'inserted', duplicateOf: null })
    const stored = async () => ({
      deliveries: (await env.DB.prepare('SELECT count(*) AS n FROM deliveries WHERE lead_id = ?').bind(first.id).first<{ n: number }>())?.n,
      slaChecks: (await env.DB.prepare('SELECT count(*) AS n FROM sla_checks WHERE lead_id = ?').bind(first.id).first<{ n: number }>())?.n,
      keys: (await env.DB.prepare('SELECT kind, first_at FROM contact_keys WHERE lead_id = ? ORDER BY kind').bind(first.id).all()).results,
    })
    const before = await stored()
    expect(before).toMatchObject({ deliveries: 1, slaChecks: 0 })
    expect(before.keys.length).toBeGreaterThan(0)
    // Sent again while its key is full, with a dedupe window so short that a key it reached would
    // be taken over: its insert is refused, and what rides on the row must be too.
    const at = start + MINUTE
    const again = await leads.insertLead(
      { ...first.lead, createdAt: at },
      { deliveries: [{ id: crypto.randomUUID(), targetId: 'crm', nextAttemptAt: at }], dedupeWindowMs: 1, limits: [tight], slaDueAt: at + 5 * MINUTE },
    )
    expect(again).toEqual({ status: 'exists' })
    expect(await stored()).toEqual(before)
  })
})

describe('StatsStore', () => {
  it('reports source quality by utm_source from stored leads and recorded rejections', async () => {
    const t = timeSlot()
    const site = await newSite('store-stats', t)
    const other = await newSite('store-stats', t)
    const from = t
    const to = t + HOUR
    const utm = (source: string) => ({ context: { utm: { source, campaign: 'spring' } } })
    const phone = randomPhone()
    const delivered = async (deliveryId: string, at: number) => {
      await deliveries.claimDelivery(deliveryId, at, LEASE)
      await deliveries.finishAttempt({ deliveryId, attempt: 1, startedAt: at, durationMs: 5, httpStatus: 200, outcome: 'delivered', error: null, leaseUntil: at + LEASE }, at)
    }

    const [y1d, y1d2, y2d, g1d] = [crypto.randomUUID(), crypto.randomUUID(), crypto.randomUUID(), crypto.randomUUID()]
    const y1 = await addLead(site, t, {
      payload: { ...utm('yandex'), contact: { phone }, temperature: 'hot' },
      plan: {
        deliveries: [
          { id: y1d, targetId: 'crm', nextAttemptAt: t },
          { id: y1d2, targetId: 'tg', nextAttemptAt: t },
        ],
      },
    })
    const y2 = await addLead(site, t + SECOND, {
      payload: { ...utm('yandex'), contact: { phone }, temperature: 'warm' },
      plan: { deliveries: [{ id: y2d, targetId: 'crm', nextAttemptAt: t + SECOND }] },
    })
    expect(y2.result).toEqual({ status: 'inserted', duplicateOf: y1.id })
    await addLead(site, t + 2 * SECOND, {
      payload: { ...utm('yandex'), temperature: 'cold' },
      lead: { status: 'spam', flags: [{ code: 'honeypot', detail: 'filled' }] },
      plan: { dedupeWindowMs: null },
    })
    await addLead(site, t + 3 * SECOND, {
      payload: { ...utm('google'), temperature: 'cold' },
      plan: { deliveries: [{ id: g1d, targetId: 'crm', nextAttemptAt: t + 3 * SECOND }] },
    })
    await addLead(site, t + 4 * SECOND, { payload: { context: {}, temperature: 'warm' } })
    // Outside the range or another site: not counted.
    await addLead(site, t - 1, { payload: utm('yandex') })
    await addLead(site, to, { payload: utm('yandex') })
    await addLead(other, t, { payload: utm('yandex') })

    await delivered(y1d, t + SECOND)
    await delivered(y1d2, t + 9 * SECOND)
    await delivered(y2d, t + 4 * SECOND)
    await deliveries.failDelivery(g1d, 'target removed', t + 5 * SECOND)

    const reject = (code: string, utmSource: string | null, at = t + MINUTE, siteId = site) =>
      stats.recordRejection({ siteId, code, source: 'callback', utmSource, utmCampaign: null, page: null, createdAt: at })
    await reject('invalid_phone', 'yandex')
    await reject('invalid_phone', 'yandex')
    await reject('rate_limited', 'yandex')
    await reject('no_contact', 'google')
    await reject('invalid_phone', null)
    await reject('consent_required', 'vk')
    await reject('invalid_phone', 'yandex', to)
    await reject('invalid_phone', 'yandex', t, other)

    const rows = await stats.sourceQuality({ siteId: site, from, to, by: 'utm_source' })
    const zero = { submissions: 0, accepted: 0, spam: 0, invalidPhone: 0, otherRejected: 0, duplicates: 0, hot: 0, warm: 0, cold: 0, medianFirstDeliveryMs: null }
    const expected = [
      // y1 first confirmed after 1 s (its later delivery does not count), y2 after 3 s.
      { ...zero, group: 'yandex', submissions: 6, accepted: 2, spam: 1, invalidPhone: 2, otherRejected: 1, duplicates: 1, hot: 1, warm: 1, medianFirstDeliveryMs: 2000 },
      { ...zero, group: 'google', submissions: 2, accepted: 1, otherRejected: 1, cold: 1 },
      { ...zero, group: null, submissions: 2, accepted: 1, invalidPhone: 1, warm: 1 },
      { ...zero, group: 'vk', submissions: 1, otherRejected: 1 },
    ]
    // objectContaining: a row may carry more columns than these (lifecycle counts).
    const byGroup = <T extends { group: string | null }>(list: T[]) => [...list].sort((a, b) => byId(a.group ?? '', b.group ?? ''))
    expect(rows[0]).toMatchObject(expected[0]!)
    expect(rows.map((r) => r.submissions)).toEqual([6, 2, 2, 1])
    expect(byGroup(rows)).toEqual(byGroup(expected).map((row) => expect.objectContaining(row)))
    expect(await stats.sourceQuality({ siteId: uniqueSite('store-stats-none'), from, to, by: 'utm_source' })).toEqual([])
  })
})

describe('HealthStore', () => {
  it('pings the database and lists the applied migrations', async () => {
    await expect(health.ping()).resolves.toBeUndefined()
    expect(await health.appliedMigrations()).toEqual([...KNOWN_MIGRATIONS])
  })

  it('measures how late the most overdue pending delivery is', async () => {
    const t = timeSlot()
    const site = await newSite('store-health', t)
    expect(await health.oldestOverdueDeliveryMs(t)).toBe(0)
    const first = (await addDelivery(site, t, t)).deliveryId
    await addDelivery(site, t, t + SECOND)
    expect(await health.oldestOverdueDeliveryMs(t)).toBe(0)
    expect(await health.oldestOverdueDeliveryMs(t + 5 * SECOND)).toBe(5000)
    await deliveries.failDelivery(first, 'target removed', t + 5 * SECOND)
    expect(await health.oldestOverdueDeliveryMs(t + 5 * SECOND)).toBe(4000)
  })
})

describe('LeadStore: batch atomicity', () => {
  /** A lead whose second delivery reuses an existing delivery id (a primary key): the batch fails on it. */
  async function failingInsert(t: number) {
    const site = await newSite('store-atomic', t)
    const taken = await addDelivery(site, t)
    const phone = randomPhone()
    const email = 'atomic@shop.example'
    const fresh = crypto.randomUUID()
    const payload = leadPayload(site, t + SECOND, { contact: { phone, email } })
    const outcome = await leads
      .insertLead(
        { payload, status: 'accepted', flags: [], replyText: 'Спасибо', ip: null, userAgent: null, createdAt: t + SECOND },
        {
          deliveries: [
            { id: fresh, targetId: 'crm', nextAttemptAt: t + SECOND },
            { id: taken.deliveryId, targetId: 'crm', nextAttemptAt: t + SECOND },
          ],
          dedupeWindowMs: WINDOW,
          slaDueAt: t + MINUTE,
        },
      )
      .then(
        (result) => ({ result }),
        (error: unknown) => ({ error }),
      )
    return { site, taken, phone, email, fresh, payload, outcome }
  }

  it('leaves no lead, dedupe key, delivery or SLA check behind when the batch fails part-way', async () => {
    const t = timeSlot()
    const { site, taken, phone, email, fresh, payload, outcome } = await failingInsert(t)
    expect(outcome).not.toHaveProperty('result.status', 'inserted')
    expect(await leads.findLead(payload.id)).toBeNull()
    expect(await leads.findByContact(site, { phone, email })).toEqual([])
    expect(await deliveries.getDelivery(fresh)).toBeNull()
    expect(await deliveries.getDelivery(taken.deliveryId)).toMatchObject({ leadId: taken.leadId })
    expect(await sla.listDue(t + HOUR, 0, 100)).toEqual([])
    // No dedupe key was left: the contact is still new.
    expect((await addLead(site, t + 2 * SECOND, { payload: { contact: { phone } } })).result).toEqual({ status: 'inserted', duplicateOf: null })
    expect((await addLead(site, t + 3 * SECOND, { payload: { contact: { email } } })).result).toEqual({ status: 'inserted', duplicateOf: null })
    // And the lead id is free: the same lead inserts cleanly afterwards.
    const retried = await leads.insertLead(
      { payload, status: 'accepted', flags: [], replyText: 'Спасибо', ip: null, userAgent: null, createdAt: t + 4 * SECOND },
      { deliveries: [{ id: fresh, targetId: 'crm', nextAttemptAt: t + 4 * SECOND }], dedupeWindowMs: null },
    )
    expect(retried).toEqual({ status: 'inserted', duplicateOf: null })
  })

  // D1 words every primary-key clash "… (extended: SQLITE_CONSTRAINT_PRIMARYKEY)": a clash on a
  // delivery id must still throw, not pass for an idempotent replay of the lead.
  it('rejects an insert that fails on anything but the lead id, instead of answering exists', async () => {
    const { outcome } = await failingInsert(timeSlot())
    expect(outcome).toHaveProperty('error')
    expect(String((outcome as { error: unknown }).error)).toMatch(/UNIQUE constraint failed: deliveries\.id/)
  })
})
