// POST /v1/telegram/:site/:target: the managers' bot webhook. A press on "Take it" assigns the lead
// to the manager who pressed first (a new lead goes in work, recorded as the Telegram user's take)
// and tells later presses; the card then gets the outcome buttons (qualified, won, not now, junk
// with its reason), and every press edits it to show who did what and when.
// Telegram proves the call is its own by echoing the secret_token given to setWebhook.
import { Hono } from 'hono'
import type { AppEnv, Deps } from '../deps'
import * as v from 'valibot'
import type { TelegramTarget } from '../../../shared/schemas/targets/telegram'
import { targetId } from '../../../shared/schemas/site-config'
import { statusText } from '../../../shared/lead-status-labels'
import { telegramCard } from '../delivery/adapters/telegram-card'
import { changeLeadStatus } from '../lifecycle/change-status'
import { takeLeadFor } from '../lifecycle/take-lead'
import { OUTCOME_DATA, junkReasonKeyboard, outcomeKeyboard, outcomePress, outcomeTrail, type OutcomeCode } from '../lifecycle/telegram-outcome-card'
import { ApiError } from '../http/api-error'
import { jsonBodyLimit } from '../middleware/json-body-limit'
import { sameSecret } from '../security/same-secret'
import { adapterContext } from '../delivery/adapters/adapter-context'
import { telegramBotApi } from '../notify/telegram-bot-api'

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

type Press = { kind: 'take'; leadId: string } | { kind: 'outcome'; leadId: string; code: OutcomeCode }

function pressOf(data: string | undefined): Press | null {
  if (!data) return null
  const take = TAKE.exec(data)
  if (take?.[1]) return { kind: 'take', leadId: take[1] }
  const outcome = OUTCOME_DATA.exec(data)
  if (outcome?.[1] && outcome[2]) return { kind: 'outcome', leadId: outcome[1], code: outcome[2] as OutcomeCode }
  return null
}

/** The presses' Bot API calls (answer, edit the card): a failure is logged, and the press is still acknowledged to Telegram. */
function botApi(target: TelegramTarget, deps: Deps) {
  const call = telegramBotApi(target, adapterContext(deps, 10_000), deps)
  return async (method: string, body: Record<string, unknown>): Promise<void> => {
    const sent = await call(method, body)
    if (!sent.ok) return console.error(`telegram call failed: ${'error' in sent.result ? sent.result.error : sent.result.outcome}`, method)
    const { status } = sent.answer
    if (status >= 300 && status < 400) console.error('telegram call redirected, not followed', method, status)
  }
}

telegramUpdatesRoute.post('/:site/:target', jsonBodyLimit({ maxBytes: 64 * 1024 }), async (c) => {
  const { deps } = c.var
  const site = await deps.sites.getSite(c.req.param('site'))
  const target = site?.config.targets.find((t, i) => t.type === 'telegram' && targetId(t, i) === c.req.param('target')) as TelegramTarget | undefined
  if (!site || !target?.webhookSecret) throw new ApiError(404, 'not_found', 'No such bot endpoint.')
  const given = c.req.header('X-Telegram-Bot-Api-Secret-Token') ?? ''
  if (!(await sameSecret(given, target.webhookSecret))) {
    throw new ApiError(401, 'unauthorized', 'The secret token does not match.')
  }

  const update = v.safeParse(UpdateSchema, await c.req.json().catch(() => null))
  const query = update.success ? update.output.callback_query : undefined
  const press = pressOf(query?.data)
  // Anything else (messages, other buttons) is acknowledged and ignored, so Telegram does not resend it.
  if (!query || !press) return c.json({ ok: true })

  const call = botApi(target, deps)
  const locale = target.locale
  const en = locale === 'en'
  const lead = await deps.leads.findLead(press.leadId)
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
  const actor = { kind: 'telegram', id: String(query.from.id) } as const
  const source = { kind: 'telegram', ref: null } as const
  /** The card with its trail (who did what and when, from the history) and the outcome buttons. */
  const editCard = async () => {
    if (!query.message) return
    const card = telegramCard(lead.payload, 'lead.created', { locale })
    const trail = outcomeTrail(await deps.leads.listEvents(lead.payload.id), site.config, locale)
    await call('editMessageText', {
      chat_id: query.message.chat.id,
      message_id: query.message.message_id,
      text: trail ? `${card}\n\n${trail}` : card,
      parse_mode: 'HTML',
      link_preview_options: { is_disabled: true },
      reply_markup: outcomeKeyboard(lead.payload.id, locale),
    })
  }

  if (press.kind === 'take') {
    const result = await takeLeadFor(deps, c.var.background, { site, leadId: lead.payload.id, manager, actor, source })
    // Every answer named: a new kind of result is a type error here (the `never`), not "the lead is yours".
    switch (result.status) {
      case 'taken':
        await call('answerCallbackQuery', { callback_query_id: query.id, text: en ? 'The lead is yours.' : 'Заявка ваша.' })
        await editCard()
        return c.json({ ok: true, taken: true })
      case 'already_taken': {
        const holder = site.config.routing?.managers.find((m) => m.id === result.takenBy)?.name ?? result.takenBy
        await call('answerCallbackQuery', { callback_query_id: query.id, text: en ? `Already taken by ${holder}.` : `Уже взял(а): ${holder}.` })
        return c.json({ ok: true, taken: false })
      }
      case 'erased':
        await call('answerCallbackQuery', { callback_query_id: query.id, text: en ? 'This lead’s data was erased.' : 'Данные этой заявки удалены.' })
        return c.json({ ok: true, taken: false })
      case 'not_found':
        return c.json({ ok: true })
      default: {
        const unhandled: never = result
        throw new Error(`take result ${JSON.stringify(unhandled)} has no answer`)
      }
    }
  }

  const outcome = outcomePress(press.code)
  if (outcome.kind !== 'change') {
    // Junk asks for its reason on a second row of buttons; Back returns to the outcomes.
    await call('answerCallbackQuery', { callback_query_id: query.id })
    if (query.message) {
      await call('editMessageReplyMarkup', {
        chat_id: query.message.chat.id,
        message_id: query.message.message_id,
        reply_markup: (outcome.kind === 'junk_reasons' ? junkReasonKeyboard : outcomeKeyboard)(lead.payload.id, locale),
      })
    }
    return c.json({ ok: true })
  }
  const result = await changeLeadStatus(
    deps,
    c.var.background,
    site,
    {
      leadId: lead.payload.id,
      to: outcome.status,
      reason: outcome.reason,
      note: null,
      actor,
      at: deps.now(),
      source,
    },
    new URL(c.req.url).origin,
  )
  if (result.status === 'erased' || result.status === 'not_found') {
    await call('answerCallbackQuery', {
      callback_query_id: query.id,
      text: en ? 'This lead’s data was erased.' : 'Данные этой заявки удалены.',
    })
    return c.json({ ok: true, status: result.status })
  }
  const label = statusText(outcome.status, outcome.reason, locale)
  await call('answerCallbackQuery', { callback_query_id: query.id, text: result.status === 'changed' ? `✔ ${label}` : label })
  await editCard()
  return c.json({ ok: true, status: result.status })
})
