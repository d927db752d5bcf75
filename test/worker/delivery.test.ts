// Delivery through the real worker, D1 and queue handlers: signed webhooks, retries, dead letters, sweep.
import { createExecutionContext, createMessageBatch, createScheduledController, getQueueResult, waitOnExecutionContext } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { Webhook } from 'standardwebhooks'
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { createDeps } from '../../worker/src/cloudflare/deps'
import { attemptDelivery } from '../../worker/src/delivery/attempt-delivery'
import type { DeliveryMessage } from '../../worker/src/delivery/delivery-queue'
import worker from '../../worker/src/cloudflare/index'
import { WEBHOOK_SECRET, WEBHOOK_TARGET, fakeQueue, leadRequest, putSite, siteConfig, uniqueSite, validLead } from './helpers'

interface Sent {
  url: string
  headers: Record<string, string>
  body: string
}

/** Replaces the outbound fetch; each call answers with the next response maker, the last one repeating. */
function targetAnswers(...answers: (() => Response | Promise<Response>)[]): Sent[] {
  const sent: Sent[] = []
  vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
    const request = new Request(input, init)
    sent.push({ url: request.url, headers: Object.fromEntries(request.headers), body: await request.text() })
    const answer = answers[Math.min(sent.length - 1, answers.length - 1)]!
    return answer()
  })
  return sent
}

interface DeliveryRow {
  id: string
  status: string
  attempts: number
  next_attempt_at: number
  last_error: string | null
}

async function deliveriesOf(leadId: string): Promise<DeliveryRow[]> {
  const { results } = await env.DB.prepare('SELECT id, status, attempts, next_attempt_at, last_error FROM deliveries WHERE lead_id = ?').bind(leadId).all<DeliveryRow>()
  return results
}

async function attemptsOf(deliveryId: string) {
  const { results } = await env.DB.prepare('SELECT attempt, outcome, http_status, error FROM delivery_attempts WHERE delivery_id = ? ORDER BY attempt')
    .bind(deliveryId)
    .all<{ attempt: number; outcome: string; http_status: number | null; error: string | null }>()
  return results
}

/** Posts a lead through the worker's fetch handler and waits for its waitUntil work (the first attempt). */
async function submit(site: string, testEnv: Env = env) {
  const lead = validLead(site, { contact: { name: 'Анна', phone: `+7 912 345-${String(Math.floor(Math.random() * 1e4)).padStart(4, '0')}` } })
  const ctx = createExecutionContext()
  const response = await worker.fetch(leadRequest(lead), testEnv, ctx)
  await waitOnExecutionContext(ctx)
  expect(response.status).toBe(201)
  return lead
}

const site = uniqueSite('dlv')
beforeAll(async () => {
  await putSite(site, siteConfig({ targets: [WEBHOOK_TARGET] }))
})
afterEach(() => {
  vi.restoreAllMocks()
})

describe('immediate delivery', () => {
  it('sends a new lead at once as one signed lead.created webhook', async () => {
    const sent = targetAnswers(() => new Response(null, { status: 204 }))
    const queue = fakeQueue()
    const lead = await submit(site, queue.env)

    expect(sent).toHaveLength(1)
    const [request] = sent
    expect(request!.url).toBe(WEBHOOK_TARGET.url)
    const event = new Webhook(WEBHOOK_SECRET).verify(request!.body, request!.headers) as {
      type: string
      data: { id: string; site: string; source: string; contact: { phone: string; name: string }; context: { utm: { source: string } } }
    }
    expect(event.type).toBe('lead.created')
    expect(event.data).toMatchObject({ id: lead.id, site, source: 'callback', contact: { name: 'Анна' } })
    expect(event.data.contact.phone).toMatch(/^\+7912345\d{4}$/)
    expect(event.data.context.utm.source).toBe('yandex')

    const [delivery] = await deliveriesOf(lead.id)
    expect(delivery).toMatchObject({ status: 'delivered', attempts: 1, last_error: null })
    expect(request!.headers['webhook-id']).toBe(delivery!.id)
    expect(queue.messages).toHaveLength(0)
  })
})

