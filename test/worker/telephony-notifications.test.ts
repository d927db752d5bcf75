// Each provider's notifications through the route, on both runtimes: checked with the provider's
// own scheme before anything changes, then matched to the call's leg (our leg id, the provider's
// call id, or for Zadarma the visitor's number) and applied.
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { LeadInput } from '../../shared/schemas/lead'
import worker from '../../worker/src/cloudflare/index'
import { hmacSha1, toHex } from '../../worker/src/telephony/provider-hashes'
import { mangoSign } from '../../worker/src/telephony/providers/mango'
import { ORIGIN, fakeQueue, leadRequest, putSite, siteConfig, uniqueSite, validLead } from './helpers'

const OPERATORS = [{ manager: 'olga', number: '101' }]
const ROUTING = { managers: [{ id: 'olga', name: 'Ольга' }] }
const TARGETS = {
  zadarma: { type: 'zadarma', id: 'phone', key: 'zd_key_0123456789', secret: 'zd_secret_0123456789', operators: OPERATORS },
  uis: { type: 'uis', id: 'phone', accessToken: 'uis_token_0123456789', virtualPhoneNumber: '74951234567', notifyToken: 'notify_token_0123456789', operators: OPERATORS },
  mango: { type: 'mango', id: 'phone', apiKey: 'mango_key_0123456789', apiSalt: 'mango_salt_0123456789', operators: OPERATORS },
} as const

/** Every provider API answers "call placed"; records the requests. */
function providers(): string[] {
  const bodies: string[] = []
  vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
    const request = new Request(input, init)
    bodies.push(`${request.url} ${new TextDecoder().decode(await request.arrayBuffer())}`)
    if (request.url.includes('uiscom')) return Response.json({ jsonrpc: '2.0', id: '1', result: { data: { call_session_id: 777 } } })
    if (request.url.includes('mango')) return Response.json({ result: 1000 })
    return Response.json({ status: 'success' })
  })
  return bodies
}

async function send(request: Request, testEnv: Env): Promise<Response> {
  const ctx = createExecutionContext()
  const response = await worker.fetch(request, testEnv, ctx)
  await waitOnExecutionContext(ctx)
  return response
}

async function start(type: keyof typeof TARGETS, testEnv: Env): Promise<{ site: string; lead: LeadInput }> {
  const site = uniqueSite(type)
  await putSite(site, siteConfig({ targets: [TARGETS[type]], routing: ROUTING }))
  const lead = validLead(site)
  expect((await send(leadRequest(lead), testEnv)).status).toBe(201)
  return { site, lead }
}

const status = async (leadId: string, testEnv: Env) =>
  (await (await send(new Request(`https://worker.test/v1/leads/${leadId}/status`, { headers: { Origin: ORIGIN } }), testEnv)).json()) as { call: string }

function post(path: string, body: string, headers: Record<string, string>): Request {
  return new Request(`https://worker.test${path}`, { method: 'POST', headers, body })
}

afterEach(() => {
  vi.restoreAllMocks()
})

