// Plain-text summary of a lead for CRM comments and notes, in Russian: answers as the visitor saw
// them, callback time, score reasons.
import { answerLine } from '../../../../shared/flow/answer-labels'
import type { LeadSource } from '../../../../shared/schemas/lead'
import type { Temperature } from '../../../../shared/score'
import { reasonLine } from '../../../../shared/score-reasons'
import type { LeadPayload } from '../../model/lead'
import { callbackTime } from './callback-time'

const SOURCE_TITLES: Record<LeadSource, string> = {
  callback: 'Обратный звонок',
  chat: 'Чат на сайте',
  form: 'Заявка с сайта',
  exit_intent: 'Заявка при уходе с сайта',
}

const TEMPERATURES: Record<Temperature, string> = { hot: 'горячая', warm: 'тёплая', cold: 'холодная' }

/** Marks a test lead's title in a CRM's lists, so nobody calls the made-up person back. */
export const TEST_TITLE_PREFIX = '[TEST] '

/** A short title for CRM lists: what happened and who. */
export function leadTitle(lead: LeadPayload): string {
  const who = lead.contact.name ?? lead.contact.phone ?? lead.contact.email ?? lead.id
  return `${lead.test ? TEST_TITLE_PREFIX : ''}${SOURCE_TITLES[lead.source]}: ${who}`
}

function answerText(value: unknown): string {
  if (Array.isArray(value)) return value.map(String).join(', ')
  if (typeof value === 'boolean') return value ? 'да' : 'нет'
  return String(value)
}

/** Lines a manager reads in the CRM: the message, answers, callback time, score and why. */
export function leadSummaryLines(lead: LeadPayload): string[] {
  const lines: string[] = []
  if (lead.test) lines.push('Тестовая заявка из Leadcatcher: проверка интеграции, перезванивать не нужно.')
  if (lead.message) lines.push(`Сообщение: ${lead.message}`)
  for (const [question, value] of Object.entries(lead.answers ?? {})) {
    const label = lead.answerLabels?.[question]
    lines.push(label ? answerLine(label) : `${question}: ${answerText(value)}`)
  }
  const callback = callbackTime(lead, 'ru')
  if (callback) lines.push(`Перезвонить: ${callback}`)
  lines.push(`Оценка: ${lead.score}/100 (${TEMPERATURES[lead.temperature]})`)
  const facts = { visits: lead.context?.visits, pagesViewed: lead.context?.pagesViewed }
  for (const reason of lead.reasons) lines.push(`  ${reasonLine(reason, 'ru', facts)}`)
  if (lead.context?.page) lines.push(`Страница: ${lead.context.page}`)
  if (lead.duplicateOf) lines.push(`Повторная заявка (первая: ${lead.duplicateOf})`)
  if (lead.manager) lines.push(`Менеджер: ${lead.manager.name}`)
  lines.push(`Leadcatcher: ${lead.id}`)
  return lines
}
