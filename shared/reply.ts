// Which reply text the worker answers a lead with: the in-hours one or the off-hours one, decided
// by the same hours logic the widget uses to show its promise, so both always say the same thing.
import { isOpen } from './hours'
import { defaultReplyText } from './messages'
import type { Hours } from './schemas/widget-settings'
import type { Locale } from './schemas/site-config'

const DEFAULT_OFF_HOURS: Record<Locale, string> = {
  en: 'Thank you! We are closed right now and will call you back at the time you chose.',
  ru: 'Спасибо! Сейчас мы не работаем и перезвоним в выбранное вами время.',
}

export interface ReplyConfig {
  locale: Locale
  reply?: { text: string } | undefined
  replyOffHours?: { text: string } | undefined
  hours?: Hours | undefined
}

/**
 * The reply for a lead that arrives at `date`. A site without hours is always open.
 *
 * @example
 * const replyText = replyTextFor(config, new Date(meta.now))
 */
export function replyTextFor(config: ReplyConfig, date: Date): string {
  const open = !config.hours || isOpen(config.hours.week, config.hours.timezone, date)
  if (open) return config.reply?.text ?? defaultReplyText(config.locale)
  return config.replyOffHours?.text ?? DEFAULT_OFF_HOURS[config.locale]
}
