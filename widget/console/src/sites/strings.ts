// The Sites page's words, Russian and English (the wizard's own are in wizard-strings.ts, its chunk).
import { useStrings } from '../i18n'

const en = {
  title: 'Sites',
  intro: 'Every site the widget runs on, with its allowed origins, country and language.',
  newSite: 'New site',
  empty: 'No sites yet. Create the first one: the wizard takes a few minutes.',
  columns: { site: 'Site', origins: 'Allowed origins', country: 'Country', locale: 'Language', targets: 'Targets', updated: 'Changed' },
  tableLabel: 'Sites',
  noOrigins: 'none',
  openSettings: (site: string) => `Settings of ${site}`,
  locales: { ru: 'Russian', en: 'English' } as Record<string, string>,
  newSiteTitle: 'New site',
}

export type SitesWords = typeof en

const ru: SitesWords = {
  title: 'Сайты',
  intro: 'Все сайты, на которых работает виджет, с разрешёнными адресами, страной и языком.',
  newSite: 'Новый сайт',
  empty: 'Сайтов пока нет. Создайте первый: мастер займёт несколько минут.',
  columns: { site: 'Сайт', origins: 'Разрешённые адреса', country: 'Страна', locale: 'Язык', targets: 'Получатели', updated: 'Изменён' },
  tableLabel: 'Сайты',
  noOrigins: 'нет',
  openSettings: (site) => `Настройки ${site}`,
  locales: { ru: 'русский', en: 'английский' },
  newSiteTitle: 'Новый сайт',
}

const WORDS = { en, ru }

export function useSitesStrings(): SitesWords {
  return WORDS[useStrings().locale]
}
