// The form's texts in the visitor's language only: each language is a chunk of its own, fetched
// once the locale is known (after the site config), so the app on first use carries one of them.
import type { Locale, Strings } from '../view/i18n'

export function loadStrings(locale: Locale): Promise<Strings> {
  return locale === 'ru' ? import('../view/strings/ru').then((m) => m.RU) : import('../view/strings/en').then((m) => m.EN)
}
