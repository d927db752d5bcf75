// The in-process scheduler (the Node runtime's Queues and Cron) on a real node:sqlite file: due
// deliveries are attempted on the next tick, at most `concurrency` at once, retried once due, SLA
// checks escalate, and stop(grace) waits for what is under way.
import { join } from 'node:path'
import type { DatabaseSync } from 'node:sqlite'
import { Webhook } from 'standardwebhooks'
import * as v from 'valibot'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { SiteConfigSchema } from '../../shared/schemas/site-config'
import type { SiteConfigInput } from '../../shared/schemas/site-config'
import type { Deps } from '../../worker/src/deps'
import { deliverNow } from '../../worker/src/delivery/deliver-now'
import { newDeliveryId } from '../../worker/src/delivery/delivery-id'
import type { LeadPayload } from '../../worker/src/model/lead'
import { parseTrustProxy } from '../../worker/src/node/client-ip'
import type { TrustProxy } from '../../worker/src/node/client-ip'
import { applyMigrations } from '../../worker/src/node/migrate'
import { createNodeApp } from '../../worker/src/node/node-app'
import { createNodeDeps } from '../../worker/src/node/node-deps'
import { createScheduler } from '../../worker/src/node/scheduler'
import type { Scheduler } from '../../worker/src/node/scheduler'
import { openSqlite, sqliteDatabase } from '../../worker/src/node/sqlite-database'
import { ADMIN_TOKEN, ORIGIN, ROOT, WEBHOOK_SECRET, leadBody, mobileFrom, removeTemporary, tempDir, until } from './server-process'

const WEBHOOK_TARGET = { type: 'webhook', id: 'crm', url: 'https://crm.example/hook', secret: WEBHOOK_SECRET } as const

interface Sent {
  webhookId: string
  type: string
  leadId: string
  managerId: string | undefined
  headers: Record<string, string>
  body: string
}

interface Harness {
  sqlite: DatabaseSync
  deps: Deps
  scheduler: Scheduler
  sent: Sent[]
  clock: { now: number }
}

const open: Harness[] = []

afterEach(async () => {
  for (const h of open.splice(0)) {
    await h.scheduler.stop(2000)
    // Attempts outliving the grace (the stop test) still finish before the file closes.
    await until(() => h.scheduler.busy() === 0, 20_000, 'attempts to finish')
    h.sqlite.close()
  }
})

afterAll(() => removeTemporary())

/**
 * A migrated database in a temp folder, a scheduler whose timer never fires during a test (ticks
 * are called by hand) unless `intervalMs` says otherwise, and deps whose outbound fetch is `answer`.
 */
async function harness({
  concurrency = 8,
  intervalMs = 60_000,
  controlledClock = false,
  answer = async () => new Response(null, { status: 204 }),
}: {
  concurrency?: number
  intervalMs?: number
  controlledClock?: boolean
  answer?: (sent: Sent) => Promise<Response>
} = {}): Promise<Harness> {
  const sqlite = openSqlite(join(tempDir('leadcatcher-scheduler-'), 'test.db'))
  applyMigrations(sqlite, join(ROOT, 'worker', 'migrations'))
  const scheduler = createScheduler({ intervalMs, concurrency })
  const sent: Sent[] = []
  const clock = { now: Date.now() }
  const outbound = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init)
    const body = await request.text()
    const event = JSON.parse(body) as { type: string; data: { id: string; manager?: { id: string } } }
    const record: Sent = {
      webhookId: request.headers.get('webhook-id') ?? '',
      type: event.type,
      leadId: event.data.id,
      managerId: event.data.manager?.id,
      headers: Object.fromEntries(request.headers),
      body,
    }
    sent.push(record)
    return answer(record)
  }) as typeof fetch
  const deps = createNodeDeps({
    db: sqliteDatabase(sqlite),
    queue: scheduler.queue,
    adminToken: ADMIN_TOKEN,
    allowPrivateTargets: false,
    resolveTargetHosts: false,
    schedulerLastTickAt: scheduler.lastTickAt,
    fetch: outbound,
    ...(controlledClock && { now: () => clock.now }),
  })
  const h = { sqlite, deps, scheduler, sent, clock }
  open.push(h)
  scheduler.start(deps)
  // start() ticks once at once; let that pass (over an empty database) finish first.
  await scheduler.tick()
  return h
}

async function addSite(deps: Deps, site: string, config: Partial<SiteConfigInput> = {}) {
  await deps.sites.putSite(site, v.parse(SiteConfigSchema, { origins: [ORIGIN], targets: [WEBHOOK_TARGET], ...config }), deps.now())
}

let phones = 1_000_000

