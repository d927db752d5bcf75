// The callback form's rules, without the DOM: checking input, building the lead, reading replies.
import type { ApiErrorBody } from '../../../shared/api'
import type { LeadInput } from '../../../shared/schemas/lead'
import type { SendLeadResult } from '../core/api'
import type { Strings } from '../view/i18n'
import type { LeadContextInput } from '../core/lead-context'

export interface CallbackValues {
  phone: string
  name: string
  consent: boolean
  /** The honeypot: people never see it, form-filling bots do. */
  hp: string
  /** ISO time the visitor picked outside working hours; empty inside them. */
  callbackAt?: string
}

/** The phone check of the lazily loaded phone chunk: E.164 when possible, else `null`. */
export type PossibleNumber = (value: string) => string | null

/** Form fields a server error can point at; `email` is the exit offer's contact field. */
export type Field = 'phone' | 'name' | 'email' | 'consent'
export type FieldErrors = Partial<Record<Field, string>>

export interface Feedback {
  fields: FieldErrors
  /** For the polite live region: the reply, or what went wrong outside any one field. */
  message: string
  accepted: boolean
}

export const NO_FEEDBACK: Feedback = { fields: {}, message: '', accepted: false }

/** Real numbers have more; the worker does the real check with full phone metadata. */
const MIN_PHONE_DIGITS = 5

/** `null` when the values may be sent; otherwise one message per field to fix. */
export function checkCallback(values: CallbackValues, consentRequired: boolean, strings: Strings, possible?: PossibleNumber): FieldErrors | null {
  const errors: FieldErrors = {}
  const digits = values.phone.replace(/\D/g, '').length
  // Until the phone chunk has arrived, a digit count is the best check the form has.
  if (possible ? !possible(values.phone) : digits < MIN_PHONE_DIGITS) {
    errors.phone = values.phone.trim() ? strings.phoneInvalid : strings.phoneMissing
  }
  if (consentRequired && !values.consent) errors.consent = strings.consentMissing
  return Object.keys(errors).length ? errors : null
}

/**
 * What the chat hands over when the visitor picks "call me instead": the form starts from it, and
 * its lead carries the chat's answers, so the manager and the scoring see the whole conversation.
 */
export type CallbackPrefill = Pick<LeadInput, 'message' | 'answers' | 'transcript'> & {
  name?: string | undefined
  phone?: string | undefined
}

export interface BuildCallbackLeadOptions {
  id: string
  site: string
  values: CallbackValues
  /** The consent text the visitor saw next to the checkbox; omit when no checkbox was shown. */
  consentText?: string | undefined
  context: LeadContextInput
  elapsedMs: number
  possible?: PossibleNumber | undefined
  prefill?: CallbackPrefill | undefined
}

/** The body of POST /v1/leads for a callback request, in the shape of the shared `LeadSchema`. */
export function buildCallbackLead(options: BuildCallbackLeadOptions): LeadInput {
  const { id, site, values, consentText, context, elapsedMs, possible, prefill } = options
  // E.164 when the phone chunk can tell: the worker parses national numbers with the site's
  // country, which is wrong for a visitor who picked another one.
  const contact: LeadInput['contact'] = { phone: possible?.(values.phone) ?? values.phone.trim() }
  const name = values.name.trim()
  if (name) contact.name = name
  const lead: LeadInput = {
    id,
    site,
    source: 'callback',
    contact,
    context,
    hp: values.hp,
    elapsedMs,
  }
  if (consentText !== undefined) lead.consent = { given: values.consent, text: consentText }
  if (values.callbackAt) lead.callbackAt = values.callbackAt
  if (prefill?.message) lead.message = prefill.message
  if (prefill?.answers) lead.answers = prefill.answers
  if (prefill?.transcript) lead.transcript = prefill.transcript
  return lead
}

const FIELD_BY_CODE: Partial<Record<ApiErrorBody['error']['code'], Field>> = {
  contact_required: 'phone',
  invalid_phone: 'phone',
  invalid_email: 'email',
  consent_required: 'consent',
}

/** `contact.phone` → `phone`, `consent.given` → `consent`; other paths belong to no field. */
function fieldOfPath(path: string): Field | undefined {
  const [head, leaf] = path.split('.')
  if (head === 'consent') return 'consent'
  if (head === 'contact' && (leaf === 'phone' || leaf === 'name' || leaf === 'email')) return leaf
  return undefined
}

/**
 * Turns the worker's answer into what the visitor sees: field errors next to the fields shown,
 * everything else in the live region.
 */
export function describeResult(
  result: SendLeadResult,
  strings: Strings,
  shown: readonly Field[],
  /** The lead waits in the outbox after a failure: the visitor is done, nothing to retry. */
  queued = false,
): Feedback {
  if (result.kind === 'accepted') {
    return { fields: {}, message: result.body.reply.text, accepted: true }
  }
  if (result.kind === 'failed' && queued) return { fields: {}, message: strings.queued, accepted: true }
  if (result.kind === 'failed') {
    return { ...NO_FEEDBACK, message: result.status === 0 ? strings.offline : strings.failed }
  }
  const { status, error } = result
  if (status === 429 || error?.code === 'rate_limited') {
    return { ...NO_FEEDBACK, message: strings.rateLimited }
  }
  if (!error) return { ...NO_FEEDBACK, message: strings.failed }
  const fields: FieldErrors = {}
  let general = false
  const place = (field: Field | undefined, message: string) => {
    if (field && shown.includes(field)) fields[field] ??= message
    else general = true
  }
  if (error.issues?.length) {
    for (const issue of error.issues) place(fieldOfPath(issue.path), issue.message)
  } else {
    place(FIELD_BY_CODE[error.code], error.message)
  }
  // An issue on a field the visitor cannot see (or cannot fix) still needs a word from us.
  return { fields, message: general ? error.message : '', accepted: false }
}
