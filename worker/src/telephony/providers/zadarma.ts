// Zadarma (also Novofon classic): GET /v1/request/callback/ rings `from` (the manager) and, once
// answered, `to` (the visitor). Requests are signed as the official client does (zadarma/user-api-v1
// lib/Client.php); notifications are checked with the `Signature` header (lib/Webhook/*.php).
import type { ZadarmaTarget } from '../../../../shared/schemas/targets/telephony'
import { exchange, field, genericOutcome, snippet } from '../../delivery/adapters/http'
import type { AdapterContext } from '../../delivery/adapters/types'
import { sameSecret } from '../../security/same-secret'
import { hmacSha1, md5Hex, toHex } from '../provider-hashes'
import type { CallEvent, CallOrder, NotificationResult, PlaceCallResult } from './types'
import { asPlaceResult, digitsOf, phpUrlencode } from './types'

export const ZADARMA_API = 'https://api.zadarma.com'
const CALLBACK_METHOD = '/v1/request/callback/'

/** The parameters sorted by name and joined as PHP's http_build_query (RFC 1738) does. */
export function zadarmaQuery(params: Record<string, string>): string {
  return Object.keys(params)
    .sort()
    .map((key) => `${phpUrlencode(key)}=${phpUrlencode(params[key]!)}`)
    .join('&')
}

/**
 * `Authorization: <key>:<signature>`, signature = base64(hex(HMAC-SHA1(secret, method + query +
 * md5(query)))): PHP's hash_hmac returns hex, and base64 is taken of that text, not of the bytes.
 */
export async function zadarmaAuthorization(key: string, secret: string, method: string, query: string): Promise<string> {
  return `${key}:${btoa(toHex(await hmacSha1(secret, method + query + md5Hex(query))))}`
}

export async function placeZadarmaCall(target: ZadarmaTarget, order: CallOrder, ctx: AdapterContext): Promise<PlaceCallResult> {
  const params: Record<string, string> = { from: order.operator, to: digitsOf(order.visitor), format: 'json' }
  if (target.sip) params.sip = target.sip
  const query = zadarmaQuery(params)
  const base = (target.apiBase ?? ZADARMA_API).replace(/\/+$/, '')
  const sent = await exchange(ctx, `${base}${CALLBACK_METHOD}?${query}`, {
    method: 'GET',
    headers: { Authorization: await zadarmaAuthorization(target.key, target.secret, CALLBACK_METHOD, query) },
  })
  if (!sent.ok) return asPlaceResult(sent.result)
  const { answer } = sent
  const status = field(answer.json, 'status')
  const message = field(answer.json, 'message')
  if (answer.status === 200 && status === 'success') return { outcome: 'delivered', httpStatus: 200, providerCallId: null }
  if (answer.status === 401 || answer.status === 403) {
    return { outcome: 'failed', httpStatus: answer.status, error: `Zadarma refused the key or signature: ${snippet(answer.text)}` }
  }
  if (status === 'error' && answer.status < 500 && answer.status !== 429) {
    // A refusal in words ("Wrong parameters", "Not enough money"): sending it again changes nothing.
    return { outcome: 'failed', httpStatus: answer.status, error: `Zadarma: ${typeof message === 'string' ? message : snippet(answer.text)}` }
  }
  return asPlaceResult(genericOutcome(answer, ctx, 'Zadarma', 60))
}

/** The fields each event's signature covers, concatenated (lib/Webhook/Notify*.php getSignatureString). */
function signedFields(event: string, form: URLSearchParams): string | null {
  const f = (name: string) => form.get(name) ?? ''
  switch (event) {
    case 'NOTIFY_START':
    case 'NOTIFY_END':
      return f('caller_id') + f('called_did') + f('call_start')
    case 'NOTIFY_OUT_START':
    case 'NOTIFY_OUT_END':
      return f('internal') + f('destination') + f('call_start')
    default:
      return null
  }
}

/**
 * A callback shows up as an outgoing PBX call to the visitor (`destination`): its start means the
 * manager answered and the visitor is being rung, its end says how the visitor's leg went.
 */
export async function readZadarmaNotification(target: ZadarmaTarget, form: URLSearchParams, signature: string | null): Promise<NotificationResult> {
  const event = form.get('event') ?? ''
  const signed = signedFields(event, form)
  if (signed === null) return { ok: true, events: [] }
  // Like the request signature: base64 of the HMAC's hex digest.
  const expected = btoa(toHex(await hmacSha1(target.secret, signed)))
  if (signature === null || !(await sameSecret(signature, expected))) {
    return { ok: false, status: 401, code: 'unauthorized', message: 'The Signature header does not match this notification.' }
  }
  const destination = form.get('destination')
  if (!destination) return { ok: true, events: [] }
  const visitor = `+${digitsOf(destination)}`
  const events: CallEvent[] = []
  if (event === 'NOTIFY_OUT_START') events.push({ kind: 'manager_answered', visitor, detail: 'Zadarma NOTIFY_OUT_START' })
  if (event === 'NOTIFY_OUT_END') {
    const disposition = form.get('disposition') ?? ''
    events.push({ kind: disposition === 'answered' ? 'visitor_answered' : 'visitor_missed', visitor, detail: `Zadarma NOTIFY_OUT_END: ${disposition}` })
  }
  return { ok: true, events }
}
