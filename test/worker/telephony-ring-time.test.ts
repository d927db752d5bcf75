// Ring time (issue 17): the first manager's phone must not still ring when the next one is rung.
// UIS and Mango Office are told to hang up at T (release.call, commands/call/hangup: the exact
// requests, signed as documented); Zadarma can do neither, so the next manager waits until the
// first leg is surely over. Both runtimes, on a controlled clock.
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test'
import * as v from 'valibot'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { MangoTargetSchema, UisTargetSchema, ZadarmaTargetSchema } from '../../shared/schemas/targets/telephony'
import { createDeps } from '../../worker/src/cloudflare/deps'
import worker from '../../worker/src/cloudflare/index'
import { attemptDelivery } from '../../worker/src/delivery/attempt-delivery'
import { LEG_GUARD_SECONDS } from '../../worker/src/telephony/end-ringing-leg'
import { releaseCall } from '../../worker/src/telephony/providers'
import { mangoSign } from '../../worker/src/telephony/providers/mango'
import { adapterContext, json, recordingFetch } from './adapter-helpers'
import { adminRequest, fakeQueue, leadRequest, putSite, siteConfig, uniqueSite, validLead } from './helpers'

const OPERATORS = [
  { manager: 'olga', number: '101' },
  { manager: 'pavel', number: '102' },
]
const ROUTING = {
  managers: [
    { id: 'olga', name: 'Ольга' },
    { id: 'pavel', name: 'Павел' },
  ],
}
const TARGETS = {
  zadarma: { type: 'zadarma', id: 'phone', key: 'zd_key_0123456789', secret: 'zd_secret_0123456789', operators: OPERATORS },
  uis: { type: 'uis', id: 'phone', accessToken: 'uis_token_0123456789', virtualPhoneNumber: '74951234567', notifyToken: 'notify_token_0123456789', operators: OPERATORS },
  mango: { type: 'mango', id: 'phone', apiKey: 'mango_key_0123456789', apiSalt: 'mango_salt_0123456789', operators: OPERATORS },
} as const

const uis = v.parse(UisTargetSchema, TARGETS.uis)
const mango = v.parse(MangoTargetSchema, TARGETS.mango)
const zadarma = v.parse(ZadarmaTargetSchema, TARGETS.zadarma)

