// Manager routing, first-come taking and SLA escalation on a controlled clock.
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { LeadInput } from '../../shared/schemas/lead'
import type { RoutingSchema } from '../../shared/schemas/routing'
import { createDeps } from '../../worker/src/cloudflare/deps'
import type { SlaMessage } from '../../worker/src/delivery/delivery-queue'
import worker from '../../worker/src/cloudflare/index'
import { checkSla } from '../../worker/src/lead-routing/check-sla'
import { WEBHOOK_TARGET, adminRequest, fakeQueue, errorCode, leadRequest, putSite, randomMobile, siteConfig, uniqueSite, validLead } from './helpers'
import type { QueuedMessage } from './helpers'
import type * as v from 'valibot'

type RoutingInput = v.InferInput<typeof RoutingSchema>

const MANAGERS = [
  { id: 'olga', name: 'Ольга', bitrixUserId: 11 },
  { id: 'pavel', name: 'Павел', bitrixUserId: 12 },
  { id: 'irina', name: 'Ирина', bitrixUserId: 13 },
  { id: 'boss', name: 'Руководитель', bitrixUserId: 1 },
]

/** Posts with every outbound webhook answered 204; returns the events the target received. */
async function submit(lead: LeadInput, testEnv: Env) {
  const events: { type: string; data: { id: string; manager?: { id: string }; escalations?: number; headOfSales?: { id: string } } }[] = []
  vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
    events.push(JSON.parse(await new Request(input, init).text()) as (typeof events)[number])
    return new Response(null, { status: 204 })
  })
  const ctx = createExecutionContext()
  const response = await worker.fetch(leadRequest(lead), testEnv, ctx)
  await waitOnExecutionContext(ctx)
  expect(response.status).toBe(201)
  return events
}

async function routedSite(routing: RoutingInput) {
  const site = uniqueSite('route')
  await putSite(site, siteConfig({ targets: [WEBHOOK_TARGET], routing }))
  return site
}

afterEach(() => {
  vi.restoreAllMocks()
})

describe('round robin', () => {
  it('hands leads to the managers in turn and tells the targets who is responsible', async () => {
    const site = await routedSite({ managers: MANAGERS.slice(0, 3) })
    const { env: testEnv } = fakeQueue()
    const assigned: string[] = []
    for (let i = 0; i < 6; i++) {
      const [event] = await submit(validLead(site), testEnv)
      assigned.push(event!.data.manager!.id)
    }
    expect(assigned).toEqual(['olga', 'pavel', 'irina', 'olga', 'pavel', 'irina'])
  })

  it('sends leads matching a rule to that rule’s managers', async () => {
    const site = await routedSite({
      managers: MANAGERS,
      rules: [
        { when: { answer: { question: 'route', in: ['senior'] } }, managers: ['boss'] },
        { when: { page: '/commercial' }, managers: ['irina'] },
        { when: { temperature: ['cold'] }, managers: ['pavel'] },
      ],
    })
    const { env: testEnv } = fakeQueue()
    const senior = await submit(validLead(site, { source: 'chat', answers: { route: 'senior' } }), testEnv)
    expect(senior[0]!.data.manager!.id).toBe('boss')
    const commercial = await submit(validLead(site, { context: { page: 'https://shop.example/commercial/offices' } }), testEnv)
    expect(commercial[0]!.data.manager!.id).toBe('irina')
    const cold = await submit(validLead(site, { source: 'form', contact: { email: `c${Date.now()}@mail.ru` } }), testEnv)
    expect(cold[0]!.data.manager!.id).toBe('pavel')
  })

  it('refuses routing that names unknown managers', async () => {
    const response = await adminRequest(
      'PUT',
      `/v1/admin/sites/${uniqueSite()}`,
      siteConfig({ routing: { managers: MANAGERS.slice(0, 1), rules: [{ when: { source: ['chat'] }, managers: ['ghost'] }] } }),
    )
    expect(response.status).toBe(400)
    expect(await errorCode(response)).toBe('validation_failed')
  })
})

