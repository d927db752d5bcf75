// Telegram target: a lead card in the managers' chat via Bot API sendMessage, with a "Take it"
// button whose callback_data carries the lead id (the button's handler is a separate piece).
import type { TelegramTarget } from '../../../../shared/schemas/targets/telegram'
import { field, maxOrNull, snippet } from './http'
import type { Answer } from './http'
import { telegramCard } from './telegram-card'
import { QualityNoticeDataSchema, qualityTelegramText } from '../../quality/quality-notice'
import * as v from 'valibot'
import type { AdapterContext, AdapterResult, DeliveryEvent } from './types'
import { telegramBotApi } from '../../notify/telegram-bot-api'

/** About one message per second per chat (core.telegram.org/bots/faq): the least a 429 waits. */
const MIN_RETRY_SECONDS = 1

/** `take:<lead id>`: a UUID keeps it within callback_data's 64 bytes. */
export function takeCallbackData(leadId: string): string {
  return `take:${leadId}`
}

export function telegramRequestBody(target: TelegramTarget, event: DeliveryEvent, phoneLinks = true): Record<string, unknown> {
  const locale = target.locale
  return {
    chat_id: target.chatId,
    text: telegramCard(event.lead, event.type, { locale, phoneLinks }),
    parse_mode: 'HTML',
    link_preview_options: { is_disabled: true },
    reply_markup: {
      inline_keyboard: [
        [
          {
            text: locale === 'en' ? '✋ Take it' : '✋ Беру',
            callback_data: takeCallbackData(event.lead.id),
          },
        ],
      ],
    },
  }
}

function outcomeOf(answer: Answer): AdapterResult {
  const { status, json } = answer
  if (status === 200 && field(json, 'ok') === true) return { outcome: 'delivered', httpStatus: status }
  const description = field(json, 'description')
  const said = typeof description === 'string' ? description : `HTTP ${status} ${snippet(answer.text)}`
  const error = `Telegram: ${said.trim()}`
  if (status === 429) {
    // Flood control names the wait in parameters.retry_after; never send sooner.
    const retryAfter = Number(field(field(json, 'parameters'), 'retry_after'))
    const asked = Number.isFinite(retryAfter) && retryAfter > 0 ? Math.ceil(retryAfter) : null
    return {
      outcome: 'retry',
      httpStatus: status,
      error,
      retryAfterSeconds: maxOrNull(asked, MIN_RETRY_SECONDS),
    }
  }
  if (status >= 500 || status === 408) return { outcome: 'retry', httpStatus: status, error, retryAfterSeconds: null }
  // 400 chat not found, 401 bad token, 403 bot blocked or kicked: nothing will change by waiting.
  return { outcome: 'failed', httpStatus: status, error }
}

/** A junk-spike alert or recovery for the managers' chat: text only, no buttons. */
function qualityNoticeBody(target: TelegramTarget, event: DeliveryEvent, data: unknown): Record<string, unknown> | null {
  const parsed = v.safeParse(QualityNoticeDataSchema, data)
  if (!parsed.success) return null
  return {
    chat_id: target.chatId,
    text: qualityTelegramText(event.type === 'quality.recovered' ? 'recovered' : 'alert', parsed.output, target.locale),
    parse_mode: 'HTML',
    link_preview_options: { is_disabled: true },
  }
}

/** Sends the card. If Telegram refuses the `tel:` link, sends once more with the phone as plain text (clients link it themselves). */
export async function notifyTelegram(target: TelegramTarget, event: DeliveryEvent, ctx: AdapterContext): Promise<AdapterResult> {
  // attemptDelivery has refused a private apiUrl before any adapter runs (customerUrls).
  const call = telegramBotApi(target, ctx, { allowPrivateTargets: true })
  const sendMessage = (body: Record<string, unknown>) => call('sendMessage', body)
  if (event.notice) {
    const body = qualityNoticeBody(target, event, event.notice.data)
    if (body === null) return { outcome: 'failed', httpStatus: null, error: 'quality notice: stored data not understood' }
    const sent = await sendMessage(body)
    return sent.ok ? outcomeOf(sent.answer) : sent.result
  }
  const send = (phoneLinks: boolean) => sendMessage(telegramRequestBody(target, event, phoneLinks))
  let sent = await send(true)
  if (!sent.ok) return sent.result
  const description = field(sent.answer.json, 'description')
  if (sent.answer.status === 400 && event.lead.contact.phone && typeof description === 'string' && /entit|url/i.test(description)) {
    sent = await send(false)
    if (!sent.ok) return sent.result
  }
  return outcomeOf(sent.answer)
}