describe('hang-up requests', () => {
  it('uis: release.call with the call session id, as JSON-RPC 2.0', async () => {
    const { fetch, sent, json: body } = recordingFetch(json({ jsonrpc: '2.0', id: 'leg-1-hangup', result: { data: { success: 'true' } } }))
    expect(await releaseCall(uis, { providerCallId: '28575639' }, 'leg-1-hangup', adapterContext(fetch))).toEqual({ outcome: 'released' })
    expect(sent[0]!.url).toBe('https://callapi.uiscom.ru/v4.0')
    expect(sent[0]!.method).toBe('POST')
    expect(sent[0]!.headers['content-type']).toBe('application/json; charset=UTF-8')
    expect(body(0)).toEqual({ jsonrpc: '2.0', id: 'leg-1-hangup', method: 'release.call', params: { access_token: 'uis_token_0123456789', call_session_id: 28575639 } })
  })

  it('uis: a session that ended already is over; other refusals are unclear', async () => {
    const error = (code: number, mnemonic: string) => json({ jsonrpc: '2.0', id: 'x', error: { code, message: mnemonic, data: { mnemonic } } })
    const ctx = (answer: () => Response) => adapterContext(recordingFetch(answer).fetch)
    expect(await releaseCall(uis, { providerCallId: '1' }, 'x', ctx(error(-32602, 'call_session_not_found')))).toEqual({ outcome: 'gone' })
    expect(await releaseCall(uis, { providerCallId: '1' }, 'x', ctx(error(-32001, 'access_token_invalid')))).toMatchObject({
      outcome: 'failed',
      error: 'UIS release.call -32001 access_token_invalid: access_token_invalid',
    })
    expect(
      await releaseCall(
        uis,
        { providerCallId: '1' },
        'x',
        ctx(() => new Response('', { status: 502 })),
      ),
    ).toMatchObject({ outcome: 'failed' })
    expect(await releaseCall(uis, { providerCallId: null }, 'x', ctx(error(0, 'unused')))).toMatchObject({ outcome: 'unsupported' })
  })

  it('mango: commands/call/hangup with { command_id, call_id }, sign = sha256(key + json + salt)', async () => {
    const { fetch, sent } = recordingFetch(json({ result: 1000 }))
    expect(await releaseCall(mango, { providerCallId: '100:500:251' }, 'leg-1-hangup', adapterContext(fetch))).toEqual({ outcome: 'released' })
    expect(sent[0]!.url).toBe('https://app.mango-office.ru/vpbx/commands/call/hangup')
    expect(sent[0]!.headers['content-type']).toBe('application/x-www-form-urlencoded')
    const form = new URLSearchParams(sent[0]!.body)
    expect(form.get('vpbx_api_key')).toBe('mango_key_0123456789')
    expect(form.get('json')).toBe('{"command_id":"leg-1-hangup","call_id":"100:500:251"}')
    // Computed independently: hashlib.sha256((key + json + salt).encode()).hexdigest()
    expect(form.get('sign')).toBe('f8c44c4b5ecc445df045b66b14b2678461924bd25f79248074ab65728550c580')
    const refused = recordingFetch(json({ result: 3100 }))
    expect(await releaseCall(mango, { providerCallId: '100:500:251' }, 'x', adapterContext(refused.fetch))).toMatchObject({ outcome: 'failed' })
  })

  it('zadarma: no such command; nothing is sent', async () => {
    const { fetch, sent } = recordingFetch(json({ status: 'success' }))
    expect(await releaseCall(zadarma, { providerCallId: null }, 'x', adapterContext(fetch))).toMatchObject({ outcome: 'unsupported' })
    expect(sent).toEqual([])
  })
})

interface Sent {
  url: string
  body: string
}

/** Every provider answers "placed" / "hung up"; records the requests in order. */
function providers(): Sent[] {
  const sent: Sent[] = []
  vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
    const request = new Request(input, init)
    const body = new TextDecoder().decode(await request.arrayBuffer())
    sent.push({ url: request.url, body })
    if (request.url.includes('uiscom')) {
      const method = (JSON.parse(body) as { method: string }).method
      return Response.json({ jsonrpc: '2.0', id: 'x', result: { data: method === 'release.call' ? { success: 'true' } : { call_session_id: 700 + sent.length } } })
    }
    if (request.url.includes('mango')) return Response.json({ result: 1000 })
    return Response.json({ status: 'success' })
  })
  return sent
}

async function send(request: Request, testEnv: Env): Promise<Response> {
  const ctx = createExecutionContext()
  const response = await worker.fetch(request, testEnv, ctx)
  await waitOnExecutionContext(ctx)
  return response
}

async function start(type: keyof typeof TARGETS, testEnv: Env) {
  const site = uniqueSite(`ring-${type}`)
  await putSite(site, siteConfig({ targets: [TARGETS[type]], routing: ROUTING }))
  const lead = validLead(site)
  expect((await send(leadRequest(lead), testEnv)).status).toBe(201)
  const delivery = await testEnv.DB.prepare("SELECT id, next_attempt_at FROM deliveries WHERE lead_id = ? AND target_id = 'phone'")
    .bind(lead.id)
    .first<{ id: string; next_attempt_at: number }>()
  return { site, lead, delivery: delivery! }
}

const dueAt = async (testEnv: Env, id: string) =>
  (await testEnv.DB.prepare('SELECT next_attempt_at, last_error FROM deliveries WHERE id = ?').bind(id).first<{ next_attempt_at: number; last_error: string }>())!

async function timeline(leadId: string) {
  return ((await (await adminRequest('GET', `/v1/admin/leads/${leadId}/calls`)).json()) as { calls: { events: { kind: string; detail: string | null }[] }[] }).calls[0]!.events
}

afterEach(() => {
  vi.restoreAllMocks()
})

