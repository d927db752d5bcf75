// Every visitor-facing string of the widget, one dictionary per locale.
import { secondsText, visitorErrorMessage } from '../../shared/messages'
import type { Locale } from '../../shared/schemas/site-config'
import { LAUNCHER } from './locale'

export type { Locale }
export { LAUNCHER, pageLocale, toLocale } from './locale'

export interface Strings {
  launcher: string
  title: string
  close: string
  phone: string
  country: string
  consentMore: string
  consentLess: string
  /** Inside working hours, above the button. */
  callWithin(seconds: number): string
  /** After an in-hours submission: "we are calling you: 0:27". */
  calling(clock: string): string
  /** When the countdown has run out: what happens next (auto-dial's live state replaces it later). */
  callingOver: string
  offHours: string
  /** Closed, and no opening within the slots' horizon (holidays): no time to offer. */
  closed: string
  slot: string
  /** The lead is in the outbox, not lost. */
  queued: string
  contact: string
  contactMissing: string
  dismiss: string
  chat: string
  /** The proactive invite's default text, and its button. */
  chatInvite: string
  chatInviteOpen: string
  name: string
  honeypot: string
  submit: string
  sending: string
  phoneMissing: string
  phoneInvalid: string
  consentMissing: string
  rateLimited: string
  offline: string
  failed: string
}

/** Texts the worker can answer with too come from shared/messages, so both sides say the same. */
function serverTexts(locale: Locale) {
  return {
    phoneInvalid: visitorErrorMessage('invalid_phone', locale),
    consentMissing: visitorErrorMessage('consent_required', locale),
    rateLimited: visitorErrorMessage('rate_limited', locale),
  }
}

export const STRINGS: Record<Locale, Strings> = {
  ru: {
    launcher: LAUNCHER.ru,
    title: 'Обратный звонок',
    close: 'Закрыть',
    phone: 'Телефон',
    country: 'Страна',
    consentMore: 'Подробнее',
    consentLess: 'Свернуть',
    callWithin: (seconds) => `Перезвоним в течение ${secondsText(seconds, 'ru')}.`,
    calling: (clock) => `Уже звоним вам: ${clock}`,
    callingOver: 'Звонка ещё нет? Менеджер перезвонит в ближайшие минуты: ваш номер у нас.',
    offHours: 'Сейчас мы не работаем. Выберите, когда вам позвонить:',
    closed: 'Сейчас мы не работаем. Оставьте номер — перезвоним, как только начнём работу.',
    slot: 'Время звонка',
    queued: 'Заявка сохранена: отправим её, как только появится интернет.',
    contact: 'Телефон или e-mail',
    contactMissing: 'Укажите телефон или e-mail.',
    dismiss: 'Нет, спасибо',
    chat: 'Чат',
    chatInvite: 'Есть вопрос? Спросите в чате — бот ответит сразу.',
    chatInviteOpen: 'Открыть чат',
    name: 'Имя (необязательно)',
    honeypot: 'Не заполняйте это поле',
    submit: 'Жду звонка',
    sending: 'Отправляем…',
    phoneMissing: 'Укажите, пожалуйста, номер телефона.',
    offline: 'Не удалось отправить: нет связи. Проверьте интернет и нажмите «Жду звонка» ещё раз.',
    failed: 'Не удалось отправить заявку. Попробуйте ещё раз чуть позже.',
    .../* @__PURE__ */ serverTexts('ru'),
  },
  en: {
    launcher: LAUNCHER.en,
    title: 'Request a call back',
    close: 'Close',
    phone: 'Phone',
    country: 'Country',
    consentMore: 'Show details',
    consentLess: 'Hide details',
    callWithin: (seconds) => `We will call you back within ${secondsText(seconds, 'en')}.`,
    calling: (clock) => `We are calling you: ${clock}`,
    callingOver: 'No call yet? A manager will call you back within minutes: we have your number.',
    offHours: 'We are closed right now. Choose when we should call you:',
    closed: 'We are closed right now. Leave your number and we will call you as soon as we open.',
    slot: 'Call time',
    queued: 'Saved. We will send it as soon as you are online.',
    contact: 'Phone or email',
    contactMissing: 'Please enter a phone number or an email address.',
    dismiss: 'No, thanks',
    chat: 'Chat',
    chatInvite: 'Have a question? Ask in the chat: the bot answers right away.',
    chatInviteOpen: 'Open chat',
    name: 'Name (optional)',
    honeypot: 'Leave this field empty',
    submit: 'Request a call',
    sending: 'Sending…',
    phoneMissing: 'Please enter your phone number.',
    offline: 'Could not send: no connection. Check your internet and press “Request a call” again.',
    failed: 'Could not send your request. Please try again a little later.',
    .../* @__PURE__ */ serverTexts('en'),
  },
}
