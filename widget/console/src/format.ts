// Dates, durations and percentages in the console's language. Formatters are made once per
// language and option set: a new Intl.DateTimeFormat per table cell is slow on a phone.
import type { Locale } from '../../../shared/locales'

const formatters = new Map<string, Intl.DateTimeFormat>()

function formatter(locale: Locale, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}${JSON.stringify(options)}`
  let f = formatters.get(key)
  if (!f) formatters.set(key, (f = new Intl.DateTimeFormat(locale === 'ru' ? 'ru-RU' : 'en-GB', options)))
  return f
}

/** "12 Nov 2026, 14:05" in the browser's time zone; the ISO text itself if it is not a date. */
export function formatDateTime(iso: string, locale: Locale): string {
  const date = new Date(iso)
  if (Number.isNaN(date.getTime())) return iso
  return formatter(locale, { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' }).format(date)
}

export function formatDate(iso: string, locale: Locale): string {
  const date = new Date(iso)
  if (Number.isNaN(date.getTime())) return iso
  return formatter(locale, { day: 'numeric', month: 'short', year: 'numeric' }).format(date)
}

/** "45 s", "12 min", "3 h 20 min", "2 d 4 h". */
export function formatDuration(ms: number, locale: Locale): string {
  const u = locale === 'ru' ? { s: 'с', min: 'мин', h: 'ч', d: 'д' } : { s: 's', min: 'min', h: 'h', d: 'd' }
  const seconds = Math.round(ms / 1000)
  if (seconds < 60) return `${seconds} ${u.s}`
  const minutes = Math.round(seconds / 60)
  if (minutes < 60) return `${minutes} ${u.min}`
  const hours = Math.floor(minutes / 60)
  if (hours < 24) return minutes % 60 === 0 ? `${hours} ${u.h}` : `${hours} ${u.h} ${minutes % 60} ${u.min}`
  const days = Math.floor(hours / 24)
  return hours % 24 === 0 ? `${days} ${u.d}` : `${days} ${u.d} ${hours % 24} ${u.h}`
}

/** A wait given in seconds, rounded up to what a person would wait for: "40 s", "5 min". */
export function formatWait(seconds: number, locale: Locale): string {
  if (seconds < 60) return formatDuration(Math.ceil(seconds) * 1000, locale)
  return formatDuration(Math.ceil(seconds / 60) * 60_000, locale)
}

/** "44.6 %" (English) or "44,6 %" (Russian); the API rounds to one decimal. */
export function formatPercent(value: number, locale: Locale): string {
  const text = String(Math.round(value * 10) / 10)
  return `${locale === 'ru' ? text.replace('.', ',') : text} %`
}
