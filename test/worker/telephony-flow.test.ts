// The auto-dial call flow on the delivery machinery, on a controlled clock: the routed manager is
// rung first, the next one when the first does not answer, the visitor once a manager answers;
// nobody answering escalates the lead and texts the visitor; off hours schedule the call. Outcomes
// come from Twilio's signed notifications, and the widget's status endpoint follows them.
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { LeadInput } from '../../shared/schemas/lead'
import type { SiteConfigInput } from '../../shared/schemas/site-config'
import { createDeps } from '../../worker/src/cloudflare/deps'
import worker from '../../worker/src/cloudflare/index'
import { attemptDelivery } from '../../worker/src/delivery/attempt-delivery'
import { twilioSignature } from '../../worker/src/telephony/providers/twilio'
import { ORIGIN, WEBHOOK_TARGET, adminRequest, fakeQueue, leadRequest, putSite, siteConfig, uniqueSite, validLead } from './helpers'

const AUTH_TOKEN = 'twilio_token_0123456789'
const MANAGERS = [
  { id: 'olga', name: 'Ольга' },
  { id: 'pavel', name: 'Павел' },
  { id: 'boss', name: 'Руководитель' },
]
const PHONE_TARGET = {
  type: 'twilio' as const,
  id: 'phone',
  accountSid: `AC${'1'.repeat(32)}`,
  authToken: AUTH_TOKEN,
  from: '+15005550006',
  publicUrl: 'https://leads.example',
  operators: [
    { manager: 'olga', number: '+79001110001' },
    { manager: 'pavel', number: '+79001110002' },
  ],
  ringSeconds: 20,
}

interface Sent {
  url: string
  body: string
}

/** Every outbound request recorded; Twilio's Calls.json answered 201 with a fresh sid, the rest 204. */
function recordOutbound(): Sent[] {
  const sent: Sent[] = []
  vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
    const request = new Request(input, init)
    const body = new TextDecoder().decode(await request.arrayBuffer())
    sent.push({ url: request.url, body })
    if (request.url.includes('/Calls.json')) return Response.json({ sid: `CA${sent.length}`, status: 'queued' }, { status: 201 })
    return new Response(null, { status: 204 })
  })
  return sent
}

const calls = (sent: Sent[]) => sent.filter((s) => s.url.includes('/Calls.json')).map((s) => new URLSearchParams(s.body))

async function send(request: Request, testEnv: Env): Promise<Response> {
  const ctx = createExecutionContext()
  const response = await worker.fetch(request, testEnv, ctx)
  await waitOnExecutionContext(ctx)
  return response
}

async function submit(lead: LeadInput, testEnv: Env): Promise<void> {
  const response = await send(leadRequest(lead), testEnv)
  expect(response.status).toBe(201)
}

