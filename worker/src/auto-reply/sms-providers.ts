// SMS providers: SMS.ru (RU), Twilio, and a dev outbox. Formats and sources: ../delivery/adapters/README.md.
import type { SmsProvider } from '../../../shared/schemas/targets/auto-reply'
import { exchange, field, genericOutcome, snippet } from '../delivery/adapters/http'
import type { AdapterContext, AdapterResult } from '../delivery/adapters/types'

export interface SmsMessage {
  /** E.164 */
  to: string
  text: string
  idempotencyKey: string
}

/**
 * SMS.ru's codes (sms.ru/api/send; the code table as copied by several client libraries) that a
 * later try may fix: 220 "service temporarily unavailable, try a bit later" and 500 "server error,
 * repeat the request" — SMS.ru itself says nothing was sent.
 */
const SMSRU_TRY_LATER = new Set([220, 500])
/**
 * 231/232: SMS.ru refused the same text to the same number within a minute / a day. The visitor
 * already has this message (an earlier attempt or an earlier identical lead sent it).
 */
const SMSRU_ALREADY_SENT = new Set([231, 232])
/** Hints for refusals the site owner must fix (200 wrong api_id, 201 no money, 204 sender name not approved). */
const SMSRU_HINTS: Record<number, string> = {
  200: 'the api_id is wrong',
  201: 'the SMS.ru balance is too low',
  204: 'the sender name is not approved by SMS.ru',
  301: 'the api_id is wrong',
}

/**
 * `{"status":"OK","status_code":100,"sms":{"7999…":{"status":"OK"|"ERROR","status_code",
 * "status_text","sms_id"}},"balance"}`; a refused request has a top-level `"status":"ERROR"`.
 */
function smsRuOutcome(json: unknown, httpStatus: number, text: string): AdapterResult {
  const status = field(json, 'status')
  const sms = field(json, 'sms')
  const perNumber = sms && typeof sms === 'object' ? Object.values(sms as Record<string, unknown>)[0] : undefined
  if (status === 'OK' && (perNumber === undefined || field(perNumber, 'status') === 'OK')) return { outcome: 'delivered', httpStatus }
  const code = Number(field(perNumber, 'status_code') ?? field(json, 'status_code'))
  const detail = String(field(perNumber, 'status_text') ?? field(json, 'status_text') ?? snippet(text))
  const hint = SMSRU_HINTS[code]
  const error = `SMS.ru ${Number.isFinite(code) ? code : `HTTP ${httpStatus}`}: ${detail}${hint ? `; ${hint}` : ''}`
  if (SMSRU_ALREADY_SENT.has(code)) return { outcome: 'delivered', httpStatus, note: `${error} (the visitor already has this text)` }
  if (SMSRU_TRY_LATER.has(code)) return { outcome: 'retry', httpStatus, error, retryAfterSeconds: 60 }
  // The rest are refusals waiting will not fix: a bad number (202, 207), stop list (209), daily
  // limits (206, 230: by tomorrow an "instant" reply is pointless), request errors (203, 205, 212).
  return { outcome: 'failed', httpStatus, error }
}

export async function sendSms(provider: SmsProvider, message: SmsMessage, ctx: AdapterContext): Promise<AdapterResult> {
  switch (provider.name) {
    case 'smsru': {
      const form = new URLSearchParams({
        api_id: provider.apiId,
        to: message.to.replace(/^\+/, ''),
        msg: message.text,
        json: '1',
      })
      if (provider.from) form.set('from', provider.from)
      if (provider.test) form.set('test', '1')
      const sent = await exchange(ctx, 'https://sms.ru/sms/send', {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: form.toString(),
      })
      if (!sent.ok) return sent.result
      if (sent.answer.json === null) return genericOutcome(sent.answer, ctx, 'SMS.ru')
      return smsRuOutcome(sent.answer.json, sent.answer.status, sent.answer.text)
    }
    case 'twilio': {
      const form = new URLSearchParams({ To: message.to, Body: message.text })
      form.set(provider.from.startsWith('MG') ? 'MessagingServiceSid' : 'From', provider.from)
      const sent = await exchange(ctx, `https://api.twilio.com/2010-04-01/Accounts/${provider.accountSid}/Messages.json`, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/x-www-form-urlencoded',
          Authorization: `Basic ${btoa(`${provider.accountSid}:${provider.authToken}`)}`,
        },
        body: form.toString(),
      })
      if (!sent.ok) return sent.result
      // Twilio errors: `{ code, message, more_info, status }` (twilio-node RestException); 429 is
      // its queue overflow (code 20429), 401 code 20003 a wrong SID or token.
      const code = field(sent.answer.json, 'code')
      const label = typeof code === 'number' ? `Twilio ${code}: ${String(field(sent.answer.json, 'message') ?? '')}` : 'Twilio'
      if (sent.answer.status === 401)
        return {
          outcome: 'failed',
          httpStatus: 401,
          error: `${label}; the account SID or auth token is wrong`,
        }
      return genericOutcome(sent.answer, ctx, label, 1)
    }
    case 'dev': {
      const sent = await exchange(ctx, provider.url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'Idempotency-Key': message.idempotencyKey },
        body: JSON.stringify({ channel: 'sms', ...message }),
      })
      if (!sent.ok) return sent.result
      return genericOutcome(sent.answer, ctx, 'dev outbox')
    }
  }
}