describe('provider notifications', () => {
  it('zadarma: a signed NOTIFY_OUT_START for the visitor’s number means the manager answered', async () => {
    const queue = fakeQueue()
    providers()
    const { site, lead } = await start('zadarma', queue.env)
    const destination = '7912' + lead.contact.phone!.replace(/\D/g, '').slice(4)
    const form = new URLSearchParams({ event: 'NOTIFY_OUT_START', call_start: '2026-12-02 10:00:00', pbx_call_id: 'out_1', internal: '101', destination })
    const signature = btoa(toHex(await hmacSha1('zd_secret_0123456789', `101${destination}2026-12-02 10:00:00`)))
    const headers = { 'Content-Type': 'application/x-www-form-urlencoded' }
    expect((await send(post(`/v1/telephony/${site}/phone`, form.toString(), { ...headers, Signature: 'bm9wZQ==' }), queue.env)).status).toBe(401)
    expect(await status(lead.id, queue.env)).toEqual({ call: 'ringing_manager' })
    expect((await send(post(`/v1/telephony/${site}/phone`, form.toString(), { ...headers, Signature: signature }), queue.env)).status).toBe(200)
    expect(await status(lead.id, queue.env)).toEqual({ call: 'calling_you' })
    // Zadarma checks the notification URL by asking it to echo a value.
    const echo = await send(new Request(`https://worker.test/v1/telephony/${site}/phone?zd_echo=abc123`), queue.env)
    expect(await echo.text()).toBe('abc123')
  })

  it('uis: the call session id and the token in the URL', async () => {
    const queue = fakeQueue()
    providers()
    const { site, lead } = await start('uis', queue.env)
    const body = JSON.stringify({ call_session_id: 777, state: 'operator_answered' })
    const headers = { 'Content-Type': 'application/json' }
    expect((await send(post(`/v1/telephony/${site}/phone?token=wrong_token_0000000`, body, headers), queue.env)).status).toBe(401)
    expect((await send(post(`/v1/telephony/${site}/phone?token=notify_token_0123456789`, body, headers), queue.env)).status).toBe(200)
    expect(await status(lead.id, queue.env)).toEqual({ call: 'calling_you' })
    const ended = JSON.stringify({ call_session_id: 777, state: 'contact_answered' })
    await send(post(`/v1/telephony/${site}/phone?token=notify_token_0123456789`, ended, headers), queue.env)
    expect(await status(lead.id, queue.env)).toEqual({ call: 'connected' })
  })

  it('acts only on the calls of the site and target whose credentials signed it, never on another site’s', async () => {
    const queue = fakeQueue()
    providers()
    // Site B's visitor is being called; site A's owner has a UIS account of their own.
    const { site: victim, lead } = await start('uis', queue.env)
    const attacker = uniqueSite('uis-other')
    await putSite(attacker, siteConfig({ targets: [TARGETS.uis], routing: ROUTING }))
    const headers = { 'Content-Type': 'application/json' }
    const answered = JSON.stringify({ call_session_id: 777, state: 'operator_answered' })
    // A's own token, naming B's call session: nothing of B's call changes.
    expect((await send(post(`/v1/telephony/${attacker}/phone?token=notify_token_0123456789`, answered, headers), queue.env)).status).toBe(200)
    expect(await status(lead.id, queue.env)).toEqual({ call: 'ringing_manager' })
    const events = await queue.env.DB.prepare('SELECT count(*) AS n FROM call_events WHERE lead_id = ?').bind(lead.id).first<{ n: number }>()
    // The same notification to B's own address is B's, and is applied.
    expect((await send(post(`/v1/telephony/${victim}/phone?token=notify_token_0123456789`, answered, headers), queue.env)).status).toBe(200)
    expect(await status(lead.id, queue.env)).toEqual({ call: 'calling_you' })
    const after = await queue.env.DB.prepare('SELECT count(*) AS n FROM call_events WHERE lead_id = ?').bind(lead.id).first<{ n: number }>()
    expect(after!.n).toBeGreaterThan(events!.n)
  })

  it('mango: events/call signed with sha256(key + json + salt), matched by our command_id', async () => {
    const queue = fakeQueue()
    const sent = providers()
    const { site, lead } = await start('mango', queue.env)
    const command = new URLSearchParams(
      sent
        .find((s) => s.includes('commands/callback'))!
        .split(' ')
        .slice(1)
        .join(' '),
    )
    const commandId = (JSON.parse(command.get('json')!) as { command_id: string }).command_id
    const json = JSON.stringify({ command_id: commandId, call_state: 'Disconnected', to: { extension: '101' }, disconnect_reason: 1110 })
    const headers = { 'Content-Type': 'application/x-www-form-urlencoded' }
    const forged = new URLSearchParams({ vpbx_api_key: 'mango_key_0123456789', sign: '0'.repeat(64), json })
    expect((await send(post(`/v1/telephony/${site}/phone/events/call`, forged.toString(), headers), queue.env)).status).toBe(401)
    const signed = new URLSearchParams({ vpbx_api_key: 'mango_key_0123456789', sign: await mangoSign(TARGETS.mango, json), json })
    expect((await send(post(`/v1/telephony/${site}/phone/events/call`, signed.toString(), headers), queue.env)).status).toBe(200)
    // The only operator missed: the call delivery is due now, to give up (nobody else to ring).
    expect(queue.woken().length).toBeGreaterThan(0)
    expect(await status(lead.id, queue.env)).toEqual({ call: 'ringing_manager' })
  })

  it('answers 404 for a site or target that is not telephony', async () => {
    const queue = fakeQueue()
    const site = uniqueSite('none')
    await putSite(site, siteConfig())
    expect((await send(post(`/v1/telephony/${site}/phone`, '{}', { 'Content-Type': 'application/json' }), queue.env)).status).toBe(404)
  })
})
