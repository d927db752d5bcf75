// The widget's English texts: a chunk of their own, loaded for an English-speaking visitor only, so
// the app on first use carries one language (load-strings.ts); the chat imports both (i18n.ts).
import { EN_ERRORS, secondsEn } from '../../../../shared/messages/en'
import type { Strings } from '../i18n'
import { LAUNCHER } from '../../loader/locale'

export const EN: Strings = {
  launcher: LAUNCHER.en,
  title: 'Request a call back',
  close: 'Close',
  phone: 'Phone',
  country: 'Country',
  consentMore: 'Show details',
  consentLess: 'Hide details',
  callWithin: (seconds) => `We will call you back within ${secondsEn(seconds)}.`,
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
  // Texts the worker can answer with too come from shared/messages, so both sides say the same.
  phoneInvalid: EN_ERRORS.invalid_phone,
  consentMissing: EN_ERRORS.consent_required,
  rateLimited: EN_ERRORS.rate_limited,
}
