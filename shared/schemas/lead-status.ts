// The lead lifecycle a manager moves a lead through, the reasons a lead is junk, and the body of
// PATCH /v1/admin/leads/:id. Shared so the console shows and sends exactly what the worker accepts.
import * as v from 'valibot'

/**
 * `new` until someone acts on it; `in_work` once taken; `not_now` keeps the contact for later
 * campaigns; `junk` always carries a reason. A lead caught as spam at ingest starts as junk/spam.
 */
export const LEAD_STATUSES = ['new', 'in_work', 'qualified', 'won', 'not_now', 'junk'] as const
export type LeadStatus = (typeof LEAD_STATUSES)[number]

export const JUNK_REASONS = ['wrong_number', 'spam', 'off_target', 'duplicate', 'other'] as const
export type JunkReason = (typeof JUNK_REASONS)[number]

/** A manager's note on a lead (it may hold personal data: erasure clears it). */
export const NOTE_MAX_LENGTH = 2000

/**
 * `reason` is required with `junk` and refused with any other status; the worker answers those
 * two cases with their own codes (`reason_required`, `reason_not_allowed`), so they are checked
 * there, after this shape check.
 *
 * @example
 * v.parse(LeadStatusChangeSchema, { status: 'junk', reason: 'wrong_number', note: 'Номер не существует' })
 */
export const LeadStatusChangeSchema = v.strictObject({
  status: v.picklist(LEAD_STATUSES, `must be one of ${LEAD_STATUSES.join(', ')}`),
  reason: v.optional(v.picklist(JUNK_REASONS, `must be one of ${JUNK_REASONS.join(', ')}`)),
  note: v.optional(v.pipe(v.string('must be text'), v.maxLength(NOTE_MAX_LENGTH, `must be at most ${NOTE_MAX_LENGTH} characters`))),
})
export type LeadStatusChange = v.InferOutput<typeof LeadStatusChangeSchema>

/** Who acted on a lead, as its history and the `lead.status_changed` webhook name them. */
export interface LeadActor {
  kind: 'operator' | 'site_token' | 'manager' | 'telegram' | 'crm' | 'system'
  /** The manager id, the Telegram user id, the CRM's name; null for the operator, a site token and the system. */
  id: string | null
}

/**
 * Through what a change came: the admin API or the console (`admin`), the Telegram card, a CRM's
 * outcome event, a call (auto-dial), or the system itself. `by` says who; this says how.
 */
export const EVENT_SOURCES = ['admin', 'telegram', 'bitrix24', 'amocrm', 'hubspot', 'call', 'system'] as const
export type EventSourceKind = (typeof EVENT_SOURCES)[number]

export interface LeadEventSource {
  kind: EventSourceKind
  /** The source's own name for what happened: a CRM status id, a HubSpot `property=value`, a call id. */
  ref: string | null
}

/** One entry of a lead's `history` in the admin API, oldest first. */
export interface LeadHistoryEntry {
  id: string
  /** ISO 8601 */
  at: string
  /** `take`: "Take it" was pressed (it moves a `new` lead to `in_work`); `note`: a note, the status unchanged. */
  kind: 'status' | 'take' | 'note'
  /** Null when the status did not change (a note, or a take of a lead already past `new`). */
  from: LeadStatus | null
  to: LeadStatus | null
  reason: JunkReason | null
  note: string | null
  by: LeadActor
  source: LeadEventSource
}