/** Twilio posting a status callback (or the Dial action) to the URL we gave it, signed. */
async function notify(url: string, params: Record<string, string>, testEnv: Env, token = AUTH_TOKEN): Promise<Response> {
  const form = new URLSearchParams(params)
  const signed = new URL(url)
  const request = new Request(`https://worker.test${signed.pathname}${signed.search}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'X-Twilio-Signature': await twilioSignature(token, url, form) },
    body: form.toString(),
  })
  return send(request, testEnv)
}

async function callStatus(leadId: string, testEnv: Env): Promise<{ status: number; body: unknown }> {
  const response = await send(new Request(`https://worker.test/v1/leads/${leadId}/status`, { headers: { Origin: ORIGIN } }), testEnv)
  return { status: response.status, body: await response.json() }
}

async function callDelivery(leadId: string) {
  return env.DB.prepare("SELECT id, status, attempts, next_attempt_at, last_error FROM deliveries WHERE lead_id = ? AND target_id = 'phone'")
    .bind(leadId)
    .first<{ id: string; status: string; attempts: number; next_attempt_at: number; last_error: string | null }>()
}

async function phoneSite(overrides: Partial<SiteConfigInput> = {}, target: Record<string, unknown> = {}) {
  const site = uniqueSite('call')
  await putSite(site, siteConfig({ targets: [{ ...PHONE_TARGET, ...target }], routing: { managers: MANAGERS }, ...overrides }))
  return site
}

afterEach(() => {
  vi.restoreAllMocks()
})

describe('the call flow', () => {
  it('rings the routed manager, moves to the next one when she does not answer, and connects the visitor', async () => {
    const site = await phoneSite()
    const queue = fakeQueue()
    const sent = recordOutbound()
    const lead = validLead(site)
    const before = Date.now()
    await submit(lead, queue.env)

    // Within the 201's background work: the routed manager (round robin starts at olga).
    const [first] = calls(sent)
    expect(first!.get('To')).toBe('+79001110001')
    expect(first!.get('Twiml')).toContain(`>+7912`)
    expect(Date.now() - before).toBeLessThan(5000)
    expect((await callStatus(lead.id, queue.env)).body).toEqual({ call: 'ringing_manager' })
    const delivery = await callDelivery(lead.id)
    expect(delivery!.status).toBe('pending')

    // Twilio: olga's phone rang out. The next manager is due now, not at T.
    const missed = await notify(first!.get('StatusCallback')!, { CallSid: 'CA1', CallStatus: 'no-answer' }, queue.env)
    expect(missed.status).toBe(200)
    expect(queue.woken()).toContain(delivery!.id)
    const deps = createDeps(queue.env)
    expect(await attemptDelivery(deps, delivery!.id)).toMatchObject({ kind: 'retry' })
    const second = calls(sent)[1]!
    expect(second.get('To')).toBe('+79001110002')

    // Pavel answers: the visitor's leg starts, and that is the lead's first manager action.
    const wokenBefore = queue.woken().length
    expect((await notify(second.get('StatusCallback')!, { CallSid: 'CA2', CallStatus: 'in-progress' }, queue.env)).status).toBe(200)
    expect((await callStatus(lead.id, queue.env)).body).toEqual({ call: 'calling_you' })
    // Answered: the delivery is due now, to settle as delivered instead of waiting for T.
    expect(queue.woken().slice(wokenBefore)).toEqual([delivery!.id])
    const detail = (await (await adminRequest('GET', `/v1/admin/leads/${lead.id}`)).json()) as { firstActionAt: string | null }
    expect(detail.firstActionAt).not.toBeNull()

    // The visitor picks up (Twilio's Dial action): connected.
    const twiml = second.get('Twiml')!
    const action = /action="([^"]+)"/.exec(twiml)![1]!.replaceAll('&#38;', '&')
    const dialed = await notify(action, { CallSid: 'CA2', DialCallStatus: 'completed' }, queue.env)
    expect(dialed.headers.get('Content-Type')).toContain('text/xml')
    expect((await callStatus(lead.id, queue.env)).body).toEqual({ call: 'connected' })

    // Its next attempt settles it as delivered; nobody else is rung.
    const due = (await callDelivery(lead.id))!.next_attempt_at
    expect(await attemptDelivery({ ...deps, now: () => due }, delivery!.id)).toEqual({ kind: 'delivered' })
    expect((await callDelivery(lead.id))!.last_error).toBe('a manager answered; connected to the visitor')
    expect(calls(sent)).toHaveLength(2)

    // On the lead's own history: the call is pavel's take, through the call source.
    const history = (await (await adminRequest('GET', `/v1/admin/leads/${lead.id}`)).json()) as {
      status: string
      takenBy: string | null
      history: { kind: string; to: string | null; by: { kind: string; id: string | null }; source: { kind: string } }[]
    }
    expect(history.status).toBe('in_work')
    expect(history.history.filter((e) => e.source.kind === 'call')).toEqual([expect.objectContaining({ kind: 'take', to: 'in_work', by: { kind: 'manager', id: 'pavel' } })])
    const timeline = (await (await adminRequest('GET', `/v1/admin/leads/${lead.id}/calls`)).json()) as { calls: { events: { kind: string }[] }[] }
    expect(timeline.calls[0]!.events.map((e) => e.kind)).toEqual([
      'started',
      'ringing_manager',
      'manager_missed',
      'ringing_manager',
      'manager_answered',
      'visitor_answered',
      'connected',
    ])
  })

  it('refuses notifications without Twilio’s signature and changes nothing', async () => {
    const site = await phoneSite()
    const queue = fakeQueue()
    const sent = recordOutbound()
    const lead = validLead(site)
    await submit(lead, queue.env)
    const url = calls(sent)[0]!.get('StatusCallback')!
    const forged = await notify(url, { CallSid: 'CA1', CallStatus: 'in-progress' }, queue.env, 'not_the_token_at_all')
    expect(forged.status).toBe(401)
    expect((await callStatus(lead.id, queue.env)).body).toEqual({ call: 'ringing_manager' })
  })

  it('escalates the lead and texts the visitor when no manager answers', async () => {
    const site = await phoneSite({
      targets: [{ ...PHONE_TARGET, missedSms: { provider: { name: 'dev', url: 'https://outbox.example/sms' } } }, WEBHOOK_TARGET],
      routing: { managers: MANAGERS, sla: { minutes: { hot: 5, warm: 15, cold: 60 }, headOfSales: 'boss' } },
    })
    const queue = fakeQueue()
    const sent = recordOutbound()
    const lead = validLead(site)
    await submit(lead, queue.env)
    const delivery = await callDelivery(lead.id)
    const deps = createDeps(queue.env)
    // No notification at all: at T the next manager, at 2T nobody is left.
    const t1 = (await callDelivery(lead.id))!.next_attempt_at
    await attemptDelivery({ ...deps, now: () => t1 }, delivery!.id)
    expect(calls(sent).map((c) => c.get('To'))).toEqual(['+79001110001', '+79001110002'])
    const t2 = (await callDelivery(lead.id))!.next_attempt_at
    expect(t2 - t1).toBeGreaterThanOrEqual(20_000)
    expect(await attemptDelivery({ ...deps, now: () => t2 }, delivery!.id)).toMatchObject({ kind: 'failed', error: 'no manager answered (olga, pavel)' })

    const escalated = sent.filter((s) => s.url === WEBHOOK_TARGET.url).map((s) => JSON.parse(s.body) as { type: string })
    expect(escalated.map((e) => e.type)).toContain('lead.escalated')
    const sms = sent.filter((s) => s.url === 'https://outbox.example/sms')
    expect(sms).toHaveLength(1)
    expect(sms[0]!.body).toContain('Не смогли до вас дозвониться')
    expect((await callStatus(lead.id, queue.env)).body).toEqual({ call: 'missed' })
    expect(calls(sent)).toHaveLength(2)
    const detail = (await (await adminRequest('GET', `/v1/admin/leads/${lead.id}`)).json()) as { history: { kind: string; note: string | null; source: { kind: string } }[] }
    expect(detail.history.filter((e) => e.source.kind === 'call').map((e) => [e.kind, e.note])).toEqual([['note', 'Автодозвон: ни один менеджер не ответил (olga, pavel)']])
  })

  it('schedules the call for the next opening outside working hours, and rings then', async () => {
    // Open only on the day after tomorrow (Moscow), so now is closed whatever the time.
    const days = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const
    const moscowDay = new Date(Date.now() + 3 * 3_600_000).getUTCDay()
    const openDay = days[(moscowDay + 2) % 7]!
    const site = await phoneSite({ hours: { timezone: 'Europe/Moscow', week: { [openDay]: [['09:00', '18:00']] } } })
    const queue = fakeQueue()
    const sent = recordOutbound()
    const lead = validLead(site)
    await submit(lead, queue.env)
    expect(calls(sent)).toHaveLength(0)
    const status = (await callStatus(lead.id, queue.env)).body as { call: string; at: string }
    expect(status.call).toBe('scheduled')
    const at = Date.parse(status.at)
    expect(new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Moscow', hour: '2-digit', minute: '2-digit', weekday: 'short' }).format(new Date(at)).toLowerCase()).toBe(
      `${openDay} 09:00`,
    )
    const delivery = await callDelivery(lead.id)
    expect(delivery!.next_attempt_at).toBe(at)

    const deps = createDeps(queue.env)
    expect(await attemptDelivery({ ...deps, now: () => at - 1000 }, delivery!.id)).toMatchObject({ kind: 'skipped', reason: 'not_due' })
    expect(await attemptDelivery({ ...deps, now: () => at }, delivery!.id)).toMatchObject({ kind: 'retry' })
    expect(calls(sent).map((c) => c.get('To'))).toEqual(['+79001110001'])
  })

  it('leaves leads that do not qualify to the managers, and the widget sees no call', async () => {
    const site = await phoneSite()
    const queue = fakeQueue()
    const sent = recordOutbound()
    const form = validLead(site, { source: 'form' })
    await submit(form, queue.env)
    const abroad = validLead(site, { contact: { name: 'Ann', phone: '+44 20 7946 0958' } })
    await submit(abroad, queue.env)
    expect(calls(sent)).toHaveLength(0)
    expect((await callStatus(form.id, queue.env)).status).toBe(404)
    expect((await callDelivery(abroad.id))!.last_error).toMatch(/^not dialled: a number of GB, outside RU/)
  })

  it('tells the widget in the 201 that a call is coming, only for callbacks on an auto-dial site', async () => {
    const site = await phoneSite()
    const queue = fakeQueue()
    recordOutbound()
    const body = async (lead: LeadInput, testEnv: Env) => (await (await send(leadRequest(lead), testEnv)).json()) as { call?: string }
    expect((await body(validLead(site), queue.env)).call).toBe('ringing_manager')
    expect((await body(validLead(site, { source: 'form' }), queue.env)).call).toBeUndefined()
    const plain = uniqueSite('plain')
    await putSite(plain, siteConfig())
    expect((await body(validLead(plain), queue.env)).call).toBeUndefined()
  })

  it('answers the status only for a lead’s own site, nothing for a bad or unknown id', async () => {
    const site = await phoneSite()
    const queue = fakeQueue()
    recordOutbound()
    const lead = validLead(site)
    await submit(lead, queue.env)
    const get = (id: string, origin: string) => send(new Request(`https://worker.test/v1/leads/${id}/status`, { headers: { Origin: origin } }), queue.env)
    expect((await get('not-a-uuid', ORIGIN)).status).toBe(400)
    expect((await get(crypto.randomUUID(), ORIGIN)).status).toBe(404)
    expect((await get(lead.id, 'https://evil.example')).status).toBe(403)
    const ok = await get(lead.id.toUpperCase(), ORIGIN)
    expect(ok.status).toBe(200)
    expect(ok.headers.get('Cache-Control')).toBe('no-store')
    // Nothing personal: the phase only.
    expect(Object.keys((await ok.json()) as object)).toEqual(['call'])
  })
})
