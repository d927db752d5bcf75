// The callback time a manager reads on a card or in a CRM note: the visitor's chosen instant in the
// visitor's own zone, with its offset, since that is the clock the visitor picked it on.
import type { LeadPayload } from '../../model/lead'

const OPTIONS: Intl.DateTimeFormatOptions = {
  weekday: 'short',
  day: 'numeric',
  month: 'short',
  hour: '2-digit',
  minute: '2-digit',
  timeZoneName: 'shortOffset',
}

/**
 * @example
 * callbackTime({ callbackAt: '2026-11-24T07:00:00.000Z', context: { timezone: 'Europe/Moscow' } }, 'ru')
 * // 'вт, 24 нояб., 10:00 GMT+3'
 */
export function callbackTime(lead: Pick<LeadPayload, 'callbackAt' | 'context'>, locale: 'ru' | 'en'): string | null {
  if (!lead.callbackAt) return null
  const at = new Date(lead.callbackAt)
  if (Number.isNaN(at.getTime())) return lead.callbackAt
  const timeZone = lead.context?.timezone
  try {
    return new Intl.DateTimeFormat(locale, { ...OPTIONS, ...(timeZone && { timeZone }) }).format(at)
  } catch {
    // A zone the runtime does not know: UTC, with its offset shown, rather than a wrong local time.
    return new Intl.DateTimeFormat(locale, { ...OPTIONS, timeZone: 'UTC' }).format(at)
  }
}
