// The manager's lead card for Telegram, in the Bot API's HTML mode, at most 4096 visible characters.
import { answerLine } from '../../../../shared/flow/answer-labels'
import type { LeadSource } from '../../../../shared/schemas/lead'
import type { Temperature } from '../../../../shared/score'
import { reasonLine } from '../../../../shared/score-reasons'
import type { EventType, LeadPayload } from '../../model/lead'
import { callbackTime } from './callback-time'

/** sendMessage `text`: 1–4096 characters after entities parsing (core.telegram.org/bots/api#sendmessage). */
export const TELEGRAM_TEXT_LIMIT = 4096

/** A run of text with at most one formatting; its text is plain, escaped only when rendered. */
export interface Span {
  text: string
  bold?: boolean
  italic?: boolean
  href?: string
}
export type Line = Span[]

export interface CardOptions {
  locale?: 'ru' | 'en'
  /** `tel:` links on phones; off when a chat's client refuses them (the number alone is still auto-linked). */
  phoneLinks?: boolean
  limit?: number
}

const EMOJI: Record<Temperature, string> = { hot: '🔥', warm: '🌤', cold: '❄️' }

const TEXTS = {
  ru: {
    temperature: { hot: 'Горячая заявка', warm: 'Тёплая заявка', cold: 'Холодная заявка' },
    source: {
      callback: 'обратный звонок',
      chat: 'чат',
      form: 'форма',
      exit_intent: 'при уходе с сайта',
    },
    test: 'ТЕСТ: проверка доставки, перезванивать не нужно',
    repeated: 'Повторная заявка',
    escalated: 'Заявку не взяли вовремя',
    callbackAt: 'Перезвонить',
    message: 'Сообщение',
    answers: 'Ответы',
    why: 'Почему',
    page: 'Страница',
    manager: 'Менеджер',
    headOfSales: 'Руководитель',
    yes: 'да',
    no: 'нет',
  },
  en: {
    temperature: { hot: 'Hot lead', warm: 'Warm lead', cold: 'Cold lead' },
    source: { callback: 'callback', chat: 'chat', form: 'form', exit_intent: 'exit intent' },
    test: 'TEST: a delivery check, do not call back',
    repeated: 'Repeat request',
    escalated: 'Nobody took this lead in time',
    callbackAt: 'Call back at',
    message: 'Message',
    answers: 'Answers',
    why: 'Why',
    page: 'Page',
    manager: 'Manager',
    headOfSales: 'Head of sales',
    yes: 'yes',
    no: 'no',
  },
} satisfies Record<'ru' | 'en', { source: Record<LeadSource, string>; temperature: Record<Temperature, string> } & Record<string, unknown>>

/** Escapes text for Telegram's HTML mode: only `<`, `>` and `&` (and `"` inside attributes). */
export function escapeTelegramHtml(text: string, attribute = false): string {
  const escaped = text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;')
  return attribute ? escaped.replaceAll('"', '&quot;') : escaped
}

function renderSpan(span: Span): string {
  let html = escapeTelegramHtml(span.text)
  if (span.href) html = `<a href="${escapeTelegramHtml(span.href, true)}">${html}</a>`
  if (span.italic) html = `<i>${html}</i>`
  if (span.bold) html = `<b>${html}</b>`
  return html
}

function answerText(value: unknown, t: (typeof TEXTS)['ru']): string {
  if (Array.isArray(value)) return value.map(String).join(', ')
  if (typeof value === 'boolean') return value ? t.yes : t.no
  return String(value)
}

