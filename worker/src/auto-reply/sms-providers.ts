// SMS providers: SMS.ru (RU), Twilio, and a dev outbox. Formats: sms.ru/api/send, twilio.com/docs/messaging/api/message-resource.
import type { SmsProvider } from '../../../shared/schemas/targets/auto-reply'
import { exchange, field, genericOutcome, snippet } from '../delivery/adapters/http'
import type { AdapterContext, AdapterResult } from '../delivery/adapters/types'

export interface SmsMessage {
  /** E.164 */
  to: string
  text: string
  idempotencyKey: string
}

/** SMS.ru status codes that a retry will not fix (sms.ru/api/status codes: 2xx are refusals about the request or account). */
function smsRuOutcome(json: unknown, httpStatus: number, text: string): AdapterResult {
  const status = field(json, 'status')
  const sms = field(json, 'sms')
  // Per-number results: `{"sms":{"79991234567":{"status":"OK"|"ERROR","status_code":…,"status_text":…}}}`.
  const perNumber =
    sms && typeof sms === 'object' ? Object.values(sms as Record<string, unknown>)[0] : undefined
  if (status === 'OK' && (perNumber === undefined || field(perNumber, 'status') === 'OK'))
    return { outcome: 'delivered', httpStatus }
  const code = Number(field(perNumber, 'status_code') ?? field(json, 'status_code'))
  const detail = String(
    field(perNumber, 'status_text') ?? field(json, 'status_text') ?? snippet(text),
  )
  const error = `SMS.ru ${Number.isFinite(code) ? code : `HTTP ${httpStatus}`}: ${detail}`
  // 220: service temporarily unavailable; 500: server error. Others (bad key 200, no money 201, bad number 202…) are permanent.
  if (code === 220 || code === 500 || httpStatus >= 500)
    return { outcome: 'retry', httpStatus, error, retryAfterSeconds: 60 }
  return { outcome: 'failed', httpStatus, error }
}

export async function sendSms(
  provider: SmsProvider,
  message: SmsMessage,
  ctx: AdapterContext,
): Promise<AdapterResult> {
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
      const sent = await exchange(
        ctx,
        `https://api.twilio.com/2010-04-01/Accounts/${provider.accountSid}/Messages.json`,
        {
          method: 'POST',
          headers: {
            'Content-Type': 'application/x-www-form-urlencoded',
            Authorization: `Basic ${btoa(`${provider.accountSid}:${provider.authToken}`)}`,
          },
          body: form.toString(),
        },
      )
      if (!sent.ok) return sent.result
      // Twilio errors: `{ code, message, more_info, status }`; 429 is its queue-overflow code 20429.
      const code = field(sent.answer.json, 'code')
      const label =
        typeof code === 'number'
          ? `Twilio ${code}: ${String(field(sent.answer.json, 'message') ?? '')}`
          : 'Twilio'
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
