// The one interface every delivery target implements.
import type { EventType, LeadPayload } from '../../storage/types'

export interface DeliveryEvent {
  /** Stable across retries: the receiver's idempotency key (`webhook-id`). */
  deliveryId: string
  type: EventType
  lead: LeadPayload
  /** When the event happened (the lead was stored), unix ms. */
  occurredAt: number
}

export type AdapterResult =
  /** `note`: something worth logging about a success (contact already existed, nothing to send). */
  | { outcome: 'delivered'; httpStatus: number | null; note?: string }
  | { outcome: 'retry'; httpStatus: number | null; error: string; retryAfterSeconds: number | null }
  | { outcome: 'failed'; httpStatus: number | null; error: string }

export interface AdapterContext {
  fetch: typeof fetch
  now: () => number
  timeoutMs: number
}
