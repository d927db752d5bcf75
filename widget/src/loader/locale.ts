// The locale choice and the launcher's text: all of i18n the first load (widget.js) needs. Apart
// from STRINGS, whose object the bundler cannot drop from the loader once it shares a module.
import type { Locale } from '../../../shared/schemas/site-config'

export type { Locale }

/**
 * The launcher's text, the only string of the first load (widget.js): kept apart from STRINGS so
 * the loader does not carry every other text. STRINGS uses it, so there is still one place per language.
 */
export const LAUNCHER: Record<Locale, string> = { ru: 'Перезвоните мне', en: 'Call me back' }

/** The chat launcher's name (it shows an icon only), also of the first load. */
export const CHAT_LAUNCHER: Record<Locale, string> = { ru: 'Написать в чат', en: 'Chat with us' }

/**
 * `ru`, `ru-RU` and `RU` all mean Russian; anything we have no strings for is `undefined`.
 * Checks LAUNCHER, not STRINGS, for the same reason (size of the first load).
 */
export function toLocale(value: unknown): Locale | undefined {
  const code = typeof value === 'string' ? value.slice(0, 2).toLowerCase() : ''
  return code in LAUNCHER ? (code as Locale) : undefined
}

/**
 * The page's own language (`<html lang="en">`): on a site with ru and en versions it beats the
 * site config's single locale; only the tag's `data-locale` beats it.
 */
export function pageLocale(): Locale | undefined {
  return toLocale(document.documentElement.lang)
}
