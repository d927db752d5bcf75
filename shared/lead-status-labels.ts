// The lead statuses and junk reasons in words, per locale: the console shows them, and the CRM and
// Telegram messages of the closed loop can say them the same way. Pure data, no DOM.
import type { Locale } from './locales'
import type { JunkReason, LeadStatus } from './schemas/lead-status'

export const STATUS_LABELS: Record<Locale, Record<LeadStatus, string>> = {
  en: {
    new: 'New',
    in_work: 'In work',
    qualified: 'Qualified',
    won: 'Won',
    not_now: 'Not now',
    junk: 'Junk',
  },
  ru: {
    new: 'Новая',
    in_work: 'В работе',
    qualified: 'Квалифицирована',
    won: 'Сделка',
    not_now: 'Не сейчас',
    junk: 'Брак',
  },
}

export const JUNK_REASON_LABELS: Record<Locale, Record<JunkReason, string>> = {
  en: {
    wrong_number: 'Wrong number',
    spam: 'Spam',
    off_target: 'Off target',
    duplicate: 'Duplicate',
    other: 'Other',
  },
  ru: {
    wrong_number: 'Неверный номер',
    spam: 'Спам',
    off_target: 'Нецелевая',
    duplicate: 'Дубль',
    other: 'Другое',
  },
}

/**
 * A status as a person reads it, with the reason for junk.
 * @example
 * statusText('junk', 'wrong_number', 'ru') // → 'Брак: неверный номер'
 */
export function statusText(status: LeadStatus, reason: JunkReason | null | undefined, locale: Locale): string {
  const label = STATUS_LABELS[locale][status]
  if (status !== 'junk' || !reason) return label
  const why = JUNK_REASON_LABELS[locale][reason]
  return `${label}: ${why.charAt(0).toLowerCase()}${why.slice(1)}`
}
