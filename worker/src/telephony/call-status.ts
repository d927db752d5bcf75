// What GET /v1/leads/:id/status tells the widget about a lead's call: its phase and, for a
// scheduled call, when. Nothing personal: no number, no manager, no reason.
import type { CallRecord } from './call-store'

export type PublicCallPhase = 'ringing_manager' | 'calling_you' | 'connected' | 'missed' | 'scheduled'

export interface PublicCallStatus {
  call: PublicCallPhase
  /** ISO 8601; for a scheduled call, when it will ring. */
  at?: string
}

/**
 * Null when the lead gets no call (not dialled, over a cap): the widget then keeps the ordinary
 * promise. `pending`: the call delivery is stored but its first attempt has not run yet.
 */
export function publicCallStatus(call: CallRecord | null, pending: boolean): PublicCallStatus | null {
  if (!call) return pending ? { call: 'ringing_manager' } : null
  switch (call.state) {
    case 'skipped':
      return null
    case 'scheduled':
      return call.scheduledAt !== null ? { call: 'scheduled', at: new Date(call.scheduledAt).toISOString() } : { call: 'scheduled' }
    case 'ringing_manager':
    case 'calling_you':
    case 'connected':
    case 'missed':
      return { call: call.state }
    case 'failed':
      // A provider refusal reads to the visitor like any call that did not reach them.
      return { call: 'missed' }
  }
}
