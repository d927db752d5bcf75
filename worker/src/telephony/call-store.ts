// The call-flow port: a call's state and legs beside its delivery row, its timeline, and the dial
// log the caps count. sql-call-store.ts implements it on D1 and node:sqlite.

/** What the widget may learn (GET /v1/leads/:id/status) plus the states it never sees. */
export type CallState = 'skipped' | 'scheduled' | 'ringing_manager' | 'calling_you' | 'connected' | 'missed' | 'failed'

export type LegOutcome = 'manager_missed' | 'visitor_answered' | 'visitor_missed' | 'failed'

export interface CallLeg {
  id: string
  deliveryId: string
  seq: number
  managerId: string
  providerCallId: string | null
  placedAt: number
  managerAnsweredAt: number | null
  endedAt: number | null
  outcome: LegOutcome | null
}

export interface CallRecord {
  deliveryId: string
  leadId: string
  siteId: string
  state: CallState
  reason: string | null
  scheduledAt: number | null
  updatedAt: number
  legs: CallLeg[]
}

export interface CallEventRecord {
  deliveryId: string
  legId: string | null
  at: number
  kind: string
  detail: string | null
}

export interface DialCaps {
  /** The same number is not dialled again within this long, on any site. */
  numberIntervalMs: number
  /** …nor more than this many times in 24 hours, on all sites together. */
  numberPerDay: number
  sitePerHour: number
  sitePerDay: number
}

export type DialRefusal = 'number_interval' | 'number_per_day' | 'site_per_hour' | 'site_per_day'

export interface CallStore {
  find(deliveryId: string): Promise<CallRecord | null>
  /** A lead's calls, newest first. */
  listForLead(leadId: string): Promise<CallRecord[]>
  /** The first look at a call: its state (skipped, scheduled or ringing) and the event saying why. */
  open(
    call: { deliveryId: string; leadId: string; siteId: string; state: CallState; reason: string | null; scheduledAt: number | null },
    event: { kind: string; detail: string },
    now: number,
  ): Promise<void>
  setState(deliveryId: string, state: CallState, reason: string | null, event: { kind: string; detail: string; legId?: string }, now: number): Promise<void>
  /**
   * Counts one dial against the caps and records it, in one statement, so two leads at once cannot
   * both take the last place; null when it was recorded, else the cap that refused it.
   */
  reserveDial(dial: { phoneHash: string; siteId: string; leadId: string }, caps: DialCaps, now: number): Promise<DialRefusal | null>
  addLeg(
    leg: { id: string; deliveryId: string; seq: number; managerId: string; providerCallId: string | null; visitorHash: string },
    event: { kind: string; detail: string },
    now: number,
  ): Promise<void>
  /** The leg a notification is about: by our id, the provider's, or (Zadarma) the visitor's number hash, latest first. */
  /** The newest leg of this site's target that matches, or null (another target's legs are never found). */
  findLeg(scope: { siteId: string; targetId: string }, by: { legId?: string; providerCallId?: string; visitorHash?: string }): Promise<CallLeg | null>
  /** The provider's id for a leg, once a notification names it (Mango's call_id); the first one stays. */
  nameProviderCall(leg: CallLeg, providerCallId: string): Promise<void>
  markManagerAnswered(leg: CallLeg, detail: string, now: number): Promise<void>
  endLeg(leg: CallLeg, outcome: LegOutcome, detail: string, now: number): Promise<void>
  listEvents(leadId: string): Promise<CallEventRecord[]>
  /** A replayed call starts a fresh round: its legs are forgotten (the timeline keeps them). */
  restart(deliveryId: string, now: number): Promise<void>
  /** Makes a pending call delivery due now (the manager's phone stopped ringing before T). */
  pullForward(deliveryId: string, now: number): Promise<boolean>
  /**
   * The sweep: numbers' hashes are kept only as long as the caps look back (24 h): dials older
   * than that are deleted, and older legs forget the visitor's hash.
   */
  prune(now: number): Promise<void>
  /** Speed to lead: the first manager action, if none is recorded yet. */
  recordFirstAction(leadId: string, now: number): Promise<void>
}