describe('the next manager at T', () => {
  it('uis: hangs up the first manager’s session, then rings the next', async () => {
    const queue = fakeQueue()
    const sent = providers()
    const { lead, delivery } = await start('uis', queue.env)
    const first = JSON.parse(sent[0]!.body) as { method: string; params: { operator: string } }
    expect([first.method, first.params.operator]).toEqual(['start.simple_call', '101'])
    await attemptDelivery({ ...createDeps(queue.env), now: () => delivery.next_attempt_at }, delivery.id)
    const methods = sent.map((s) => JSON.parse(s.body) as { method: string; params: Record<string, unknown> })
    // In this order: the session start.simple_call answered is released before pavel is rung.
    expect(methods.map((m) => [m.method, m.params.call_session_id ?? m.params.operator])).toEqual([
      ['start.simple_call', '101'],
      ['release.call', 701],
      ['start.simple_call', '102'],
    ])
    expect((await timeline(lead.id)).map((e) => e.kind)).toEqual(['started', 'ringing_manager', 'manager_missed', 'ringing_manager'])
    expect((await timeline(lead.id))[2]!.detail).toBe('UIS: hung up after 20 s without an answer')
  })

  it('mango: hangs up the call_id its events/call named, then rings the next', async () => {
    const queue = fakeQueue()
    const sent = providers()
    const { site, delivery } = await start('mango', queue.env)
    const commandId = (JSON.parse(new URLSearchParams(sent[0]!.body).get('json')!) as { command_id: string }).command_id
    // Mango: the manager's leg appears, naming its call_id.
    const event = JSON.stringify({
      call_id: '100:500:251',
      command_id: commandId,
      call_state: 'Appeared',
      seq: 1,
      from: { extension: '5555' },
      to: { extension: '101', number: '74951234567' },
    })
    const form = new URLSearchParams({ vpbx_api_key: 'mango_key_0123456789', sign: await mangoSign(mango, event), json: event })
    const posted = await send(
      new Request(`https://worker.test/v1/telephony/${site}/phone/events/call`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: form.toString(),
      }),
      queue.env,
    )
    expect(posted.status).toBe(200)

    await attemptDelivery({ ...createDeps(queue.env), now: () => delivery.next_attempt_at }, delivery.id)
    expect(sent.map((s) => new URL(s.url).pathname)).toEqual(['/vpbx/commands/callback', '/vpbx/commands/call/hangup', '/vpbx/commands/callback'])
    const hangup = JSON.parse(new URLSearchParams(sent[1]!.body).get('json')!) as { command_id: string; call_id: string }
    expect(hangup).toEqual({ command_id: `${commandId}-hangup`, call_id: '100:500:251' })
    const second = JSON.parse(new URLSearchParams(sent[2]!.body).get('json')!) as { from: { extension: string } }
    expect(second.from.extension).toBe('102')
  })

  it('mango without a call_id yet, and zadarma: waits until the first leg is surely over', async () => {
    for (const type of ['mango', 'zadarma'] as const) {
      const queue = fakeQueue()
      const sent = providers()
      const { delivery } = await start(type, queue.env)
      const deps = createDeps(queue.env)
      const placedAt = delivery.next_attempt_at - 20_000
      // At T nothing new rings: the first phone may still be ringing and cannot be hung up.
      expect(await attemptDelivery({ ...deps, now: () => delivery.next_attempt_at }, delivery.id)).toMatchObject({ kind: 'retry' })
      expect(sent).toHaveLength(1)
      const waiting = await dueAt(queue.env, delivery.id)
      expect(waiting.last_error).toMatch(/^waiting for olga's phone to stop ringing before the next manager: /)
      expect(waiting.next_attempt_at).toBeGreaterThanOrEqual(placedAt + LEG_GUARD_SECONDS * 1000)
      expect(waiting.next_attempt_at).toBeLessThanOrEqual(delivery.next_attempt_at + LEG_GUARD_SECONDS * 1000)
      // Then the next manager.
      expect(await attemptDelivery({ ...deps, now: () => waiting.next_attempt_at }, delivery.id)).toMatchObject({ kind: 'retry' })
      expect(sent).toHaveLength(2)
      vi.restoreAllMocks()
    }
  })
})