/** A lead stored as ingest stores it, with one pending webhook delivery due at `dueAt`; nothing sent. */
async function storeLead(deps: Deps, site: string, dueAt: number) {
  const id = crypto.randomUUID()
  const createdAt = deps.now()
  const payload: LeadPayload = {
    id,
    site,
    source: 'callback',
    contact: { name: 'Анна', phone: `+7912${String(phones++).padStart(7, '0')}` },
    createdAt: new Date(createdAt).toISOString(),
    duplicate: false,
    score: 50,
    temperature: 'warm',
    reasons: [],
  }
  const deliveryId = newDeliveryId()
  const result = await deps.leads.insertLead(
    { payload, status: 'accepted', flags: [], replyText: 'Спасибо!', ip: null, userAgent: null, createdAt },
    { deliveries: [{ id: deliveryId, targetId: 'crm', nextAttemptAt: dueAt }], dedupeWindowMs: null },
  )
  expect(result.status).toBe('inserted')
  return { leadId: id, deliveryId }
}

const idle = (h: Harness) => until(() => h.scheduler.busy() === 0, 10_000, 'the scheduler to be idle')

function deliveryRow(h: Harness, id: string) {
  return h.sqlite.prepare('SELECT status, attempts, next_attempt_at, lease_until, event_type FROM deliveries WHERE id = ?').get(id) as
    | { status: string; attempts: number; next_attempt_at: number; lease_until: number | null; event_type: string }
    | undefined
}

describe('due deliveries', () => {
  it('attempts a stored lead’s pending delivery on the next tick, signed, with the lead as data', async () => {
    const h = await harness({ controlledClock: true })
    await addSite(h.deps, 'shop')
    const { leadId, deliveryId } = await storeLead(h.deps, 'shop', h.clock.now)
    await idle(h)
    expect(h.sent).toHaveLength(0)

    h.clock.now += 1000
    await h.scheduler.tick()
    await idle(h)
    expect(h.sent.map((s) => [s.webhookId, s.type, s.leadId])).toEqual([[deliveryId, 'lead.created', leadId]])
    // A receiver can check it with the official library (the timestamp is the controlled clock's, near real time).
    expect(() => new Webhook(WEBHOOK_SECRET).verify(h.sent[0]!.body, h.sent[0]!.headers)).not.toThrow()
    expect(deliveryRow(h, deliveryId)).toMatchObject({ status: 'delivered', attempts: 1, lease_until: null })
    expect(h.scheduler.lastTickAt()).toBe(h.clock.now)

    // Delivered means done: later ticks send nothing more.
    h.clock.now += 60_000
    await h.scheduler.tick()
    await idle(h)
    expect(h.sent).toHaveLength(1)
  })

  it('leaves a delivery that is not due yet for a later tick', async () => {
    const h = await harness({ controlledClock: true })
    await addSite(h.deps, 'shop')
    const { deliveryId } = await storeLead(h.deps, 'shop', h.clock.now + 30_000)
    h.clock.now += 29_000
    await h.scheduler.tick()
    await idle(h)
    expect(h.sent).toHaveLength(0)
    h.clock.now += 2000
    await h.scheduler.tick()
    await idle(h)
    expect(h.sent.map((s) => s.webhookId)).toEqual([deliveryId])
  })

  it('has at most `concurrency` attempts in flight however many are due', async () => {
    let inFlight = 0
    let maxInFlight = 0
    const h = await harness({
      concurrency: 2,
      // The real timer this time: it must pick up the next due delivery as a slot frees.
      intervalMs: 20,
      answer: async () => {
        inFlight++
        maxInFlight = Math.max(maxInFlight, inFlight)
        await new Promise((resolve) => setTimeout(resolve, 150))
        inFlight--
        return new Response(null, { status: 204 })
      },
    })
    await addSite(h.deps, 'shop')
    const ids: string[] = []
    for (let i = 0; i < 5; i++) ids.push((await storeLead(h.deps, 'shop', Date.now())).deliveryId)
    await until(() => ids.every((id) => deliveryRow(h, id)?.status === 'delivered'), 15_000, 'five deliveries')
    expect(maxInFlight).toBe(2)
    expect(h.sent.map((s) => s.webhookId).sort()).toEqual([...ids].sort())
  })

  it('drains a backlog as fast as the target answers, not `concurrency` per interval', async () => {
    // An interval of a minute: only the one tick below and freed slots can start attempts.
    const h = await harness({ concurrency: 2, intervalMs: 60_000 })
    await addSite(h.deps, 'shop')
    const ids: string[] = []
    for (let i = 0; i < 30; i++) ids.push((await storeLead(h.deps, 'shop', Date.now() - 1000)).deliveryId)
    const started = Date.now()
    await h.scheduler.tick()
    await until(() => ids.every((id) => deliveryRow(h, id)?.status === 'delivered'), 10_000, 'thirty deliveries')
    expect(Date.now() - started).toBeLessThan(5_000)
    expect(new Set(h.sent.map((s) => s.webhookId)).size).toBe(30)
  })

  it('bounds the immediate attempts of a burst by the same concurrency; the tick takes the rest', async () => {
    let inFlight = 0
    let maxInFlight = 0
    const h = await harness({
      concurrency: 2,
      intervalMs: 20,
      answer: async () => {
        inFlight++
        maxInFlight = Math.max(maxInFlight, inFlight)
        await new Promise((resolve) => setTimeout(resolve, 100))
        inFlight--
        return new Response(null, { status: 204 })
      },
    })
    await addSite(h.deps, 'shop')
    const ids: string[] = []
    for (let i = 0; i < 6; i++) ids.push((await storeLead(h.deps, 'shop', Date.now())).deliveryId)
    // What POST /v1/leads does after each 201: the immediate attempt, through the deps' queue.
    await Promise.all(ids.map((id) => deliverNow(h.deps, [id])))
    expect(maxInFlight).toBeLessThanOrEqual(2)
    await until(() => ids.every((id) => deliveryRow(h, id)?.status === 'delivered'), 15_000, 'six deliveries')
    expect(maxInFlight).toBe(2)
    expect(new Set(h.sent.map((s) => s.webhookId)).size).toBe(6)
  })

  it('retries a delivery answered 500 on a later tick, once it is due, under the same webhook-id', async () => {
    let calls = 0
    const h = await harness({
      controlledClock: true,
      answer: async () => (++calls === 1 ? new Response('down', { status: 500 }) : new Response(null, { status: 204 })),
    })
    await addSite(h.deps, 'shop')
    const { deliveryId } = await storeLead(h.deps, 'shop', h.clock.now)
    h.clock.now += 1000
    await h.scheduler.tick()
    await idle(h)
    const afterFirst = deliveryRow(h, deliveryId)!
    expect(afterFirst).toMatchObject({ status: 'pending', attempts: 1, lease_until: null })
    // The Standard Webhooks schedule: the second try 5 s after the first (jitter only adds, < 10%).
    expect(afterFirst.next_attempt_at - h.clock.now).toBeGreaterThanOrEqual(5000)
    expect(afterFirst.next_attempt_at - h.clock.now).toBeLessThan(5500 + 1)

    h.clock.now = afterFirst.next_attempt_at - 1000
    await h.scheduler.tick()
    await idle(h)
    expect(h.sent).toHaveLength(1)

    h.clock.now = afterFirst.next_attempt_at + 1
    await h.scheduler.tick()
    await idle(h)
    expect(h.sent.map((s) => s.webhookId)).toEqual([deliveryId, deliveryId])
    expect(deliveryRow(h, deliveryId)).toMatchObject({ status: 'delivered', attempts: 2 })
    const log = await h.deps.deliveries.listAttempts(deliveryId)
    expect(log.map((a) => [a.attempt, a.outcome, a.httpStatus])).toEqual([
      [1, 'retry', 500],
      [2, 'delivered', 204],
    ])
  })
})

