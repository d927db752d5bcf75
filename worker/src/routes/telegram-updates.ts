// POST /v1/telegram/:site/:target: the managers' bot webhook. A press on "Take it" assigns the lead
// to the manager who pressed first (a new lead goes in work, recorded as the Telegram user's take),
// edits the card to show who took it, and tells later presses.
// Telegram proves the call is its own by echoing the secret_token given to setWebhook.
import { Hono } from 'hono'
import type { AppEnv } from '../deps'
import * as v from 'valibot'
import type { TelegramTarget } from '../../../shared/schemas/targets/telegram'
import { targetId } from '../../../shared/schemas/site-config'
import { telegramCard, escapeTelegramHtml } from '../delivery/adapters/telegram-card'
import { deliverNow } from '../delivery/deliver-now'
import { planStatusDeliveries } from '../delivery/plan-status-deliveries'
import { ApiError } from '../http/api-error'
import { jsonBodyLimit } from '../middleware/json-body-limit'
import { sameSecret } from '../security/same-secret'

export const telegramUpdatesRoute = new Hono<AppEnv>()

const UpdateSchema = v.object({
  callback_query: v.optional(
    v.object({
      id: v.string(),
      from: v.object({ id: v.number(), first_name: v.optional(v.string()) }),
      data: v.optional(v.string()),
      message: v.optional(v.object({ message_id: v.number(), chat: v.object({ id: v.union([v.number(), v.string()]) }) })),
    }),
  ),
})

const TAKE = /^take:([0-9a-f-]{36})$/

function botApi(target: TelegramTarget, fetchImpl: typeof fetch) {
  const base = (target.apiUrl ?? 'https://api.telegram.org').replace(/\/+$/, '')
  return (method: string, body: Record<string, unknown>) =>
    fetchImpl(`${base}/bot${target.botToken}/${method}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    }).catch((error: unknown) => console.error('telegram call failed', method, error))
}

telegramUpdatesRoute.post('/:site/:target', jsonBodyLimit({ maxBytes: 64 * 1024 }), async (c) => {
  const { deps } = c.var
  const site = await deps.sites.getSite(c.req.param('site'))
  const target = site?.config.targets.find((t, i) => t.type === 'telegram' && targetId(t, i) === c.req.param('target')) as
    | TelegramTarget
    | undefined
  if (!site || !target?.webhookSecret) throw new ApiError(404, 'not_found', 'No such bot endpoint.')
  const given = c.req.header('X-Telegram-Bot-Api-Secret-Token') ?? ''
  if (!(await sameSecret(given, target.webhookSecret))) {
    throw new ApiError(401, 'unauthorized', 'The secret token does not match.')
  }

  const update = v.safeParse(UpdateSchema, await c.req.json().catch(() => null))
  const query = update.success ? update.output.callback_query : undefined
  const leadId = query?.data ? TAKE.exec(query.data)?.[1] : undefined
  // Anything else (messages, other buttons) is acknowledged and ignored, so Telegram does not resend it.
  if (!query || !leadId) return c.json({ ok: true })

  const call = botApi(target, deps.fetch)
  const en = target.locale === 'en'
  const lead = await deps.leads.findLead(leadId)
  if (!lead || lead.payload.site !== site.id) {
    await call('answerCallbackQuery', { callback_query_id: query.id, text: en ? 'Lead not found.' : 'Заявка не найдена.' })
    return c.json({ ok: true })
  }
  const manager = site.config.routing?.managers.find((m) => m.telegramUserId === query.from.id)
  if (!manager) {
    await call('answerCallbackQuery', {
      callback_query_id: query.id,
      text: en ? 'You are not on this site’s list of managers.' : 'Вас нет в списке менеджеров этого сайта.',
      show_alert: true,
    })
    return c.json({ ok: true })
  }
  const now = deps.now()
  const deliveries = planStatusDeliveries(site, now)
  const result = await deps.leads.takeLead(leadId, manager, now, {
    actor: { kind: 'telegram', id: String(query.from.id) },
    plan: { eventId: crypto.randomUUID(), deliveries },
  })
  if (result.status === 'already_taken') {
    const holder = site.config.routing?.managers.find((m) => m.id === result.takenBy)?.name ?? result.takenBy
    await call('answerCallbackQuery', { callback_query_id: query.id, text: en ? `Already taken by ${holder}.` : `Уже взял(а): ${holder}.` })
    return c.json({ ok: true, taken: false })
  }
  if (result.status === 'not_found') return c.json({ ok: true })
  if (lead.stage === 'new' && deliveries.length > 0) c.var.background(deliverNow(deps, deliveries.map((d) => d.id)))
  await call('answerCallbackQuery', { callback_query_id: query.id, text: en ? 'The lead is yours.' : 'Заявка ваша.' })
  if (query.message) {
    const card = telegramCard(lead.payload, 'lead.created', { locale: target.locale })
    await call('editMessageText', {
      chat_id: query.message.chat.id,
      message_id: query.message.message_id,
      text: `${card}\n\n✅ ${en ? 'Taken by' : 'Взял(а)'}: <b>${escapeTelegramHtml(manager.name)}</b>`,
      parse_mode: 'HTML',
      link_preview_options: { is_disabled: true },
      reply_markup: { inline_keyboard: [] },
    })
  }
  return c.json({ ok: true, taken: true })
})
