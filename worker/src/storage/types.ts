// The storage seams. D1 implements them today; a store inside Russia (152-FZ art. 18 p. 5) can
// implement the same interfaces later without touching routes or delivery.
import type { LeadAnswers, LeadContext, LeadOutput, LeadSource } from '../../../shared/schemas/lead'
import type { Locale, SiteConfig } from '../../../shared/schemas/site-config'
import type { ScoreReason, Temperature } from '../../../shared/score'
import type { Manager } from '../../../shared/schemas/routing'
import type { SpamFlag } from '../pipeline/spam-rules'

export interface SiteRecord {
  id: string
  config: SiteConfig
  createdAt: number
  updatedAt: number
}

export interface SiteStore {
  getSite(id: string): Promise<SiteRecord | null>
  listSites(): Promise<SiteRecord[]>
  putSite(id: string, config: SiteConfig, now: number): Promise<'created' | 'replaced'>
  /** Whether any site lists this exact Origin (CORS preflights carry no site key). */
  isKnownOrigin(origin: string): Promise<boolean>
}

export interface LeadContact {
  name?: string
  /** E.164 */
  phone?: string
  /** Domain lower-cased. */
  email?: string
}

/** The lead as targets receive it in `data`. */
export interface LeadPayload {
  id: string
  site: string
  source: LeadSource
  contact: LeadContact
  message?: string
  answers?: LeadAnswers
  transcript?: LeadOutput['transcript']
  /** Where the server's replay of the chatbot flow ended and the variables it set (e.g. `route`). */
  flow?: { status: string; vars: Record<string, string | number | boolean> }
  callbackAt?: string
  consent?: { given: boolean; text: string }
  context?: LeadContext
  /** The language the visitor saw the widget in (the lead's `locale`): auto-replies speak it. */
  locale?: Locale
  createdAt: string
  duplicate: boolean
  /** The first lead of this contact inside the dedupe window. */
  duplicateOf?: string
  score: number
  temperature: Temperature
  reasons: ScoreReason[]
  /** The responsible manager, from the site's routing (absent in first-come mode until taken). */
  manager?: Manager
  /** How many times the SLA moved the lead on because nobody took it. */
  escalations?: number
  /** Set once the lead escalated: who is told about it. */
  headOfSales?: Manager
}

export type LeadStatus = 'accepted' | 'spam'

export interface NewLead {
  payload: LeadPayload
  status: LeadStatus
  /** Why a spam lead is spam; empty otherwise. */
  flags: SpamFlag[]
  replyText: string
  ip: string | null
  userAgent: string | null
  createdAt: number
}

export type DeliveryStatus = 'pending' | 'delivered' | 'failed'
export type EventType = 'lead.created' | 'lead.repeated' | 'lead.escalated'

/** The event type is decided inside the insert (created, or repeated when the contact is known). */
export interface NewDelivery {
  id: string
  targetId: string
  nextAttemptAt: number
}

export interface InsertPlan {
  deliveries: NewDelivery[]
  /** Null: do not dedupe (spam, or dedupe switched off). */
  dedupeWindowMs: number | null
}

export type InsertResult = { status: 'inserted'; duplicateOf: string | null } | { status: 'exists' }

export interface LeadRecord {
  payload: LeadPayload
  status: LeadStatus
  flags: SpamFlag[]
  replyText: string
  createdAt: number
  takenBy: string | null
  erased: boolean
}

export type TakeResult = { status: 'taken' } | { status: 'already_taken'; takenBy: string } | { status: 'not_found' }

export interface LeadQuery {
  siteId?: string
  /** unix ms, inclusive */
  from?: number
  /** unix ms, exclusive */
  to?: number
  temperature?: Temperature
  spam?: boolean
  duplicate?: boolean
  limit: number
  before?: { createdAt: number; id: string }
}

