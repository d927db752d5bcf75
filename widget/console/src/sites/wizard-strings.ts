// The new-site wizard's words, Russian and English: in the wizard's own chunk, not the first load.
import { useStrings } from '../i18n'

const en = {
  title: 'New site',
  progress: (step: number, of: number) => `Step ${step} of ${of}`,
  steps: ['The site', 'Texts, consent and hours', 'Where leads go', 'The tag to paste', 'A test lead'],
  next: 'Next',
  back: 'Back',
  checking: 'Checking…',
  create: 'Create the site',
  creating: 'Creating…',
  refused: 'Nothing was created: fix the fields marked below.',
  otherIssues: 'Other problems:',
  leave: 'The new site is not created yet. Leave the wizard?',
  key: 'Site key',
  keyHint: 'Lowercase letters, digits, "-" and "_"; the tag and the API name the site by it. It cannot be changed later.',
  keyExists: (key: string) => `A site "${key}" already exists; choose another key (the wizard never replaces a site; change that one in Settings).`,
  origins: 'Allowed origins',
  originsHint: 'One per line, like https://shop.example: the pages the widget may send leads from (scheme, host and port, no path).',
  country: 'Country',
  countryHint: 'Two letters (RU, KZ, DE…): the phone picker starts with it.',
  locale: 'Language of the widget',
  textsIntro: 'What visitors read. Everything here is optional: empty fields keep the defaults in the visitor’s language.',
  targetsIntro: 'Add the place new leads are sent to: a webhook, Telegram or your CRM. You can add more later.',
  noTarget: 'Without a target leads are only kept here, in the console.',
  skipTarget: 'Continue without a target',
  created: (site: string) => `Site "${site}" is created.`,
  embedIntro: 'Paste the tag on the site’s pages, then send a test lead.',
  testIntro: 'A test lead is delivered to every target for real and marked as a test: stats and alerts leave it out.',
  sendTest: 'Send a test lead',
  sending: 'Sending…',
  done: 'Go to the leads',
  settingsLink: 'Open the site’s settings',
}

export type WizardWords = typeof en

const ru: WizardWords = {
  title: 'Новый сайт',
  progress: (step, of) => `Шаг ${step} из ${of}`,
  steps: ['Сайт', 'Тексты, согласие и часы работы', 'Куда идут заявки', 'Тег для вставки', 'Тестовая заявка'],
  next: 'Далее',
  back: 'Назад',
  checking: 'Проверяем…',
  create: 'Создать сайт',
  creating: 'Создаём…',
  refused: 'Ничего не создано: исправьте отмеченные поля.',
  otherIssues: 'Другие ошибки:',
  leave: 'Новый сайт ещё не создан. Выйти из мастера?',
  key: 'Ключ сайта',
  keyHint: 'Строчные латинские буквы, цифры, «-» и «_»; по нему сайт называют тег и API. Изменить его потом нельзя.',
  keyExists: (key) => `Сайт «${key}» уже есть; выберите другой ключ (мастер не заменяет сайты; тот меняйте в настройках).`,
  origins: 'Разрешённые адреса',
  originsHint: 'По одному в строке, например https://shop.example: страницы, с которых виджет может отправлять заявки (схема, хост и порт, без пути).',
  country: 'Страна',
  countryHint: 'Две буквы (RU, KZ, DE…): с неё начинается выбор кода телефона.',
  locale: 'Язык виджета',
  textsIntro: 'То, что читают посетители. Всё здесь необязательно: пустые поля оставляют тексты по умолчанию на языке посетителя.',
  targetsIntro: 'Добавьте, куда отправлять новые заявки: вебхук, Telegram или ваша CRM. Других можно добавить позже.',
  noTarget: 'Без получателя заявки только хранятся здесь, в консоли.',
  skipTarget: 'Продолжить без получателя',
  created: (site) => `Сайт «${site}» создан.`,
  embedIntro: 'Вставьте тег на страницы сайта, затем отправьте тестовую заявку.',
  testIntro: 'Тестовая заявка по-настоящему доставляется каждому получателю и помечена как тестовая: статистика и оповещения её не учитывают.',
  sendTest: 'Отправить тестовую заявку',
  sending: 'Отправляем…',
  done: 'К заявкам',
  settingsLink: 'Открыть настройки сайта',
}

const WORDS = { en, ru }

export function useWizardStrings(): WizardWords {
  return WORDS[useStrings().locale]
}
