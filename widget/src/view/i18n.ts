// Every visitor-facing string of the widget, one dictionary per locale (strings/<locale>.ts).
import type { Locale } from '../../../shared/schemas/site-config'
import { EN } from './strings/en'
import { RU } from './strings/ru'

export type { Locale }
export { LAUNCHER, pageLocale, toLocale } from '../loader/locale'

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

/**
 * Both languages, for the chat (a lazy chunk) and tests. The form's view gets one language from
 * load-strings.ts instead, so the app on first use does not carry the other.
 */
export const STRINGS: Record<Locale, Strings> = { ru: RU, en: EN }
