// The one interface every delivery target implements.
import type { EventType, LeadPayload } from '../../model/lead'
import type { EmailBinding } from '../../auto-reply/email-providers'
import type { JunkReason, LeadActor, LeadEventSource, LeadStatus } from '../../../../shared/schemas/lead-status'

/** `data.status` of a `lead.status_changed` webhook: what changed, when and by whom. */
export interface StatusChangeData {
  from: LeadStatus
  to: LeadStatus
  /** With `junk` only. */
  reason?: JunkReason
  note?: string
  /** ISO 8601 */
  at: string
  by: LeadActor
  /** Through what it came: a receiver that syncs a CRM can skip the changes that came from it. */
  source: LeadEventSource
}

export interface DeliveryEvent {
  /** Stable across retries: the receiver's idempotency key (`webhook-id`). */
  deliveryId: string
  type: EventType
  lead: LeadPayload
  /** When the event happened (the lead was stored, its status changed…), unix ms. */
  occurredAt: number
  /** Set for `lead.status_changed`. */
  statusChange?: StatusChangeData
  /** Set for `quality.alert` / `quality.recovered`: the notice's data (quality/quality-notice.ts). */
  notice?: { data: unknown }
}

export type AdapterResult =
  /**
   * `note`: something worth logging about a success (contact already existed, nothing to send).
   * `externalId`: the target's id for the lead (an amoCRM lead, a HubSpot contact), which its
   * outcome events name. `skipped`: nothing was sent, on purpose (the visitor left no address, a
   * repeat, an event this target does not take); the delivery is recorded as `skipped`, with
   * `note` saying why, rather than `delivered`.
   */
  | { outcome: 'delivered'; httpStatus: number | null; note?: string; externalId?: string; skipped?: true }
  | { outcome: 'retry'; httpStatus: number | null; error: string; retryAfterSeconds: number | null }
  | { outcome: 'failed'; httpStatus: number | null; error: string }

export interface AdapterContext {
  fetch: typeof fetch
  now: () => number
  timeoutMs: number
  /** The Cloudflare Email Service binding (`[[send_email]]` SEND_EMAIL); absent where not configured. */
  email?: EmailBinding
}

/**
 * What a retry after an unclear outcome (timeout, crash, 500) may do. `at-least-once`: send again,
 * the target or our lookup drops a duplicate, or a duplicate is cheaper than a lost lead.
 * `at-most-once`: the provider has no idempotency key and the message goes to the visitor, so an
 * unclear outcome is recorded as a failure instead of risking a second SMS or email.
 */
export type DeliveryGuarantee = 'at-least-once' | 'at-most-once'