describe('SLA checks', () => {
  it('runs a due SLA check: the untaken lead moves to the next manager and the targets get a lead.escalated notice', async () => {
    const h = await harness({ controlledClock: true })
    const app = createNodeApp({
      deps: h.deps,
      trustProxy: parseTrustProxy('') as TrustProxy,
      background: (task) => void background.push(task),
    })
    const background: Promise<unknown>[] = []
    const admin = { Authorization: `Bearer ${ADMIN_TOKEN}`, 'Content-Type': 'application/json' }
    const put = await app.request('/v1/admin/sites/routed', {
      method: 'PUT',
      headers: admin,
      body: JSON.stringify({
        origins: [ORIGIN],
        targets: [WEBHOOK_TARGET],
        routing: {
          managers: [
            { id: 'olga', name: 'Ольга' },
            { id: 'pavel', name: 'Павел' },
            { id: 'boss', name: 'Руководитель' },
          ],
          rules: [{ when: { temperature: ['hot', 'warm', 'cold'] }, managers: ['olga', 'pavel'] }],
          sla: { minutes: { hot: 5, warm: 15, cold: 60 }, headOfSales: 'boss', maxEscalations: 2 },
        },
      } satisfies SiteConfigInput),
    })
    expect(put.status).toBe(201)

    const lead = leadBody('routed', crypto.randomUUID(), mobileFrom(5550001))
    const posted = await app.request('/v1/leads', { method: 'POST', headers: { 'Content-Type': 'application/json', Origin: ORIGIN }, body: JSON.stringify(lead) })
    expect(posted.status).toBe(201)
    await Promise.all(background)
    expect(h.sent.map((s) => s.type)).toEqual(['lead.created'])
    const firstManager = h.sent[0]!.managerId
    expect(firstManager).toBeDefined()

    const check = h.sqlite.prepare('SELECT round, due_at, done_at FROM sla_checks WHERE lead_id = ?').all(lead.id) as { round: number; due_at: number; done_at: number | null }[]
    expect(check).toHaveLength(1)
    const { due_at: dueAt } = check[0]!
    expect(dueAt).toBeGreaterThan(h.clock.now)

    // Not due yet: the tick leaves it.
    h.clock.now = dueAt - 60_000
    await h.scheduler.tick()
    await idle(h)
    expect(h.sent).toHaveLength(1)

    h.clock.now = dueAt + 1
    await h.scheduler.tick()
    await idle(h)
    expect(h.sent.map((s) => s.type)).toEqual(['lead.created', 'lead.escalated'])
    const notice = h.sent[1]!
    expect(notice.leadId).toBe(lead.id)
    expect(notice.managerId).toBe(firstManager === 'olga' ? 'pavel' : 'olga')
    expect(deliveryRow(h, notice.webhookId)).toMatchObject({ event_type: 'lead.escalated', status: 'delivered' })
    const row = h.sqlite.prepare('SELECT manager_id, escalations FROM leads WHERE id = ?').get(lead.id)
    expect({ ...row }).toEqual({ manager_id: notice.managerId, escalations: 1 })
    const checks = (
      h.sqlite.prepare('SELECT round, due_at, done_at FROM sla_checks WHERE lead_id = ? ORDER BY round').all(lead.id) as { round: number; due_at: number; done_at: number | null }[]
    ).map((c) => ({ ...c }))
    expect(checks[0]).toMatchObject({ round: 0, done_at: h.clock.now })
    expect(checks[1]).toMatchObject({ round: 1, done_at: null })
    // The next round is due one SLA period after this check ran, as the first was after the lead.
    const { created_at: createdAt } = h.sqlite.prepare('SELECT created_at FROM leads WHERE id = ?').get(lead.id) as { created_at: number }
    expect(checks[1]!.due_at).toBe(h.clock.now + (dueAt - createdAt))

    // The same round is settled: another tick at the same time does not escalate again.
    await h.scheduler.tick()
    await idle(h)
    expect(h.sent).toHaveLength(2)
  })
})