/** The card's lines, most important first, so truncation drops the least useful tail. */
export function cardLines(lead: LeadPayload, type: EventType, options: CardOptions = {}): Line[] {
  const { locale = 'ru', phoneLinks = true } = options
  const t = TEXTS[locale]
  const lines: Line[] = []
  // First, so even a cut card says it is a test.
  if (lead.test) lines.push([{ text: `🧪 ${t.test}`, bold: true }])
  const head = `${EMOJI[lead.temperature]} ${t.temperature[lead.temperature]} · ${lead.score}/100`
  lines.push([{ text: head, bold: true }, { text: ` · ${t.source[lead.source]}` }])
  if (type === 'lead.repeated') lines.push([{ text: `🔁 ${t.repeated}`, italic: true }])
  if (type === 'lead.escalated') lines.push([{ text: `⏰ ${t.escalated}`, italic: true }])
  if (lead.contact.name) lines.push([{ text: '👤 ' }, { text: lead.contact.name, bold: true }])
  if (lead.contact.phone) {
    lines.push([{ text: '📞 ' }, phoneLinks ? { text: lead.contact.phone, href: `tel:${lead.contact.phone}` } : { text: lead.contact.phone }])
  }
  if (lead.contact.email) lines.push([{ text: '✉️ ' }, { text: lead.contact.email, href: `mailto:${lead.contact.email}` }])
  const callback = callbackTime(lead, locale)
  if (callback) lines.push([{ text: `🕒 ${t.callbackAt}: ` }, { text: callback, bold: true }])
  if (lead.manager) lines.push([{ text: `${t.manager}: ${lead.manager.name}` }])
  if (type === 'lead.escalated' && lead.headOfSales) lines.push([{ text: `${t.headOfSales}: ${lead.headOfSales.name}` }])
  if (lead.message) lines.push([{ text: `💬 ${t.message}: `, bold: true }, { text: lead.message }])
  const answers = Object.entries(lead.answers ?? {})
  if (answers.length > 0) {
    lines.push([{ text: t.answers, bold: true }])
    // As the visitor saw them (the question, the label clicked); by code only without labels.
    for (const [question, value] of answers) {
      const label = lead.answerLabels?.[question]
      lines.push(label ? [{ text: `• ${answerLine(label)}` }] : [{ text: `• ${question}: ` }, { text: answerText(value, t) }])
    }
  }
  const utm = lead.context?.utm
  const utmText = utm && [utm.source, utm.medium, utm.campaign, utm.term, utm.content].filter(Boolean).join(' / ')
  if (utmText) lines.push([{ text: 'UTM: ', bold: true }, { text: utmText }])
  if (lead.context?.page) lines.push([{ text: `${t.page}: ` }, { text: lead.context.page }])
  if (lead.reasons.length > 0) {
    lines.push([{ text: t.why, bold: true }])
    // In the card's language, by the rule's code (shared/score-reasons.ts).
    const facts = { visits: lead.context?.visits, pagesViewed: lead.context?.pagesViewed }
    for (const reason of lead.reasons) lines.push([{ text: reasonLine(reason, locale, facts), italic: true }])
  }
  return lines
}

/** Cuts plain text to `max` UTF-16 units without splitting a surrogate pair (an emoji). */
function cutText(text: string, max: number): string {
  let cut = text.slice(0, Math.max(0, max))
  const last = cut.charCodeAt(cut.length - 1)
  if (last >= 0xd800 && last <= 0xdbff) cut = cut.slice(0, -1)
  return cut
}

/**
 * Renders lines to HTML whose visible text fits `limit`. Cutting happens on the plain text before
 * escaping, so an entity like `&amp;` or a tag is never cut in half.
 */
export function renderCard(lines: Line[], limit = TELEGRAM_TEXT_LIMIT): string {
  const ellipsis = '…'
  const out: string[] = []
  let used = 0
  for (const [index, line] of lines.entries()) {
    const separator = index === 0 ? 0 : 1
    const length = line.reduce((sum, span) => sum + span.text.length, 0)
    const rest = lines.slice(index + 1).length > 0
    // With lines after this one, leave room for a line break and the ellipsis, or a cut there
    // would have no room for its mark and the card would end short without saying so.
    if (used + separator + length <= limit && (!rest || used + separator + length <= limit - 1 - ellipsis.length)) {
      out.push(line.map(renderSpan).join(''))
      used += separator + length
      continue
    }
    // This line does not fit whole: keep what fits of it, then mark the cut.
    let room = limit - used - separator - ellipsis.length
    const kept: Span[] = []
    for (const span of line) {
      if (room <= 0) break
      const text = cutText(span.text, room)
      if (text) kept.push({ ...span, text })
      room -= text.length
      if (text.length < span.text.length) break
    }
    kept.push({ text: ellipsis })
    if (used + separator + ellipsis.length <= limit) out.push(kept.map(renderSpan).join(''))
    break
  }
  return out.join('\n')
}

/** Visible length of rendered card HTML as Telegram counts it (tags removed, entities decoded). */
export function visibleLength(html: string): number {
  return html
    .replace(/<[^>]+>/g, '')
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&quot;', '"')
    .replaceAll('&amp;', '&').length
}

export function telegramCard(lead: LeadPayload, type: EventType, options: CardOptions = {}): string {
  return renderCard(cardLines(lead, type, options), options.limit)
}
