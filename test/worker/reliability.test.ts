// Faults the promise "no lead is ever lost" must survive: long outages, flapping and slow targets,
// a crash between the D1 write and the first attempt, retried submissions, and a burst.
import { createExecutionContext, createMessageBatch, createScheduledController, getQueueResult, waitOnExecutionContext } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createDeps } from '../../worker/src/cloudflare/deps'
import type { Deps } from '../../worker/src/deps'
import { attemptDelivery } from '../../worker/src/delivery/attempt-delivery'
import type { QueueMessage } from '../../worker/src/delivery/delivery-queue'
import worker from '../../worker/src/cloudflare/index'
import { ingestLead } from '../../worker/src/pipeline/ingest-lead'
import * as v from 'valibot'
import { LeadSchema } from '../../shared/schemas/lead'
import { WEBHOOK_TARGET, fakeQueue, leadRequest, putSite, randomMobile, siteConfig, uniqueSite, validLead } from './helpers'

afterEach(() => {
  vi.restoreAllMocks()
})

/** A receiver that dedupes on webhook-id, as the README tells CRMs to, and counts everything. */
function receiver(answer: (now: number) => number) {
  const received = new Map<string, number>()
  let clock = Date.now()
  vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
    const request = new Request(input, init)
    const status = answer(clock)
    if (status >= 200 && status < 300) {
      const id = request.headers.get('webhook-id')!
      received.set(id, (received.get(id) ?? 0) + 1)
    }
    return new Response(null, { status })
  })
  return { received, setClock: (t: number) => void (clock = t) }
}

async function pendingIds(siteId: string): Promise<string[]> {
  const { results } = await env.DB.prepare("SELECT id FROM deliveries WHERE site_id = ? AND status = 'pending'").bind(siteId).all<{ id: string }>()
  return results.map((r) => r.id)
}

/** Runs every due attempt at each delivery's own next time, as the queue would, until none is pending. */
async function drive(deps: Deps, siteId: string, setClock: (t: number) => void, limit = 500) {
  for (let i = 0; i < limit; i++) {
    const rows = await env.DB.prepare("SELECT id, next_attempt_at FROM deliveries WHERE site_id = ? AND status = 'pending' ORDER BY next_attempt_at LIMIT 1")
      .bind(siteId)
      .first<{ id: string; next_attempt_at: number }>()
    if (!rows) return
    setClock(rows.next_attempt_at)
    await attemptDelivery({ ...deps, now: () => rows.next_attempt_at }, rows.id)
  }
  throw new Error('deliveries did not settle')
}

describe('a CRM down for three days', () => {
  it('delivers every lead exactly once when it comes back before the schedule runs out', async () => {
    const site = uniqueSite('outage')
    await putSite(site, siteConfig({ targets: [WEBHOOK_TARGET] }))
    const start = Date.now()
    const threeDays = 3 * 24 * 3600_000
    const { received, setClock } = receiver((now) => (now < start + threeDays ? 503 : 200))
    const { env: testEnv } = fakeQueue()
    const ids: string[] = []
    for (let i = 0; i < 10; i++) {
      const lead = validLead(site)
      ids.push(lead.id)
      const ctx = createExecutionContext()
      await worker.fetch(leadRequest(lead), testEnv, ctx)
      await waitOnExecutionContext(ctx)
    }
    await drive(createDeps(testEnv), site, setClock)
    const { results } = await env.DB.prepare('SELECT status, attempts FROM deliveries WHERE site_id = ?').bind(site).all<{ status: string; attempts: number }>()
    expect(results).toHaveLength(10)
    expect(results.every((r) => r.status === 'delivered')).toBe(true)
    expect(received.size).toBe(10)
    expect([...received.values()].every((n) => n === 1)).toBe(true)
    // The last slots of the schedule are the ones that get through.
    expect(Math.min(...results.map((r) => r.attempts))).toBeGreaterThanOrEqual(9)
  })
})

describe('a flapping target', () => {
  it('gets every delivery through exactly once with half of all answers failing', async () => {
    const site = uniqueSite('flap')
    await putSite(site, siteConfig({ targets: [WEBHOOK_TARGET] }))
    let call = 0
    const { received, setClock } = receiver(() => (call++ % 2 === 0 ? 500 : 200))
    const { env: testEnv } = fakeQueue()
    for (let i = 0; i < 20; i++) {
      const ctx = createExecutionContext()
      await worker.fetch(leadRequest(validLead(site)), testEnv, ctx)
      await waitOnExecutionContext(ctx)
    }
    await drive(createDeps(testEnv), site, setClock)
    expect(received.size).toBe(20)
    expect([...received.values()].every((n) => n === 1)).toBe(true)
    expect(await pendingIds(site)).toEqual([])
  })
})

