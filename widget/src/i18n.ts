// Every visitor-facing string of the widget, one dictionary per locale.
import { visitorErrorMessage } from '../../shared/messages'
import type { Locale } from '../../shared/schemas/site-config'

export type { Locale }

export interface Strings {
  launcher: string
  title: string
  close: string
  phone: string
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
    launcher: 'Перезвоните мне',
    title: 'Обратный звонок',
    close: 'Закрыть',
    phone: 'Телефон',
    name: 'Имя (необязательно)',
    honeypot: 'Не заполняйте это поле',
    submit: 'Жду звонка',
    sending: 'Отправляем…',
    phoneMissing: 'Укажите, пожалуйста, номер телефона.',
    offline: 'Не удалось отправить: нет связи. Проверьте интернет и нажмите «Жду звонка» ещё раз.',
    failed: 'Не удалось отправить заявку. Попробуйте ещё раз чуть позже.',
    ...serverTexts('ru'),
  },
  en: {
    launcher: 'Call me back',
    title: 'Request a call back',
    close: 'Close',
    phone: 'Phone',
    name: 'Name (optional)',
    honeypot: 'Leave this field empty',
    submit: 'Request a call',
    sending: 'Sending…',
    phoneMissing: 'Please enter your phone number.',
    offline: 'Could not send: no connection. Check your internet and press “Request a call” again.',
    failed: 'Could not send your request. Please try again a little later.',
    ...serverTexts('en'),
  },
}

/** `ru`, `ru-RU` and `RU` all mean Russian; anything we have no strings for is `undefined`. */
export function toLocale(value: unknown): Locale | undefined {
  const code = typeof value === 'string' ? value.slice(0, 2).toLowerCase() : ''
  return Object.keys(STRINGS).includes(code) ? (code as Locale) : undefined
}