describe('a failing target', () => {
  it('keeps the lead and a pending delivery after a 500, queued for the next slot, then delivers on retry', async () => {
    const sent = targetAnswers(
      () => new Response('boom', { status: 500 }),
      () => new Response('ok', { status: 200 }),
    )
    const queue = fakeQueue()
    const before = Date.now()
    const lead = await submit(site, queue.env)

    const stored = await env.DB.prepare('SELECT id FROM leads WHERE id = ?').bind(lead.id).first()
    expect(stored).not.toBeNull()
    const [pending] = await deliveriesOf(lead.id)
    expect(pending).toMatchObject({ status: 'pending', attempts: 1 })
    expect(pending!.last_error).toContain('HTTP 500')
    // Second slot of the schedule: 5 s + up to 10 %.
    expect(pending!.next_attempt_at - before).toBeGreaterThanOrEqual(5000)
    expect(pending!.next_attempt_at - before).toBeLessThan(7000)
    expect(queue.messages).toEqual([{ body: { deliveryId: pending!.id }, delaySeconds: expect.any(Number) }])
    expect(queue.messages[0]!.delaySeconds).toBeGreaterThanOrEqual(5)
    expect(queue.messages[0]!.delaySeconds).toBeLessThanOrEqual(6)

    // Too early: nothing is sent.
    const deps = { ...createDeps(queue.env) }
    expect(await attemptDelivery(deps, pending!.id)).toMatchObject({ kind: 'skipped', reason: 'not_due' })
    expect(sent).toHaveLength(1)

    const later = { ...deps, now: () => pending!.next_attempt_at + 1 }
    expect(await attemptDelivery(later, pending!.id)).toEqual({ kind: 'delivered' })
    expect(sent).toHaveLength(2)
    expect(sent[1]!.headers['webhook-id']).toBe(sent[0]!.headers['webhook-id'])
    expect(sent[1]!.body).toBe(sent[0]!.body)
    expect((await deliveriesOf(lead.id))[0]).toMatchObject({ status: 'delivered', attempts: 2 })
    expect(await attemptsOf(pending!.id)).toEqual([
      { attempt: 1, outcome: 'retry', http_status: 500, error: 'HTTP 500 boom' },
      { attempt: 2, outcome: 'delivered', http_status: 200, error: null },
    ])
  })

  it('treats a target that does not answer in time as a retry', async () => {
    targetAnswers(() => new Response(null, { status: 500 }))
    const queue = fakeQueue()
    const lead = await submit(site, queue.env)
    const [delivery] = await deliveriesOf(lead.id)
    vi.restoreAllMocks()
    vi.spyOn(globalThis, 'fetch').mockImplementation(
      (_input, init) =>
        new Promise((_resolve, reject) => {
          init?.signal?.addEventListener('abort', () => reject(init.signal?.reason))
        }),
    )
    const deps = { ...createDeps(queue.env), now: () => delivery!.next_attempt_at + 1, timeoutMs: 50 }
    expect(await attemptDelivery(deps, delivery!.id)).toMatchObject({ kind: 'retry' })
    const [after] = await deliveriesOf(lead.id)
    expect(after).toMatchObject({ status: 'pending', attempts: 2, last_error: 'no answer within 50 ms' })
  })

  it('stops at once on 410 Gone', async () => {
    targetAnswers(() => new Response('gone', { status: 410 }))
    const queue = fakeQueue()
    const lead = await submit(site, queue.env)
    const [delivery] = await deliveriesOf(lead.id)
    expect(delivery).toMatchObject({ status: 'failed', attempts: 1 })
    expect(delivery!.last_error).toContain('410')
    expect(queue.messages).toHaveLength(0)
  })

  it('waits as long as Retry-After asks', async () => {
    targetAnswers(() => new Response('slow down', { status: 429, headers: { 'Retry-After': '3600' } }))
    const queue = fakeQueue()
    const before = Date.now()
    const lead = await submit(site, queue.env)
    const [delivery] = await deliveriesOf(lead.id)
    expect(delivery!.status).toBe('pending')
    expect(delivery!.next_attempt_at - before).toBeGreaterThanOrEqual(3600_000)
    expect(queue.messages[0]!.delaySeconds).toBe(3600)
  })

  it('marks the delivery failed after the tenth failed attempt, keeping the lead', async () => {
    targetAnswers(() => new Response(null, { status: 503 }))
    const queue = fakeQueue()
    const lead = await submit(site, queue.env)
    const [delivery] = await deliveriesOf(lead.id)
    await env.DB.prepare('UPDATE deliveries SET attempts = 9, next_attempt_at = 0 WHERE id = ?').bind(delivery!.id).run()
    const result = await attemptDelivery(createDeps(queue.env), delivery!.id)
    expect(result).toMatchObject({ kind: 'failed' })
    const [failed] = await deliveriesOf(lead.id)
    expect(failed).toMatchObject({ status: 'failed', attempts: 10 })
    expect(failed!.last_error).toMatch(/gave up after 10 attempts/)
    expect(await env.DB.prepare('SELECT id FROM leads WHERE id = ?').bind(lead.id).first()).not.toBeNull()
  })

  it('honours the whole schedule on a simulated clock: about 3 days, then failed', async () => {
    targetAnswers(() => new Response(null, { status: 500 }))
    const queue = fakeQueue()
    const lead = await submit(site, queue.env)
    let [delivery] = await deliveriesOf(lead.id)
    const gaps: number[] = []
    let last = Date.now()
    let clock = delivery!.next_attempt_at
    for (let i = 0; i < 20 && delivery!.status === 'pending'; i++) {
      gaps.push(Math.round((delivery!.next_attempt_at - last) / 1000))
      clock = delivery!.next_attempt_at
      last = clock
      // A moment too early is refused; at the due time it is sent.
      expect(await attemptDelivery({ ...createDeps(queue.env), now: () => clock - 1000 }, delivery!.id)).toMatchObject({ reason: 'not_due' })
      await attemptDelivery({ ...createDeps(queue.env), now: () => clock }, delivery!.id)
      ;[delivery] = await deliveriesOf(lead.id)
    }
    const expected = [5, 300, 1800, 7200, 18000, 36000, 50400, 72000, 86400]
    expect(gaps).toHaveLength(expected.length)
    gaps.forEach((gap, i) => {
      expect(gap).toBeGreaterThanOrEqual(expected[i]!)
      expect(gap).toBeLessThanOrEqual(Math.ceil(expected[i]! * 1.1) + 1)
    })
    expect(delivery).toMatchObject({ status: 'failed', attempts: 10 })
    expect((await attemptsOf(delivery!.id)).map((a) => a.outcome)).toEqual([...Array(9).fill('retry'), 'failed'])
  })

  it('lets only one of two simultaneous attempts send', async () => {
    targetAnswers(() => new Response(null, { status: 500 }))
    const queue = fakeQueue()
    const lead = await submit(site, queue.env)
    const [delivery] = await deliveriesOf(lead.id)
    vi.restoreAllMocks()
    const sent = targetAnswers(() => new Promise<Response>((resolve) => setTimeout(() => resolve(new Response(null, { status: 200 })), 30)))
    const deps = { ...createDeps(queue.env), now: () => delivery!.next_attempt_at + 1 }
    const results = await Promise.all([attemptDelivery(deps, delivery!.id), attemptDelivery(deps, delivery!.id)])
    expect(results.map((r) => r.kind).sort()).toEqual(['delivered', 'skipped'])
    expect(sent).toHaveLength(1)
  })
})

