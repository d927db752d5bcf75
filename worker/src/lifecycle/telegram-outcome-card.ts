// The Telegram card after "Take it": the outcome buttons (qualified, won, not now, junk → wrong
// number / spam / off-target) and the trail under the card saying who did what and when, built
// from the lead's history so every edit shows all of it.
import { statusText } from '../../../shared/lead-status-labels'
import type { JunkReason, LeadStatus } from '../../../shared/schemas/lead-status'
import type { SiteConfig } from '../../../shared/schemas/site-config'
import { escapeTelegramHtml } from '../delivery/adapters/telegram-card'
import type { LeadEvent } from '../storage/types'

/** callback_data `st:<lead id>:<code>`, at most 3 + 36 + 1 + 2 = 42 of its 64 bytes. */
export const OUTCOME_DATA = /^st:([0-9a-f-]{36}):(q|w|n|j|jw|js|jo|b)$/

export type OutcomeCode = 'q' | 'w' | 'n' | 'j' | 'jw' | 'js' | 'jo' | 'b'

/** What a button press asks for: a status change, or another set of buttons. */
export type OutcomePress = { kind: 'change'; status: Exclude<LeadStatus, 'new' | 'in_work'>; reason: JunkReason | null } | { kind: 'junk_reasons' } | { kind: 'back' }

export function outcomePress(code: OutcomeCode): OutcomePress {
  switch (code) {
    case 'q':
      return { kind: 'change', status: 'qualified', reason: null }
    case 'w':
      return { kind: 'change', status: 'won', reason: null }
    case 'n':
      return { kind: 'change', status: 'not_now', reason: null }
    case 'jw':
      return { kind: 'change', status: 'junk', reason: 'wrong_number' }
    case 'js':
      return { kind: 'change', status: 'junk', reason: 'spam' }
    case 'jo':
      return { kind: 'change', status: 'junk', reason: 'off_target' }
    case 'j':
      return { kind: 'junk_reasons' }
    case 'b':
      return { kind: 'back' }
  }
}

type Locale = 'ru' | 'en'
type Button = { text: string; callback_data: string }

const WORDS = {
  ru: {
    qualified: '✅ Квалифицирована',
    won: '🏆 Сделка',
    notNow: '⏸ Не сейчас',
    junk: '🗑 Брак…',
    back: '← Назад',
    wrong: 'Неверный номер',
    spam: 'Спам',
    off: 'Нецелевая',
    took: 'Взял(а)',
  },
  en: { qualified: '✅ Qualified', won: '🏆 Won', notNow: '⏸ Not now', junk: '🗑 Junk…', back: '← Back', wrong: 'Wrong number', spam: 'Spam', off: 'Off target', took: 'Taken by' },
}

export function outcomeKeyboard(leadId: string, locale: Locale): { inline_keyboard: Button[][] } {
  const w = WORDS[locale]
  const b = (text: string, code: OutcomeCode) => ({ text, callback_data: `st:${leadId}:${code}` })
  return {
    inline_keyboard: [
      [b(w.qualified, 'q'), b(w.won, 'w')],
      [b(w.notNow, 'n'), b(w.junk, 'j')],
    ],
  }
}

export function junkReasonKeyboard(leadId: string, locale: Locale): { inline_keyboard: Button[][] } {
  const w = WORDS[locale]
  const b = (text: string, code: OutcomeCode) => ({ text, callback_data: `st:${leadId}:${code}` })
  return { inline_keyboard: [[b(w.wrong, 'jw'), b(w.spam, 'js'), b(w.off, 'jo')], [b(w.back, 'b')]] }
}

/** The name behind an event's actor, as the managers know each other. */
function actorName(event: LeadEvent, config: SiteConfig): string {
  const managers = config.routing?.managers ?? []
  const { kind, id } = event.actor
  if (kind === 'telegram') return managers.find((m) => String(m.telegramUserId) === id)?.name ?? `Telegram ${id ?? ''}`.trim()
  if (kind === 'manager') return managers.find((m) => m.id === id)?.name ?? id ?? 'manager'
  if (kind === 'crm') return id ?? 'CRM'
  return kind === 'system' ? 'Leadcatcher' : 'admin'
}

/** `02.12 14:05` in the site's time zone (its working hours'), Moscow when it has none. */
function when(at: number, config: SiteConfig): string {
  const timeZone = config.hours?.timezone ?? 'Europe/Moscow'
  return new Intl.DateTimeFormat('ru-RU', { timeZone, day: '2-digit', month: '2-digit', hour: '2-digit', minute: '2-digit' }).format(at).replace(',', '')
}

/** One HTML line per take and status change, oldest first; text escaped, names in bold. */
export function outcomeTrail(events: LeadEvent[], config: SiteConfig, locale: Locale): string {
  const lines = events.flatMap((event) => {
    const who = `<b>${escapeTelegramHtml(actorName(event, config))}</b>`
    const at = when(event.at, config)
    if (event.kind === 'take') return [`✅ ${WORDS[locale].took}: ${who} · ${at}`]
    if (event.kind === 'status' && event.to !== null) {
      return [`• ${escapeTelegramHtml(statusText(event.to, event.reason, locale))} — ${who} · ${at}`]
    }
    return []
  })
  return lines.join('\n')
}