describe('repeats', () => {
  it('go to the manager who has the first lead, not to whoever’s turn it is', async () => {
    const site = await routedSite({ managers: MANAGERS.slice(0, 3) })
    const { env: testEnv } = fakeQueue()
    const phone = randomMobile()
    const [first] = await submit(validLead(site, { contact: { name: 'Анна', phone } }), testEnv)
    expect(first!.data.manager!.id).toBe('olga')
    // Someone else's lead between them moves the rotation on; the repeat (by phone, then by the
    // same phone with an email) still goes to Ольга, and the rotation carries on where it was.
    const [other] = await submit(validLead(site), testEnv)
    expect(other!.data.manager!.id).toBe('pavel')
    const [repeat] = await submit(validLead(site, { contact: { name: 'Анна', phone } }), testEnv)
    expect(repeat).toMatchObject({ type: 'lead.repeated', data: { manager: { id: 'olga' } } })
    const [again] = await submit(validLead(site, { source: 'form', contact: { phone, email: `a${Date.now()}@mail.ru` } }), testEnv)
    expect(again!.data.manager!.id).toBe('olga')
    const [next] = await submit(validLead(site), testEnv)
    expect(next!.data.manager!.id).toBe('irina')
  })

  it('follow the first lead to the manager who took it in first-come mode', async () => {
    const site = await routedSite({ managers: MANAGERS.slice(0, 3), mode: 'first_come' })
    const { env: testEnv } = fakeQueue()
    const email = `taken${Date.now()}@mail.ru`
    const lead = validLead(site, { source: 'form', contact: { email } })
    await submit(lead, testEnv)
    expect((await adminRequest('POST', `/v1/admin/leads/${lead.id}/take`, { managerId: 'irina' })).status).toBe(200)
    // The take's own lead.status_changed may arrive with it: pick the repeat by its type.
    const repeat = (await submit(validLead(site, { source: 'form', contact: { email: email.toUpperCase() } }), testEnv)).find((e) => e.type === 'lead.repeated')
    expect(repeat!.data.manager!.id).toBe('irina')
    // A lead nobody has taken yet has nobody to follow: the repeat stays open too.
    const open = `open${Date.now()}@mail.ru`
    await submit(validLead(site, { source: 'form', contact: { email: open } }), testEnv)
    const openRepeat = (await submit(validLead(site, { source: 'form', contact: { email: open } }), testEnv)).find((e) => e.type === 'lead.repeated')
    expect(openRepeat!.data.manager).toBeUndefined()
  })

  it('are routed afresh once the first lead’s manager has left the pool', async () => {
    const site = await routedSite({ managers: MANAGERS.slice(0, 3) })
    const { env: testEnv } = fakeQueue()
    const phone = randomMobile()
    const [first] = await submit(validLead(site, { contact: { name: 'Анна', phone } }), testEnv)
    expect(first!.data.manager!.id).toBe('olga')
    // Ольга leaves the site's managers; a rule that leaves her out of this lead's pool counts too.
    await putSite(site, siteConfig({ targets: [WEBHOOK_TARGET], routing: { managers: MANAGERS.slice(1, 3) } }))
    const [repeat] = await submit(validLead(site, { contact: { name: 'Анна', phone } }), testEnv)
    expect(['pavel', 'irina']).toContain(repeat!.data.manager!.id)
    const ruled = await routedSite({ managers: MANAGERS.slice(0, 3), rules: [{ when: { source: ['form'] }, managers: ['pavel'] }] })
    const [callback] = await submit(validLead(ruled, { contact: { name: 'Анна', phone } }), testEnv)
    expect(callback!.data.manager!.id).toBe('olga')
    const [form] = await submit(validLead(ruled, { source: 'form', contact: { phone } }), testEnv)
    expect(form!.data.manager!.id).toBe('pavel')
  })

  it('are routed afresh when the site does not dedupe', async () => {
    const site = uniqueSite('route')
    await putSite(site, siteConfig({ targets: [WEBHOOK_TARGET], routing: { managers: MANAGERS.slice(0, 3) }, dedupe: { windowDays: 0 } }))
    const { env: testEnv } = fakeQueue()
    const phone = randomMobile()
    const managers: string[] = []
    for (let i = 0; i < 2; i++) managers.push((await submit(validLead(site, { contact: { phone } }), testEnv))[0]!.data.manager!.id)
    expect(managers).toEqual(['olga', 'pavel'])
  })
})

