// Mango Office: POST /vpbx/commands/callback rings the manager's extension, then the visitor.
// Every request and every event is form-encoded `vpbx_api_key`, `sign`, `json` with
// sign = hex(SHA-256(api_key + json + api_salt)); the call's events carry our command_id.
import type { MangoTarget } from '../../../../shared/schemas/targets/telephony'
import { exchange, field, genericOutcome, snippet } from '../../delivery/adapters/http'
import type { AdapterContext } from '../../delivery/adapters/types'
import { sameSecret, sha256Hex } from '../../security/same-secret'
import type { CallEvent, CallOrder, NotificationResult, PlaceCallResult, ReleaseResult } from './types'
import { asPlaceResult, digitsOf } from './types'

export const MANGO_API = 'https://app.mango-office.ru/vpbx'

export function mangoSign(target: Pick<MangoTarget, 'apiKey' | 'apiSalt'>, json: string): Promise<string> {
  return sha256Hex(target.apiKey + json + target.apiSalt)
}

export function mangoCommand(target: MangoTarget, order: CallOrder): string {
  return JSON.stringify({
    command_id: order.legId,
    from: { extension: order.operator },
    to_number: digitsOf(order.visitor),
    ...(target.lineNumber && { line_number: target.lineNumber }),
  })
}

/** Mango's result codes: 1000 is success; 2xxx, 3xxx and 4xxx say what was wrong; 5xxx are its own faults. */
export async function placeMangoCall(target: MangoTarget, order: CallOrder, ctx: AdapterContext): Promise<PlaceCallResult> {
  const json = mangoCommand(target, order)
  const body = new URLSearchParams({ vpbx_api_key: target.apiKey, sign: await mangoSign(target, json), json })
  const base = (target.apiBase ?? MANGO_API).replace(/\/+$/, '')
  const sent = await exchange(ctx, `${base}/commands/callback`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: body.toString(),
  })
  if (!sent.ok) return asPlaceResult(sent.result)
  const { answer } = sent
  const result = field(answer.json, 'result')
  // The call's own id (call_id, which a hang-up needs) arrives with its first events/call.
  if (answer.status === 200 && result === 1000) return { outcome: 'delivered', httpStatus: 200, providerCallId: null }
  if (typeof result === 'number') {
    const said = `Mango Office result ${result}: ${snippet(answer.text)}`
    if (result >= 5000) return { outcome: 'retry', httpStatus: answer.status, error: said, retryAfterSeconds: 30 }
    return { outcome: 'failed', httpStatus: answer.status, error: said }
  }
  if (answer.status === 401 || answer.status === 403) {
    return { outcome: 'failed', httpStatus: answer.status, error: `Mango Office refused the key or sign: ${snippet(answer.text)}` }
  }
  return asPlaceResult(genericOutcome(answer, ctx, 'Mango Office', 30))
}

/**
 * commands/callback takes no ring time for the manager's leg, so a leg that still rings at T is
 * ended with commands/call/hangup: `{ command_id, call_id }`, signed like every command, where
 * call_id is the one the manager's leg's events/call carried (its `Appeared`).
 */
export function mangoHangupCommand(callId: string, commandId: string): string {
  return JSON.stringify({ command_id: commandId, call_id: callId })
}

export async function hangUpMangoCall(target: MangoTarget, callId: string, commandId: string, ctx: AdapterContext): Promise<ReleaseResult> {
  const json = mangoHangupCommand(callId, commandId)
  const body = new URLSearchParams({ vpbx_api_key: target.apiKey, sign: await mangoSign(target, json), json })
  const base = (target.apiBase ?? MANGO_API).replace(/\/+$/, '')
  const sent = await exchange(ctx, `${base}/commands/call/hangup`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: body.toString(),
  })
  if (!sent.ok) return { outcome: 'failed', error: sent.result.outcome === 'delivered' ? 'Mango Office hangup: no answer' : sent.result.error }
  const result = field(sent.answer.json, 'result')
  if (sent.answer.status === 200 && (result === 1000 || result === '1000')) return { outcome: 'released' }
  // Which result code says "no such call" is not confirmed, so any refusal counts as unclear.
  return { outcome: 'failed', error: `Mango Office hangup result ${String(result ?? sent.answer.status)}: ${snippet(sent.answer.text)}` }
}

/**
 * `events/call`: each change of a call's state. The manager's leg is the one to their extension;
 * `Connected` there means they answered, `Disconnected` before that, that they did not. The
 * visitor's leg is the one to the visitor's number.
 */
export async function readMangoNotification(target: MangoTarget, form: URLSearchParams, path: string): Promise<NotificationResult> {
  const json = form.get('json')
  const sign = form.get('sign')
  if (json === null || sign === null || form.get('vpbx_api_key') !== target.apiKey) {
    return { ok: false, status: 401, code: 'unauthorized', message: 'Expected vpbx_api_key, sign and json from Mango Office.' }
  }
  if (!(await sameSecret(sign, await mangoSign(target, json)))) {
    return { ok: false, status: 401, code: 'unauthorized', message: 'The sign does not match this notification.' }
  }
  let event: unknown
  try {
    event = JSON.parse(json)
  } catch {
    return { ok: false, status: 400, code: 'validation_failed', message: 'json is not JSON.' }
  }
  if (!path.endsWith('/events/call')) return { ok: true, events: [] }
  const commandId = field(event, 'command_id')
  const state = field(event, 'call_state')
  const to = field(event, 'to')
  if (typeof commandId !== 'string' || typeof state !== 'string') return { ok: true, events: [] }
  const toVisitor = typeof field(to, 'number') === 'string' && field(to, 'extension') === undefined
  const reason = field(event, 'disconnect_reason')
  const detail = `Mango Office ${state}${reason !== undefined ? ` (${String(reason)})` : ''}`
  const events: CallEvent[] = []
  const callId = field(event, 'call_id')
  // The manager's leg appearing names its call_id: what a hang-up at T needs.
  if (state === 'Appeared' && !toVisitor && typeof callId === 'string') events.push({ kind: 'manager_ringing', legId: commandId, providerCallId: callId, detail })
  if (state === 'Connected') events.push({ kind: toVisitor ? 'visitor_answered' : 'manager_answered', legId: commandId, detail })
  // The end of every leg, answered or not: the call flow ignores it for a leg already answered.
  if (state === 'Disconnected') {
    events.push({ kind: toVisitor ? 'visitor_missed' : 'manager_missed', legId: commandId, detail })
  }
  return { ok: true, events }
}