export interface LeadStore {
  findLead(id: string): Promise<LeadRecord | null>
  /**
   * Writes the lead, its dedupe keys and its deliveries atomically, linking it to an earlier lead
   * with the same phone or email; `exists` when the id is already stored.
   */
  insertLead(lead: NewLead, plan: InsertPlan): Promise<InsertResult>
  /** Newest first; `before` is the last row of the previous page. */
  listLeads(query: LeadQuery): Promise<LeadRecord[]>
  /** Ids of a site's leads with this phone (E.164) or email (any case). */
  findByContact(siteId: string, contact: { phone?: string; email?: string }): Promise<string[]>
  /** Ids of a site's leads created before `before` whose personal data is not erased yet. */
  listExpired(siteId: string, before: number, limit: number): Promise<string[]>
  /**
   * Clears personal fields (name, phone, email, message, answers, page, IP, user agent, consent
   * text) and forgets the dedupe keys; pending deliveries are cancelled so nothing personal leaves
   * after the erasure. Returns how many deliveries were cancelled.
   */
  erasePersonalData(leadIds: string[], now: number): Promise<{ leads: number; deliveriesCancelled: number }>
  /** The site's next round-robin turn (0, 1, 2, …), atomically. */
  nextRoutingTurn(siteId: string): Promise<number>
  /** Records the responsible manager (and escalation count) in the row and the payload targets get. */
  assignManager(leadId: string, manager: Manager | null, escalations: number, headOfSales?: Manager): Promise<void>
  /** First press wins: marks the lead taken by this manager unless someone took it already. */
  takeLead(leadId: string, managerId: string, now: number): Promise<TakeResult>
}

export interface DeliveryRecord {
  id: string
  leadId: string
  siteId: string
  targetId: string
  eventType: EventType
  status: DeliveryStatus
  attempts: number
  nextAttemptAt: number
  lastError: string | null
  deliveredAt: number | null
  createdAt: number
}

export interface ClaimedDelivery extends DeliveryRecord {
  lead: Pick<LeadRecord, 'payload' | 'createdAt'>
  /**
   * An earlier attempt claimed this delivery and never recorded an outcome (the worker stopped
   * mid-attempt, after the request may have gone out): its lease expired instead of being released.
   */
  interrupted: boolean
}

export type AttemptOutcome = 'delivered' | 'retry' | 'failed'

export interface AttemptRecord {
  deliveryId: string
  attempt: number
  startedAt: number
  durationMs: number
  httpStatus: number | null
  outcome: AttemptOutcome
  error: string | null
  /** Required when the outcome is `retry`. */
  nextAttemptAt?: number
}

export interface AttemptLogEntry extends AttemptRecord {}

export interface DeliveryStore {
  /**
   * Takes a due, pending delivery for one attempt (a lease), so the immediate attempt, a queue
   * message and the sweep never send the same delivery at once. Null when it is not claimable.
   */
  claimDelivery(id: string, now: number, leaseMs: number): Promise<ClaimedDelivery | null>
  getDelivery(id: string): Promise<DeliveryRecord | null>
  /** Logs the attempt and moves the delivery to its new state in one batch, releasing the lease. */
  finishAttempt(record: AttemptRecord, now: number): Promise<void>
  /** Adds deliveries of an existing lead (escalation notices), due now. */
  addDeliveries(leadId: string, siteId: string, deliveries: { id: string; targetId: string; eventType: EventType }[], now: number): Promise<void>
  /** Makes deliveries pending and due now with a fresh retry schedule; returns the ids changed. */
  requeue(selector: { ids: string[] } | { siteId: string; status: 'failed' }, now: number): Promise<string[]>
  /** Marks a still-pending delivery failed without an attempt (dead-lettered, target removed). */
  failDelivery(id: string, error: string, now: number): Promise<void>
  listForLeads(leadIds: string[]): Promise<DeliveryRecord[]>
  listAttempts(deliveryId: string): Promise<AttemptLogEntry[]>
  /** Pending deliveries whose wake-up is overdue by more than `graceMs` and that nobody holds. */
  listOverdue(now: number, graceMs: number, limit: number): Promise<string[]>
}

export interface Rejection {
  siteId: string
  code: string
  source: string | null
  utmSource: string | null
  utmCampaign: string | null
  page: string | null
  createdAt: number
}

export const STATS_GROUPS = ['utm_source', 'utm_campaign', 'source', 'page'] as const
export type StatsGroupBy = (typeof STATS_GROUPS)[number]

export interface SourceQualityRow {
  /** The group's value; null for submissions without it (e.g. no UTM tags). */
  group: string | null
  /** Stored leads plus refused submissions. */
  submissions: number
  accepted: number
  spam: number
  invalidPhone: number
  /** Refused for anything else the visitor sent (no contact, bad email, no consent, rate limit). */
  otherRejected: number
  duplicates: number
  hot: number
  warm: number
  cold: number
  /** Lead stored → first target confirmed, over delivered leads; null when none was delivered. */
  medianFirstDeliveryMs: number | null
}

export interface StatsStore {
  recordRejection(rejection: Rejection): Promise<void>
  sourceQuality(query: { siteId: string; from: number; to: number; by: StatsGroupBy }): Promise<SourceQualityRow[]>
}
