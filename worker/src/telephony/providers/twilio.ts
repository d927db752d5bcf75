// Twilio: POST Calls.json rings the manager (To); the Twiml dials the visitor once the manager picks
// up. Twilio's status callbacks (the manager's leg) and the Dial action (the visitor's leg) are
// checked with X-Twilio-Signature: base64 HMAC-SHA1(auth token, URL + sorted POST name/value pairs).
import type { TwilioTarget } from '../../../../shared/schemas/targets/telephony'
import { exchange, field, genericOutcome, snippet } from '../../delivery/adapters/http'
import type { AdapterContext } from '../../delivery/adapters/types'
import { sameSecret } from '../../security/same-secret'
import { hmacSha1, toBase64 } from '../provider-hashes'
import type { CallEvent, CallOrder, NotificationResult, PlaceCallResult } from './types'
import { asPlaceResult } from './types'

export const TWILIO_API = 'https://api.twilio.com'

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`)
}

const GREETING = { ru: 'Соединяем с клиентом.', en: 'Connecting you to the customer.' }

/** What the manager hears, then the visitor dialled with our Twilio number as the caller id. */
export function twilioTwiml(target: TwilioTarget, order: CallOrder): string {
  const action = order.notifyUrl ? ` action="${escapeXml(`${order.notifyUrl}?leg=${order.legId}&party=visitor`)}"` : ''
  return (
    `<Response><Say language="${order.locale === 'ru' ? 'ru-RU' : 'en-US'}">${GREETING[order.locale]}</Say>` +
    `<Dial callerId="${escapeXml(target.from)}" timeout="${order.ringSeconds}"${action}>${escapeXml(order.visitor)}</Dial></Response>`
  )
}

export function twilioCallForm(target: TwilioTarget, order: CallOrder): URLSearchParams {
  const form = new URLSearchParams({
    To: order.operator,
    From: target.from,
    Twiml: twilioTwiml(target, order),
    // The manager's phone rings T seconds; then Twilio ends the leg as no-answer.
    Timeout: String(order.ringSeconds),
  })
  if (order.notifyUrl) {
    form.set('StatusCallback', `${order.notifyUrl}?leg=${order.legId}&party=manager`)
    form.set('StatusCallbackMethod', 'POST')
    for (const event of ['initiated', 'ringing', 'answered', 'completed']) form.append('StatusCallbackEvent', event)
  }
  return form
}

export async function placeTwilioCall(target: TwilioTarget, order: CallOrder, ctx: AdapterContext): Promise<PlaceCallResult> {
  const base = (target.apiBase ?? TWILIO_API).replace(/\/+$/, '')
  const sent = await exchange(ctx, `${base}/2010-04-01/Accounts/${target.accountSid}/Calls.json`, {
    method: 'POST',
    headers: {
      Authorization: `Basic ${btoa(`${target.accountSid}:${target.authToken}`)}`,
      'Content-Type': 'application/x-www-form-urlencoded',
    },
    body: twilioCallForm(target, order).toString(),
  })
  if (!sent.ok) return asPlaceResult(sent.result)
  const { answer } = sent
  if (answer.status === 201 || answer.status === 200) {
    const sid = field(answer.json, 'sid')
    return { outcome: 'delivered', httpStatus: answer.status, providerCallId: typeof sid === 'string' ? sid : null }
  }
  const code = field(answer.json, 'code')
  const message = field(answer.json, 'message')
  const said = `Twilio ${answer.status}${typeof code === 'number' ? ` (${code})` : ''}: ${typeof message === 'string' ? message : snippet(answer.text)}`
  // 400 (a number Twilio cannot call, 21211/21215…), 401 (20003 credentials), 403, 404: final.
  if (answer.status >= 400 && answer.status < 500 && answer.status !== 429 && answer.status !== 408) {
    return { outcome: 'failed', httpStatus: answer.status, error: said }
  }
  const generic = asPlaceResult(genericOutcome(answer, ctx, 'Twilio', 1))
  return generic.outcome === 'delivered' ? generic : { ...generic, error: said }
}

/** The X-Twilio-Signature of a form POST to `url` (twilio.com/docs/usage/security). */
export async function twilioSignature(authToken: string, url: string, params: URLSearchParams): Promise<string> {
  const names = [...new Set(params.keys())].sort()
  let data = url
  for (const name of names) for (const value of params.getAll(name)) data += name + value
  return toBase64(await hmacSha1(authToken, data))
}

const MISSED = new Set(['busy', 'no-answer', 'failed', 'canceled'])

/**
 * `party=manager`: the StatusCallback of the call to the manager (CallStatus `in-progress` once
 * answered; `busy`, `no-answer`, `failed`, `canceled` when not). `party=visitor`: the Dial action,
 * with DialCallStatus for the visitor's leg; it must answer TwiML.
 */
export async function readTwilioNotification(target: TwilioTarget, url: string, form: URLSearchParams, signature: string | null): Promise<NotificationResult> {
  if (signature === null || !(await sameSecret(signature, await twilioSignature(target.authToken, url, form)))) {
    return { ok: false, status: 401, code: 'unauthorized', message: 'X-Twilio-Signature does not match this request.' }
  }
  const query = new URL(url).searchParams
  const legId = query.get('leg') ?? undefined
  const callSid = form.get('CallSid') ?? undefined
  const base = { ...(legId && { legId }), ...(callSid && { providerCallId: callSid }) }
  const events: CallEvent[] = []
  if (query.get('party') === 'visitor') {
    const status = form.get('DialCallStatus') ?? ''
    if (status === 'completed' || status === 'answered') events.push({ kind: 'visitor_answered', ...base, detail: `Twilio DialCallStatus ${status}` })
    else if (MISSED.has(status)) events.push({ kind: 'visitor_missed', ...base, detail: `Twilio DialCallStatus ${status}` })
    return { ok: true, events, reply: { body: '<Response><Hangup/></Response>', contentType: 'text/xml' } }
  }
  const status = form.get('CallStatus') ?? ''
  if (status === 'in-progress') events.push({ kind: 'manager_answered', ...base, detail: 'Twilio CallStatus in-progress' })
  else if (MISSED.has(status)) events.push({ kind: status === 'failed' ? 'failed' : 'manager_missed', ...base, detail: `Twilio CallStatus ${status}` })
  return { ok: true, events }
}
