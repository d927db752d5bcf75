// Visitor-facing texts the worker answers with, per locale, so the widget can show them as they are.
// Each language's texts live in messages/<locale>.ts, which the widget imports one at a time.
import type { ErrorCode } from './api'
import { EN_DEFAULT_REPLY, EN_ERRORS, secondsEn } from './messages/en'
import { RU_DEFAULT_REPLY, RU_ERRORS, secondsRu } from './messages/ru'
import type { Locale } from './schemas/site-config'

export type VisitorErrorCode = Extract<ErrorCode, 'contact_required' | 'invalid_phone' | 'invalid_email' | 'consent_required' | 'validation_failed' | 'rate_limited'>

const ERRORS: Record<Locale, Record<VisitorErrorCode, string>> = { en: EN_ERRORS, ru: RU_ERRORS }

const DEFAULT_REPLY: Record<Locale, string> = { en: EN_DEFAULT_REPLY, ru: RU_DEFAULT_REPLY }

export function visitorErrorMessage(code: VisitorErrorCode, locale: Locale): string {
  return ERRORS[locale][code]
}

export function defaultReplyText(locale: Locale): string {
  return DEFAULT_REPLY[locale]
}

/**
 * "N seconds" for the call-back promise, both in the widget's form and in the worker's reply, so
 * the two agree (Russian takes the genitive: messages/ru.ts).
 */
export function secondsText(seconds: number, locale: Locale): string {
  return locale === 'en' ? secondsEn(seconds) : secondsRu(seconds)
}
