// What a telephony provider adapter is asked to do (place one call: the manager first, then the
// visitor) and what it answers; and the call outcomes a provider's notifications tell us.
import type { Locale } from '../../../../shared/locales'
import type { AdapterResult } from '../../delivery/adapters/types'

export interface CallOrder {
  /** Our id for this leg: Mango's command_id, UIS's external_id, in Twilio's callback URL. */
  legId: string
  /** The manager's number, extension or SIP id: rung first. */
  operator: string
  /** The visitor, E.164: rung once the manager answers. */
  visitor: string
  ringSeconds: number
  /** Where this target's notifications go (`…/v1/telephony/<site>/<target>`), when known. */
  notifyUrl: string | null
  locale: Locale
}

/** A placed call names the provider's id for it where the answer has one. */
export type PlaceCallResult = { outcome: 'delivered'; httpStatus: number | null; providerCallId: string | null; note?: string } | Exclude<AdapterResult, { outcome: 'delivered' }>

/**
 * What a notification says about one leg: `manager_ringing` names the provider's id of the
 * manager's ringing call (Mango's call_id, needed to hang it up), `manager_answered` starts the visitor's leg,
 * `manager_missed` moves on to the next manager, the visitor's own ends close the call.
 */
export type CallEventKind = 'manager_ringing' | 'manager_answered' | 'manager_missed' | 'visitor_answered' | 'visitor_missed' | 'failed'

export interface CallEvent {
  kind: CallEventKind
  /** Finds the leg: our leg id, the provider's call id, or the visitor's number (Zadarma). */
  legId?: string
  providerCallId?: string
  visitor?: string
  /** The provider's own words, for the log. */
  detail: string
}

/** A verified notification: the events in it (often none) and the body to answer with. */
export type NotificationResult =
  | { ok: true; events: CallEvent[]; reply?: { body: string; contentType: string } }
  | { ok: false; status: 400 | 401; code: 'unauthorized' | 'validation_failed'; message: string }

/** PHP's urlencode (RFC 1738, what http_build_query uses): space as "+", only A–Z a–z 0–9 - _ . kept. */
export function phpUrlencode(value: string): string {
  return encodeURIComponent(value)
    .replace(/[!'()*~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, '+')
}

/** The number without "+": how UIS, Mango and Zadarma write phone numbers. */
export function digitsOf(e164: string): string {
  return e164.replace(/^\+/, '')
}

/** An answer from the shared HTTP helpers: a success there names no call id. */
export function asPlaceResult(result: AdapterResult): PlaceCallResult {
  return result.outcome === 'delivered' ? { outcome: 'delivered', httpStatus: result.httpStatus, providerCallId: null } : result
}

/**
 * Ending a manager's leg that still rings at T, before the next manager is rung: `released` (the
 * provider took the hang-up), `gone` (it says there is no such call any more: the leg is over
 * anyway), `unsupported` (the provider has no such command, or we lack its id for the call), or
 * `failed` (unclear: the phone may still ring).
 */
export type ReleaseResult = { outcome: 'released' | 'gone' } | { outcome: 'unsupported'; why: string } | { outcome: 'failed'; error: string }
