// Response bodies and error codes of the public API, shared so the widget and tests read the same shapes.

export const ERROR_CODES = [
  'invalid_json',
  'validation_failed',
  'contact_required',
  'invalid_phone',
  'invalid_email',
  'consent_required',
  'id_conflict',
  'already_taken',
  /** A lead set to `junk` without a reason (wrong_number, spam, off_target, duplicate, other). */
  'reason_required',
  /** A reason given with a status other than `junk`. */
  'reason_not_allowed',
  /** The lead's personal data was erased: its status no longer changes, its deliveries are never sent again. */
  'lead_erased',
  /** A target host's DNS look-up failed at config save, so its addresses could not be checked (503). */
  'target_unresolved',
  'unknown_site',
  'origin_not_allowed',
  'unauthorized',
  /** A console session that existed and is over: expired, signed out, or its token revoked. */
  'session_expired',
  /** A cookie-authenticated change without the session's X-CSRF-Token or from another origin. */
  'csrf_failed',
  'forbidden',
  'not_found',
  /** PUT /v1/admin/sites/:site with `If-None-Match: *` (create only) for a site that exists (412). */
  'site_exists',
  'method_not_allowed',
  'payload_too_large',
  'unsupported_media_type',
  'rate_limited',
  /** An inbound CRM event from another account than the target's (amoCRM account[subdomain]). */
  'account_mismatch',
  /** A signed inbound request whose timestamp is more than 5 minutes off (HubSpot): a replay. */
  'request_expired',
  /** The CRM could not be asked about the lead an event names; nothing changed, send it again. */
  'crm_unavailable',
  'internal_error',
  /** A test lead for a target the site does not have (POST /v1/admin/sites/:site/test-leads). */
  'unknown_target',
  /** A test lead for a target that writes or calls the visitor, without a lead to reach: send `lead` with your own contact. */
  'lead_required',
  /** The replay of a delivery whose attempt is under way: replay it once that attempt ends. */
  'delivery_busy',
] as const
export type ErrorCode = (typeof ERROR_CODES)[number]

export interface FieldIssue {
  /** Dotted path into the request body, e.g. `contact.phone`. */
  path: string
  /**
   * What kind of problem, for programs: `required`, `wrong_type`, `unknown_field`,
   * `unknown_value`, `too_short`, `too_long`, `too_small`, `too_big`, `invalid_format`, `invalid`,
   * `redacted_mismatch` (a redacted secret sent back that matches nothing stored),
   * `private_address`, `unresolved`, `unavailable` (a target this runtime cannot serve), or a flow
   * checker code (`unknown_node`, `unreachable`, …). Absent on older answers.
   */
  code?: string
  /** In plain words, naming what is allowed where that helps. */
  message: string
}

export interface ApiErrorBody {
  error: { code: ErrorCode; message: string; issues?: FieldIssue[] }
}

export interface LeadAcceptedBody {
  id: string
  status: 'accepted'
  /** True when the site already has a lead with this phone or email inside the dedupe window. */
  duplicate: boolean
  reply: { text: string }
  /** 0–100, computed by the worker from what was submitted. */
  score: number
  temperature: 'hot' | 'warm' | 'cold'
  /**
   * Auto-dial will call: now (`ringing_manager`) or later (`scheduled`); the widget then follows
   * GET /v1/leads/:id/status. Absent when the site has no auto-dial or the lead is not a callback.
   */
  call?: 'ringing_manager' | 'scheduled'
}

export function isApiErrorBody(value: unknown): value is ApiErrorBody {
  if (typeof value !== 'object' || value === null || !('error' in value)) return false
  const error = (value as { error: unknown }).error
  return typeof error === 'object' && error !== null && 'code' in error && 'message' in error
}
