// Visitor-facing texts the worker answers with, per locale, so the widget can show them as they are.
import type { ErrorCode } from './api'
import type { Locale } from './schemas/site-config'

type VisitorErrorCode = Extract<
  ErrorCode,
  'contact_required' | 'invalid_phone' | 'invalid_email' | 'consent_required' | 'validation_failed' | 'rate_limited'
>

const ERRORS: Record<Locale, Record<VisitorErrorCode, string>> = {
  en: {
    contact_required: 'Please leave a phone number or an email address.',
    invalid_phone: 'This phone number does not look right. Please check it.',
    invalid_email: 'This email address does not look right. Please check it.',
    consent_required: 'Please confirm that you agree to the processing of your data.',
    validation_failed: 'Some fields are not filled in correctly.',
    rate_limited: 'Too many requests. Please try again in a minute.',
  },
  ru: {
    contact_required: 'Оставьте, пожалуйста, телефон или e-mail.',
    invalid_phone: 'Похоже, в номере телефона ошибка. Проверьте его, пожалуйста.',
    invalid_email: 'Похоже, в адресе e-mail ошибка. Проверьте его, пожалуйста.',
    consent_required: 'Подтвердите, пожалуйста, согласие на обработку персональных данных.',
    validation_failed: 'Некоторые поля заполнены неверно.',
    rate_limited: 'Слишком много запросов. Попробуйте ещё раз через минуту.',
  },
}

const DEFAULT_REPLY: Record<Locale, string> = {
  en: 'Thank you! We will call you back shortly.',
  ru: 'Спасибо! Мы скоро перезвоним.',
}

export function visitorErrorMessage(code: VisitorErrorCode, locale: Locale): string {
  return ERRORS[locale][code]
}

export function defaultReplyText(locale: Locale): string {
  return DEFAULT_REPLY[locale]
}

/**
 * "N seconds" for the call-back promise, both in the widget's form and in the worker's reply, so
 * the two agree. Russian "в течение" takes the genitive: 1, 21, 31… секунды; every other number
 * секунд.
 */
export function secondsText(seconds: number, locale: Locale): string {
  if (locale === 'en') return `${seconds} ${seconds === 1 ? 'second' : 'seconds'}`
  return `${seconds} ${seconds % 10 === 1 && seconds % 100 !== 11 ? 'секунды' : 'секунд'}`
}
