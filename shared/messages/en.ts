// The English visitor texts of shared/messages.ts, in a module of their own so the widget's English
// strings chunk carries no Russian (and the Russian one no English).
import type { VisitorErrorCode } from '../messages'

export const EN_ERRORS: Record<VisitorErrorCode, string> = {
  contact_required: 'Please leave a phone number or an email address.',
  invalid_phone: 'This phone number does not look right. Please check it.',
  invalid_email: 'This email address does not look right. Please check it.',
  consent_required: 'Please confirm that you agree to the processing of your data.',
  validation_failed: 'Some fields are not filled in correctly.',
  rate_limited: 'Too many requests. Please try again in a minute.',
}

export const EN_DEFAULT_REPLY = 'Thank you! We will call you back shortly.'

export function secondsEn(seconds: number): string {
  return `${seconds} ${seconds === 1 ? 'second' : 'seconds'}`
}
