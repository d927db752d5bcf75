// A fake Mango Office for `npm start`, served by the CRM inbox: it takes `commands/callback` only
// with the documented signature (sign = hex SHA-256 of vpbx_api_key + json + vpbx_api_salt), keeps
// the calls for the inbox page, and lets a person (a button) or a test (POST /telephony/calls/…)
// answer or miss each leg, which it reports to the worker as signed `events/call`, as Mango does:
// the manager's leg `Appeared` (with its call_id) when it starts ringing, then `Connected` or
// `Disconnected`. `commands/call/hangup` (signed the same way) ends a leg still ringing.
import { createHash } from 'node:crypto'

/** Local-only keys the demo site's `mango` target is seeded with (scripts/start.mjs). */
export const FAKE_MANGO = { apiKey: 'dev-mango-key-0001', apiSalt: 'dev-mango-salt-0001' }

const MAX_CALLS = 200

export function mangoSign(json, { apiKey, apiSalt } = FAKE_MANGO) {
  return createHash('sha256')
    .update(apiKey + json + apiSalt)
    .digest('hex')
}

/**
 * @param {{ notifyUrl: (site: string) => string, site: string, targetId?: string, fetch?: typeof fetch, auto?: boolean }} options
 */
export function createFakeTelephony({ notifyUrl, site, targetId = 'phone', fetch: fetchImpl = fetch, auto = false }) {
  /** Newest first. */
  const calls = []
  let nextSeq = 1

  /** Mango's answer to `commands/callback`, after the same check Mango makes. */
  function placeCall(form) {
    const json = form.get('json')
    const sign = form.get('sign')
    if (form.get('vpbx_api_key') !== FAKE_MANGO.apiKey || json === null || sign !== mangoSign(json)) {
      return { status: 401, body: { result: 3102, message: 'wrong vpbx_api_key or sign' } }
    }
    let command
    try {
      command = JSON.parse(json)
    } catch {
      return { status: 400, body: { result: 3101, message: 'json is not JSON' } }
    }
    if (typeof command?.command_id !== 'string' || typeof command?.from?.extension !== 'string' || typeof command?.to_number !== 'string') {
      return { status: 400, body: { result: 3101, message: 'command_id, from.extension and to_number are required' } }
    }
    const call = {
      seq: nextSeq++,
      commandId: command.command_id,
      extension: command.from.extension,
      visitor: command.to_number,
      at: new Date().toISOString(),
      manager: 'ringing',
      visitorLeg: 'waiting',
      reports: [],
    }
    calls.unshift(call)
    calls.length = Math.min(calls.length, MAX_CALLS)
    // The manager's phone starts ringing: Mango names the call (call_id) in its first event.
    setTimeout(() => void report(call, 'manager', 'Appeared'), 0)
    if (auto) {
      setTimeout(() => void settle(call, 'manager', 'answer'), 2000)
      setTimeout(() => void settle(call, 'visitor', 'answer'), 4000)
    }
    return { status: 200, body: { result: 1000 } }
  }

  /** A leg answered or missed: the state on the page, and the signed event the worker gets. */
  async function settle(call, leg, action) {
    const toVisitor = leg === 'visitor'
    if (toVisitor) call.visitorLeg = action === 'answer' ? 'answered' : 'missed'
    else {
      call.manager = action === 'answer' ? 'answered' : 'missed'
      if (action === 'answer') call.visitorLeg = 'ringing'
    }
    return report(call, leg, action === 'answer' ? 'Connected' : 'Disconnected', action === 'miss' ? 1110 : undefined)
  }

  /** One signed events/call about a leg, as Mango posts it. */
  async function report(call, leg, state, disconnectReason) {
    const toVisitor = leg === 'visitor'
    const event = {
      entry_id: `entry-${call.seq}`,
      call_id: `call-${call.seq}-${leg}`,
      timestamp: Math.floor(Date.now() / 1000),
      seq: call.reports.length + 1,
      call_state: state,
      location: 'abonent',
      from: { number: '74950000000' },
      to: toVisitor ? { number: call.visitor } : { extension: call.extension },
      command_id: call.commandId,
      ...(disconnectReason !== undefined && { disconnect_reason: disconnectReason }),
    }
    const json = JSON.stringify(event)
    let status = 0
    try {
      const response = await fetchImpl(`${notifyUrl(site)}/${targetId}/events/call`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ vpbx_api_key: FAKE_MANGO.apiKey, sign: mangoSign(json), json }).toString(),
      })
      status = response.status
    } catch {
      status = 0
    }
    call.reports.push({ leg, state, status })
    return status
  }

  /** Mango's answer to `commands/call/hangup` ({ command_id, call_id }): a ringing leg ends. */
  function hangUp(form) {
    const json = form.get('json')
    const sign = form.get('sign')
    if (form.get('vpbx_api_key') !== FAKE_MANGO.apiKey || json === null || sign !== mangoSign(json)) {
      return { status: 401, body: { result: 3102, message: 'wrong vpbx_api_key or sign' } }
    }
    let command
    try {
      command = JSON.parse(json)
    } catch {
      return { status: 400, body: { result: 3101, message: 'json is not JSON' } }
    }
    const call = calls.find((c) => `call-${c.seq}-manager` === command?.call_id)
    if (typeof command?.command_id !== 'string' || !call) return { status: 200, body: { result: 3100, message: 'no such call' } }
    if (call.manager === 'ringing') {
      call.manager = 'hung up'
      setTimeout(() => void report(call, 'manager', 'Disconnected', 1100), 0)
    }
    return { status: 200, body: { result: 1000 } }
  }

  return {
    calls,
    placeCall,
    hangUp,
    /** `POST /telephony/calls/:commandId/:leg` with `{ "action": "answer" | "miss" }`. */
    async control(commandId, leg, action) {
      const call = calls.find((c) => c.commandId === commandId)
      if (!call) return { status: 404, body: { error: { message: 'no such call' } } }
      if ((leg !== 'manager' && leg !== 'visitor') || (action !== 'answer' && action !== 'miss')) {
        return { status: 400, body: { error: { message: 'leg is manager or visitor, action is answer or miss' } } }
      }
      const status = await settle(call, leg, action)
      return { status: 200, body: { call, workerStatus: status } }
    },
  }
}