describe('first come', () => {
  it('leaves the lead unassigned until the first manager takes it; later presses are told it is taken', async () => {
    const site = await routedSite({ managers: MANAGERS.slice(0, 3), mode: 'first_come' })
    const lead = validLead(site)
    const [event] = await submit(lead, fakeQueue().env)
    expect(event!.data.manager).toBeUndefined()
    const first = await adminRequest('POST', `/v1/admin/leads/${lead.id}/take`, { managerId: 'pavel' })
    expect(first.status).toBe(200)
    expect(await first.json()).toEqual({ id: lead.id, takenBy: 'pavel' })
    const second = await adminRequest('POST', `/v1/admin/leads/${lead.id}/take`, { managerId: 'olga' })
    expect(second.status).toBe(409)
    expect(await errorCode(second)).toBe('already_taken')
    const stored = await env.DB.prepare('SELECT taken_by, manager_id FROM leads WHERE id = ?').bind(lead.id).first()
    expect(stored).toEqual({ taken_by: 'pavel', manager_id: 'pavel' })
  })

  it('lets exactly one of two simultaneous presses win', async () => {
    const site = await routedSite({ managers: MANAGERS.slice(0, 3), mode: 'first_come' })
    const lead = validLead(site)
    await submit(lead, fakeQueue().env)
    const statuses = await Promise.all(['olga', 'irina'].map(async (managerId) => (await adminRequest('POST', `/v1/admin/leads/${lead.id}/take`, { managerId })).status))
    expect(statuses.sort()).toEqual([200, 409])
  })

  it('rejects unknown managers and leads', async () => {
    const site = await routedSite({ managers: MANAGERS.slice(0, 1), mode: 'first_come' })
    const lead = validLead(site)
    await submit(lead, fakeQueue().env)
    expect((await adminRequest('POST', `/v1/admin/leads/${lead.id}/take`, { managerId: 'ghost' })).status).toBe(400)
    expect((await adminRequest('POST', `/v1/admin/leads/${crypto.randomUUID()}/take`, { managerId: 'olga' })).status).toBe(404)
  })
})

