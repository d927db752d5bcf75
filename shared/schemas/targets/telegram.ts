// Telegram target: a notification card for managers in a chat, via the Bot API.
import * as v from 'valibot'
import { HttpsUrlSchema, LocaleSchema, TargetIdSchema, maskSecret } from './common'
import { notRedacted } from '../redacted'

export const TelegramTargetSchema = v.strictObject({
  type: v.literal('telegram'),
  id: v.optional(TargetIdSchema),
  /** From @BotFather: `<bot id>:<secret>`. Write-only. */
  botToken: v.pipe(v.string(), notRedacted, v.regex(/^\d{1,20}:[A-Za-z0-9_-]{20,100}$/, 'must look like "123456:ABC…" from @BotFather')),
  /** A group/channel id (`-100…`), a user id, or `@channelusername`. */
  chatId: v.union([v.pipe(v.number(), v.integer()), v.pipe(v.string(), v.regex(/^(-?\d{1,20}|@[A-Za-z0-9_]{5,32})$/, 'must be a chat id or "@channel"'))]),
  /** Language of the card. */
  locale: v.optional(LocaleSchema, 'ru'),
  /**
   * The `secret_token` given to setWebhook; Telegram echoes it in `X-Telegram-Bot-Api-Secret-Token`,
   * which proves a button press came from Telegram. 1–256 of A–Z a–z 0–9 _ - (Bot API). Write-only.
   */
  webhookSecret: v.optional(v.pipe(v.string(), notRedacted, v.regex(/^[A-Za-z0-9_-]{16,256}$/, 'must be 16–256 letters, digits, "_" or "-"'))),
  /** Bot API base; only for local development (the CRM inbox emulates sendMessage). */
  apiUrl: v.optional(HttpsUrlSchema),
})

export type TelegramTarget = v.InferOutput<typeof TelegramTargetSchema>

export function redactTelegram(target: TelegramTarget): TelegramTarget {
  return {
    ...target,
    botToken: `${target.botToken.split(':')[0]}:${maskSecret(target.botToken)}`,
    ...(target.webhookSecret && { webhookSecret: maskSecret(target.webhookSecret) }),
  }
}
