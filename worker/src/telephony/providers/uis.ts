// UIS (also CoMagic and Novofon 2.0): the Call API's JSON-RPC 2.0 method start.simple_call with
// first_call "operator" rings the manager, then the visitor. UIS notifications are not signed: the
// notification URL configured in UIS carries the target's notifyToken.
import type { UisTarget } from '../../../../shared/schemas/targets/telephony'
import { exchange, field, genericOutcome, snippet } from '../../delivery/adapters/http'
import type { AdapterContext } from '../../delivery/adapters/types'
import { sameSecret } from '../../security/same-secret'
import type { CallEvent, CallOrder, NotificationResult, PlaceCallResult, ReleaseResult } from './types'
import { asPlaceResult, digitsOf } from './types'

export const UIS_API = 'https://callapi.uiscom.ru/v4.0'

export function uisRequestBody(target: UisTarget, order: CallOrder): string {
  return JSON.stringify({
    jsonrpc: '2.0',
    id: order.legId,
    method: 'start.simple_call',
    params: {
      access_token: target.accessToken,
      first_call: 'operator',
      switch_at_once: true,
      virtual_phone_number: target.virtualPhoneNumber,
      contact: digitsOf(order.visitor),
      operator: digitsOf(order.operator),
      direction: 'out',
      external_id: order.legId,
    },
  })
}

/** JSON-RPC errors that say the request was refused for good: bad token, bad parameters, no such method. */
const PERMANENT_CODES = new Set([-32700, -32600, -32601, -32602, -32001, -32003])

export async function placeUisCall(target: UisTarget, order: CallOrder, ctx: AdapterContext): Promise<PlaceCallResult> {
  const sent = await exchange(ctx, target.apiBase ?? UIS_API, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json; charset=UTF-8' },
    body: uisRequestBody(target, order),
  })
  if (!sent.ok) return asPlaceResult(sent.result)
  const { answer } = sent
  const result = field(answer.json, 'result')
  const error = field(answer.json, 'error')
  if (answer.status === 200 && result !== undefined) {
    const id = field(field(result, 'data'), 'call_session_id')
    return { outcome: 'delivered', httpStatus: 200, providerCallId: typeof id === 'number' || typeof id === 'string' ? String(id) : null }
  }
  if (error !== undefined) {
    const code = field(error, 'code')
    const message = field(error, 'message')
    const mnemonic = field(field(error, 'data'), 'mnemonic')
    const said = `UIS ${String(code)}${typeof mnemonic === 'string' ? ` ${mnemonic}` : ''}: ${typeof message === 'string' ? message : snippet(answer.text)}`
    // Limits (per-minute call and request limits) are worth waiting out; the rest is final.
    if (typeof mnemonic === 'string' && mnemonic.includes('limit')) {
      return { outcome: 'retry', httpStatus: answer.status, error: said, retryAfterSeconds: 60 }
    }
    if (typeof code === 'number' && (PERMANENT_CODES.has(code) || (code <= -32000 && code > -33000))) {
      return { outcome: 'failed', httpStatus: answer.status, error: said }
    }
  }
  return asPlaceResult(genericOutcome(answer, ctx, 'UIS', 60))
}

/**
 * start.simple_call takes no ring time for the operator's leg (its parameters are listed in the
 * Call API reference; an unknown one is refused as `unexpected_parameters`), so a leg that still
 * rings at T is ended with release.call and the call session id start.simple_call answered.
 */
export function uisReleaseBody(target: UisTarget, callSessionId: number, requestId: string): string {
  return JSON.stringify({ jsonrpc: '2.0', id: requestId, method: 'release.call', params: { access_token: target.accessToken, call_session_id: callSessionId } })
}

export async function releaseUisCall(target: UisTarget, callSessionId: string, requestId: string, ctx: AdapterContext): Promise<ReleaseResult> {
  if (!/^\d{1,15}$/.test(callSessionId)) return { outcome: 'unsupported', why: `UIS call session id "${callSessionId}" is not a number` }
  const sent = await exchange(ctx, target.apiBase ?? UIS_API, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json; charset=UTF-8' },
    body: uisReleaseBody(target, Number(callSessionId), requestId),
  })
  if (!sent.ok) return { outcome: 'failed', error: sent.result.outcome === 'delivered' ? 'UIS release.call: no answer' : sent.result.error }
  const { answer } = sent
  const success = field(field(field(answer.json, 'result'), 'data'), 'success')
  // The reference's example answers "true" as a string.
  if (answer.status === 200 && (success === true || success === 'true')) return { outcome: 'released' }
  const error = field(answer.json, 'error')
  const mnemonic = field(field(error, 'data'), 'mnemonic')
  // The session ended already (the manager declined, the network gave up): nothing rings.
  if (mnemonic === 'call_session_not_found') return { outcome: 'gone' }
  const message = field(error, 'message')
  return {
    outcome: 'failed',
    error: `UIS release.call ${String(field(error, 'code') ?? answer.status)}${typeof mnemonic === 'string' ? ` ${mnemonic}` : ''}: ${typeof message === 'string' ? message : snippet(answer.text)}`,
  }
}

/**
 * The notification UIS sends, as set up in its dashboard (a JSON body with these names, sent when a
 * call session ends): `external_id` (ours), `call_session_id`, and who answered. The field names are
 * the ones our setup guide asks for (docs/telephony.md), since UIS lets the owner choose them.
 */
export async function readUisNotification(target: UisTarget, body: unknown, token: string | null): Promise<NotificationResult> {
  if (token === null || !(await sameSecret(token, target.notifyToken))) {
    return { ok: false, status: 401, code: 'unauthorized', message: "The token in the notification URL is not this target's notifyToken." }
  }
  const externalId = field(body, 'external_id')
  const session = field(body, 'call_session_id')
  const state = field(body, 'state')
  if (typeof state !== 'string' || (typeof externalId !== 'string' && typeof session !== 'number' && typeof session !== 'string')) {
    return { ok: false, status: 400, code: 'validation_failed', message: 'Expected { external_id or call_session_id, state }.' }
  }
  const kinds: Record<string, CallEvent['kind']> = {
    operator_answered: 'manager_answered',
    operator_missed: 'manager_missed',
    contact_answered: 'visitor_answered',
    contact_missed: 'visitor_missed',
    failed: 'failed',
  }
  const kind = kinds[state]
  if (!kind) return { ok: true, events: [] }
  return {
    ok: true,
    events: [
      {
        kind,
        ...(typeof externalId === 'string' && { legId: externalId }),
        ...(session !== undefined && session !== null && { providerCallId: String(session) }),
        detail: `UIS ${state}`,
      },
    ],
  }
}