describe('queue consumers', () => {
  async function pendingDelivery() {
    targetAnswers(() => new Response(null, { status: 500 }))
    const queue = fakeQueue()
    const lead = await submit(site, queue.env)
    vi.restoreAllMocks()
    return (await deliveriesOf(lead.id))[0]!
  }

  it('acks a delivered message, retries a failed one with the schedule delay, re-delays one not yet due', async () => {
    const due = await pendingDelivery()
    await env.DB.prepare('UPDATE deliveries SET next_attempt_at = 0 WHERE id = ?').bind(due.id).run()
    const notDue = await pendingDelivery()
    await env.DB.prepare('UPDATE deliveries SET next_attempt_at = ? WHERE id = ?')
      .bind(Date.now() + 600_000, notDue.id)
      .run()
    const done = await pendingDelivery()
    await env.DB.prepare("UPDATE deliveries SET status = 'delivered' WHERE id = ?").bind(done.id).run()

    const sent = targetAnswers(() => new Response(null, { status: 502 }))
    const batch = createMessageBatch<DeliveryMessage>('leadcatcher-deliveries', [
      { id: 'm-due', timestamp: new Date(), attempts: 1, body: { deliveryId: due.id } },
      { id: 'm-notdue', timestamp: new Date(), attempts: 1, body: { deliveryId: notDue.id } },
      { id: 'm-done', timestamp: new Date(), attempts: 1, body: { deliveryId: done.id } },
    ])
    // getQueueResult records which messages were retried but not their delays: spy on those.
    const delays = new Map<string, number | undefined>()
    for (const message of batch.messages) {
      const retry = message.retry.bind(message)
      vi.spyOn(message, 'retry').mockImplementation((options) => {
        delays.set(message.id, options?.delaySeconds)
        retry(options)
      })
    }
    const ctx = createExecutionContext()
    await worker.queue(batch, env, ctx)
    const result = await getQueueResult(batch, ctx)

    expect(sent).toHaveLength(1)
    expect(result.explicitAcks).toEqual(['m-done'])
    expect(result.retryMessages.map((m) => m.msgId).sort()).toEqual(['m-due', 'm-notdue'])
    const retries = Object.fromEntries(delays)
    // The due one failed its second attempt: next slot is 5 min + up to 10 %.
    expect(retries['m-due']).toBeGreaterThanOrEqual(300)
    expect(retries['m-due']).toBeLessThanOrEqual(330)
    expect(retries['m-notdue']).toBeGreaterThan(590)
    expect(retries['m-notdue']).toBeLessThanOrEqual(600)
    const row = await env.DB.prepare('SELECT status, attempts FROM deliveries WHERE id = ?').bind(due.id).first()
    expect(row).toEqual({ status: 'pending', attempts: 2 })
  })

  it('marks dead-lettered deliveries failed and acks them', async () => {
    const delivery = await pendingDelivery()
    const batch = createMessageBatch<DeliveryMessage>('leadcatcher-deliveries-dlq', [{ id: 'dead-1', timestamp: new Date(), attempts: 101, body: { deliveryId: delivery.id } }])
    const ctx = createExecutionContext()
    await worker.queue(batch, env, ctx)
    const result = await getQueueResult(batch, ctx)
    expect(result.explicitAcks).toEqual(['dead-1'])
    const row = await env.DB.prepare('SELECT status, last_error FROM deliveries WHERE id = ?').bind(delivery.id).first<{ status: string; last_error: string }>()
    expect(row).toEqual({ status: 'failed', last_error: 'dead-lettered after 101 queue attempts' })
  })
})