describe('stop(grace)', () => {
  function heldTarget() {
    let release: () => void = () => {}
    const released = new Promise<void>((resolve) => (release = resolve))
    let started = 0
    return {
      answer: async () => {
        started++
        await released
        return new Response(null, { status: 204 })
      },
      release: () => release(),
      started: () => started,
    }
  }

  it('waits for an attempt under way and returns true once it has finished and been recorded', async () => {
    const target = heldTarget()
    const h = await harness({ answer: target.answer })
    await addSite(h.deps, 'shop')
    const { deliveryId } = await storeLead(h.deps, 'shop', Date.now() - 1)
    await h.scheduler.tick()
    await until(() => target.started() === 1, 5000, 'the attempt to reach the target')

    let result: boolean | null = null
    const stopping = h.scheduler.stop(10_000).then((r) => (result = r))
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(result).toBeNull()
    expect(deliveryRow(h, deliveryId)?.lease_until).not.toBeNull()
    target.release()
    await stopping
    expect(result).toBe(true)
    expect(deliveryRow(h, deliveryId)).toMatchObject({ status: 'delivered', attempts: 1, lease_until: null })
  })

  it('returns false after the grace when an attempt outlives it, leaving the delivery leased for the next start', async () => {
    const target = heldTarget()
    const h = await harness({ answer: target.answer })
    await addSite(h.deps, 'shop')
    const { deliveryId } = await storeLead(h.deps, 'shop', Date.now() - 1)
    await h.scheduler.tick()
    await until(() => target.started() === 1, 5000, 'the attempt to reach the target')

    const startedAt = Date.now()
    expect(await h.scheduler.stop(300)).toBe(false)
    const tookMs = Date.now() - startedAt
    expect(tookMs).toBeGreaterThanOrEqual(290)
    expect(tookMs).toBeLessThan(3000)
    expect(h.scheduler.busy()).toBe(1)
    expect(deliveryRow(h, deliveryId)).toMatchObject({ status: 'pending', attempts: 0 })
    expect(deliveryRow(h, deliveryId)?.lease_until).not.toBeNull()
    // Stopped: no tick starts anything new.
    await storeLead(h.deps, 'shop', Date.now() - 1)
    await h.scheduler.tick()
    expect(h.scheduler.busy()).toBe(1)
    target.release()
  })
})