describe('a crash after the D1 write, before the first attempt', () => {
  it('is found by the cron sweep and delivered', async () => {
    const site = uniqueSite('crash')
    await putSite(site, siteConfig({ targets: [WEBHOOK_TARGET] }))
    const deps = createDeps(env)
    const siteRecord = (await deps.sites.getSite(site))!
    const input = v.parse(LeadSchema, validLead(site))
    // The lead is stored with its pending delivery; the process "dies" before deliverNow runs.
    const outcome = await ingestLead(deps, siteRecord, input, { ip: null, userAgent: null, now: Date.now() - 10 * 60_000 })
    expect(outcome.kind).toBe('created')

    const { env: testEnv, woken } = fakeQueue()
    const sweepCtx = createExecutionContext()
    await worker.scheduled(createScheduledController(), testEnv, sweepCtx)
    await waitOnExecutionContext(sweepCtx)
    // The sweep wakes every overdue delivery in the database, other files' leftovers too (the
    // worker project runs with isolate: false): this lead's must be among them.
    expect(outcome.deliveryIds).toHaveLength(1)
    expect(woken()).toEqual(expect.arrayContaining(outcome.deliveryIds))

    const { received } = receiver(() => 204)
    const batch = createMessageBatch<QueueMessage>('leadcatcher-deliveries', [{ id: 'wake-1', timestamp: new Date(), attempts: 1, body: { deliveryId: outcome.deliveryIds[0]! } }])
    const ctx = createExecutionContext()
    await worker.queue(batch, env, ctx)
    expect((await getQueueResult(batch, ctx)).explicitAcks).toEqual(['wake-1'])
    expect(received.size).toBe(1)
    expect(await pendingIds(site)).toEqual([])
  })
})

describe('the visitor’s network drops between submit and response', () => {
  it('turns the widget’s retries with the same id into exactly one lead and one delivery', async () => {
    const site = uniqueSite('drop')
    await putSite(site, siteConfig({ targets: [WEBHOOK_TARGET] }))
    const { received } = receiver(() => 204)
    const lead = validLead(site)
    const statuses: number[] = []
    for (let i = 0; i < 3; i++) {
      const ctx = createExecutionContext()
      // The first answer is "lost"; the outbox sends the same body again, also as a beacon (text/plain).
      const response = await worker.fetch(leadRequest(lead, { contentType: i === 2 ? 'text/plain;charset=UTF-8' : 'application/json' }), env, ctx)
      await waitOnExecutionContext(ctx)
      statuses.push(response.status)
    }
    expect(statuses).toEqual([201, 200, 200])
    expect((await env.DB.prepare('SELECT count(*) AS n FROM leads WHERE id = ?').bind(lead.id).first<{ n: number }>())?.n).toBe(1)
    expect(received.size).toBe(1)
  })
})

describe('a burst', () => {
  it('accepts 1 000 leads across 5 sites with bounded concurrency: none lost, none forwarded twice, no 5xx', async () => {
    const sites = Array.from({ length: 5 }, () => uniqueSite('burst'))
    for (const site of sites) {
      await putSite(site, siteConfig({ targets: [WEBHOOK_TARGET], rateLimits: { perSitePerMinute: 100_000 } }))
    }
    const { received } = receiver(() => 204)
    const leads = Array.from({ length: 1000 }, (_, i) => validLead(sites[i % 5]!, { contact: { phone: randomMobile() } }))
    const statuses: number[] = []
    let next = 0
    async function lane() {
      while (next < leads.length) {
        const lead = leads[next++]!
        const ctx = createExecutionContext()
        const response = await worker.fetch(leadRequest(lead), env, ctx)
        await waitOnExecutionContext(ctx)
        statuses.push(response.status)
      }
    }
    await Promise.all(Array.from({ length: 20 }, lane))
    expect(statuses.filter((s) => s >= 500)).toEqual([])
    expect(statuses.filter((s) => s === 201)).toHaveLength(1000)
    const stored = await env.DB.prepare(`SELECT count(*) AS n FROM leads WHERE site_id IN (${sites.map(() => '?').join(',')})`)
      .bind(...sites)
      .first<{ n: number }>()
    expect(stored?.n).toBe(1000)
    expect(received.size).toBe(1000)
    expect([...received.values()].every((n) => n === 1)).toBe(true)
  }, 120_000)
})