describe('cron sweep', () => {
  it('re-enqueues pending deliveries whose wake-up is overdue, and only those', async () => {
    targetAnswers(() => new Response(null, { status: 500 }))
    const setup = fakeQueue()
    const lost = (await deliveriesOf((await submit(site, setup.env)).id))[0]!
    const fresh = (await deliveriesOf((await submit(site, setup.env)).id))[0]!
    await env.DB.prepare('UPDATE deliveries SET next_attempt_at = ? WHERE id = ?')
      .bind(Date.now() - 10 * 60_000, lost.id)
      .run()

    const queue = fakeQueue()
    const ctx = createExecutionContext()
    await worker.scheduled(createScheduledController({ cron: '*/5 * * * *' }), queue.env, ctx)
    await waitOnExecutionContext(ctx)
    const woken = queue.woken()
    expect(woken).toContain(lost.id)
    expect(woken).not.toContain(fresh.id)
  })
})

describe('a target removed from the config', () => {
  it('fails its pending deliveries with a clear error', async () => {
    const own = uniqueSite('rm')
    await putSite(own, siteConfig({ targets: [WEBHOOK_TARGET] }))
    targetAnswers(() => new Response(null, { status: 500 }))
    const queue = fakeQueue()
    const lead = await submit(own, queue.env)
    await putSite(own, siteConfig({ targets: [] }))
    const [delivery] = await deliveriesOf(lead.id)
    const result = await attemptDelivery({ ...createDeps(queue.env), now: () => delivery!.next_attempt_at + 1 }, delivery!.id)
    expect(result).toEqual({ kind: 'failed', error: 'target "crm" is no longer configured' })
  })
})