describe('SLA escalation', () => {
  const routing: RoutingInput = {
    managers: MANAGERS,
    rules: [{ when: { temperature: ['hot', 'warm', 'cold'] }, managers: ['olga', 'pavel', 'irina'] }],
    sla: { minutes: { hot: 5, warm: 15, cold: 60 }, headOfSales: 'boss', maxEscalations: 2 },
  }

  function slaChecks(messages: QueuedMessage[]) {
    return messages.filter((m): m is { body: SlaMessage; delaySeconds: number } => 'kind' in m.body && m.body.kind === 'sla')
  }

  it('moves an untaken lead along the managers on a controlled clock, then to the head of sales', async () => {
    const site = await routedSite(routing)
    const queue = fakeQueue()
    const lead = validLead(site, { contact: { name: 'Анна', phone: randomMobile() } })
    const [created] = await submit(lead, queue.env)
    const first = created!.data.manager!.id
    const checks = slaChecks(queue.messages)
    expect(checks).toHaveLength(1)
    // warm: 15 minutes
    expect(checks[0]!.delaySeconds).toBe(15 * 60)

    const timeline: (string | null | undefined)[] = []
    let check = checks[0]!.body
    for (let step = 0; step < 3; step++) {
      const early = await checkSla({ ...createDeps(queue.env), now: () => check.dueAt - 60_000 }, check)
      expect(early).toEqual({ kind: 'later', delaySeconds: 60 })
      const events: string[] = []
      vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
        events.push(((await new Request(input, init).json()) as { type: string }).type)
        return new Response(null, { status: 204 })
      })
      const result = await checkSla({ ...createDeps(queue.env), now: () => check.dueAt }, check)
      vi.restoreAllMocks()
      expect(result.kind).toBe('done')
      timeline.push(result.kind === 'done' ? result.escalatedTo?.id : undefined)
      expect(events).toEqual(['lead.escalated'])
      const next = slaChecks(queue.messages).at(-1)!.body
      if (step < 2) {
        expect(next.round).toBe(step + 1)
        expect(next.dueAt).toBe(check.dueAt + 15 * 60_000)
        check = next
      } else {
        expect(next).toBe(check)
      }
    }
    const order = ['olga', 'pavel', 'irina']
    const i = order.indexOf(first)
    expect(timeline).toEqual([order[(i + 1) % 3], order[(i + 2) % 3], 'boss'])
    const row = await env.DB.prepare('SELECT manager_id, escalations, payload FROM leads WHERE id = ?')
      .bind(lead.id)
      .first<{ manager_id: string; escalations: number; payload: string }>()
    expect(row?.manager_id).toBe('boss')
    expect(row?.escalations).toBe(3)
    expect((JSON.parse(row!.payload) as { headOfSales: { id: string } }).headOfSales.id).toBe('boss')
  })

  it('stops escalating once a manager takes the lead, and ignores stale checks', async () => {
    const site = await routedSite(routing)
    const queue = fakeQueue()
    const lead = validLead(site)
    await submit(lead, queue.env)
    const check = slaChecks(queue.messages)[0]!.body
    expect((await adminRequest('POST', `/v1/admin/leads/${lead.id}/take`, { managerId: 'irina' })).status).toBe(200)
    expect(await checkSla({ ...createDeps(queue.env), now: () => check.dueAt }, check)).toEqual({ kind: 'done' })
    expect(slaChecks(queue.messages)).toHaveLength(1)
    const stale = { ...check, round: 5 }
    expect(await checkSla({ ...createDeps(queue.env), now: () => check.dueAt }, stale)).toEqual({ kind: 'done' })
  })

  it('sends a repeat to the manager the first lead escalated to', async () => {
    const site = await routedSite(routing)
    const queue = fakeQueue()
    const phone = randomMobile()
    const [created] = await submit(validLead(site, { contact: { name: 'Анна', phone } }), queue.env)
    const check = slaChecks(queue.messages)[0]!.body
    vi.spyOn(globalThis, 'fetch').mockResolvedValue(new Response(null, { status: 204 }))
    const escalated = await checkSla({ ...createDeps(queue.env), now: () => check.dueAt }, check)
    vi.restoreAllMocks()
    const next = escalated.kind === 'done' ? escalated.escalatedTo?.id : undefined
    expect(next).toBeDefined()
    expect(next).not.toBe(created!.data.manager!.id)
    // Another visitor's lead in between, so the rotation alone would not land on the same manager.
    await submit(validLead(site), queue.env)
    const repeat = (await submit(validLead(site, { contact: { name: 'Анна', phone } }), queue.env)).find((e) => e.type === 'lead.repeated')
    expect(repeat!.data.manager!.id).toBe(next)
  })

  it('escalates hot leads sooner than cold ones', async () => {
    const site = await routedSite(routing)
    const queue = fakeQueue()
    await submit(validLead(site, { context: { visits: 5 }, contact: { name: 'Анна', phone: randomMobile(), email: `h${Date.now()}@mail.ru` } }), queue.env)
    await submit(validLead(site, { source: 'form', contact: { email: `c${Date.now()}@mail.ru` } }), queue.env)
    expect(slaChecks(queue.messages).map((m) => m.delaySeconds)).toEqual([5 * 60, 60 * 60])
  })
})
