// The storage ports, one per aggregate: sites, site tokens, console sessions, leads, SLA checks,
// deliveries, stats, rate limits and health. SQL implements them for both runtimes (sql-*.ts over
// D1 or node:sqlite); routes, the pipeline and delivery see only these interfaces.
import type { SiteConfig } from '../../../shared/schemas/site-config'
import type { Temperature } from '../../../shared/score'
import type { Manager } from '../../../shared/schemas/routing'
import type { EventType, LeadPayload, SpamFlag } from '../model/lead'
import type { LeadSource } from '../../../shared/schemas/lead'
import type { JunkReason, LeadActor, LeadEventSource, LeadStatus as LeadStage } from '../../../shared/schemas/lead-status'
import type { AlertState, WindowCounts, WindowTotals } from '../quality/junk-spike'
import type { SpeedRow } from '../stats/speed-to-lead'
import type { SpendDay } from '../spend/parse-spend'
import type { DigestLead } from '../daily-digest/build-digest'
import type { RateDecision, RateLimit } from '../security/rate-limiter'
import type { ReturnedRead } from './sql-database'

export interface SiteRecord {
  id: string
  config: SiteConfig
  createdAt: number
  updatedAt: number
}

export interface SiteStore {
  getSite(id: string): Promise<SiteRecord | null>
  listSites(): Promise<SiteRecord[]>
  /** Saves the config and, in the same transaction, keeps it as the site's next version (config-versions). */
  putSite(id: string, config: SiteConfig, now: number, note?: SaveNote): Promise<'created' | 'replaced'>
  /** Whether any site lists this exact Origin (CORS preflights carry no site key). */
  isKnownOrigin(origin: string): Promise<boolean>
}

/** Who saved a config version: the admin token, the operator's console session, a site token (its label), or the system. */
export interface ConfigAuthor {
  kind: 'admin_token' | 'console_session' | 'site_token' | 'system'
  name: string
}

/** What putSite records with the version it keeps. Without one: the system saved it. */
export interface SaveNote {
  by: ConfigAuthor
  /** The version a restore copied. */
  restoredFrom?: number
}

export interface ConfigVersionRecord {
  siteId: string
  version: number
  config: SiteConfig
  by: ConfigAuthor
  restoredFrom: number | null
  savedAt: number
}

export type ConfigVersionSummary = Omit<ConfigVersionRecord, 'config'>

export interface ConfigVersionStore {
  /** The site's versions, newest first, those below `before` when given. */
  listVersions(siteId: string, page: { limit: number; before?: number }): Promise<ConfigVersionSummary[]>
  getVersion(siteId: string, version: number): Promise<ConfigVersionRecord | null>
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

/** `skipped`: finished without sending anything, on purpose (an auto-reply to a visitor who left no address). */
export type DeliveryStatus = 'pending' | 'delivered' | 'skipped' | 'failed'

/** The event type is decided inside the insert (created, or repeated when the contact is known). */
export interface NewDelivery {
  id: string
  targetId: string
  nextAttemptAt: number
}

export interface InsertPlan<T = undefined> {
  deliveries: NewDelivery[]
  /** Null: do not dedupe (spam, or dedupe switched off). */
  dedupeWindowMs: number | null
  /**
   * The first SLA check, written with the lead so a crash after the insert cannot leave a lead
   * that nobody escalates (the queue or the scheduler only wakes it up).
   */
  slaDueAt?: number
  /**
   * One hit on each limit, counted in the same transaction as RateLimiter.hit counts it: the lead
   * is stored only when the hit is allowed, and a replay (`exists`) spends no budget. This makes
   * the whole ingest one round trip where nothing else has to be read first.
   */
  limits?: RateLimit[]
  /** A read returned with the stored lead's row, which it sees (the campaign check's totals). */
  after?: ReturnedRead<T>
}

export type InsertResult<T = undefined> =
  | { status: 'inserted'; duplicateOf: string | null; after?: T }
  | { status: 'exists' }
  /** Over one of `plan.limits`: nothing was stored or counted. */
  | { status: 'limited'; decision: Extract<RateDecision, { allowed: false }> }

export interface LeadRecord {
  payload: LeadPayload
  /** The ingest verdict; the lifecycle is `stage`. */
  status: LeadStatus
  flags: SpamFlag[]
  replyText: string
  createdAt: number
  takenBy: string | null
  erased: boolean
  /** Where a manager has got with the lead (the admin API's `status`); spam starts as junk/spam. */
  stage: LeadStage
  /** Set with `junk` only. */
  junkReason: JunkReason | null
  /** The first take or status change by a person, unix ms. */
  firstActionAt: number | null
}

export type LeadEventKind = 'status' | 'take' | 'note'

/** One entry of a lead's history. */
export interface LeadEvent {
  id: string
  leadId: string
  siteId: string
  at: number
  actor: LeadActor
  kind: LeadEventKind
  /** Null when the status did not change (a note, a take of a lead already past `new`). */
  from: LeadStage | null
  to: LeadStage | null
  reason: JunkReason | null
  note: string | null
  /** Through what it came (the admin API, Telegram, a CRM, a call). */
  source: LeadEventSource
}

/** What the status change is and who makes it; `reason` only with junk. */
export interface StatusChange {
  leadId: string
  to: LeadStage
  reason: JunkReason | null
  note: string | null
  actor: LeadActor
  at: number
  /** `admin` when absent. */
  source?: LeadEventSource
  /**
   * For events from outside (a CRM, a call): when it happened there, unix ms. With `source.ref`,
   * the change applies only if the source reported nothing newer and not this same ref last
   * (`stale` otherwise), and the source's cursor moves even when our status stays.
   */
  sourceAt?: number
}

/**
 * Written with a take or a status change, in the same transaction: the event's id and the
 * `lead.status_changed` deliveries (webhook targets), which are stored only if the status really
 * changes.
 */
export interface LifecyclePlan {
  eventId: string
  deliveries: NewDelivery[]
}

/**
 * `unchanged`: the lead already had this status (and reason) and no note came, so nothing was
 * written; `noted`: the status was the same, the note was recorded.
 */
export type StatusChangeResult = { status: 'changed' | 'noted' | 'unchanged' | 'not_found' | 'erased' | 'stale' }

export interface TakeOptions {
  /** Who pressed "Take it"; the manager themselves when absent. */
  actor?: LeadActor
  /** `admin` when absent. */
  source?: LeadEventSource
  plan?: LifecyclePlan
}

/** `statusChanged`: the lead was `new` at the moment of the take and went in work (its deliveries were stored). */
/** `erased`: the lead's personal data was erased before anybody took it; nobody can take it now. */
export type TakeResult = { status: 'taken'; statusChanged: boolean } | { status: 'already_taken'; takenBy: string } | { status: 'erased' } | { status: 'not_found' }

export interface LeadQuery {
  siteId?: string
  /** unix ms, inclusive */
  from?: number
  /** unix ms, exclusive */
  to?: number
  temperature?: Temperature
  spam?: boolean
  duplicate?: boolean
  /** Any of these lifecycle statuses. */
  stages?: LeadStage[]
  /** Junk with this reason. */
  junkReason?: JunkReason
  utmSource?: string
  utmCampaign?: string
  source?: LeadSource
  /** The landing page as stored (origin + path). */
  page?: string
  managerId?: string
  search?: LeadSearch
  limit: number
  before?: { createdAt: number; id: string }
  /** Rows to skip after `before`: the CSV export asks whether anything lies past its cap. */
  offset?: number
}

/**
 * The inbox search box: leads whose name contains `text` (any case, Latin and Cyrillic), whose
 * email contains it (any case), or whose phone is one of `phones` (E.164, normalised by the caller
 * as ingest does) or contains `digits`.
 */
export interface LeadSearch {
  text: string
  phones: string[]
  /** At least 4 digits when the text looks like (part of) a phone number. */
  digits?: string
}

export interface LeadStore {
  findLead(id: string): Promise<LeadRecord | null>
  /**
   * In one round trip: the lead already stored under this id (a replay), or else one hit on every
   * limit counted as RateLimiter.hit counts it. A replay spends no budget.
   */
  admitLead(id: string, limits: RateLimit[], now: number): Promise<{ existing: LeadRecord } | { existing: null; decision: RateDecision }>
  /**
   * Writes the lead, its dedupe keys and its deliveries atomically, linking it to an earlier lead
   * with the same phone or email; `exists` when the id is already stored.
   */
  insertLead<T = undefined>(lead: NewLead, plan: InsertPlan<T>): Promise<InsertResult<T>>
  /** Newest first; `before` is the last row of the previous page. */
  listLeads(query: LeadQuery): Promise<LeadRecord[]>
  /** Ids of a site's leads with this phone (E.164) or email (any case). */
  findByContact(siteId: string, contact: { phone?: string; email?: string }): Promise<string[]>
  /** Ids of a site's leads created before `before` whose personal data is not erased yet. */
  listExpired(siteId: string, before: number, limit: number): Promise<string[]>
  /**
   * Clears personal fields (name, phone, email, message, answers, transcript, page, landing and
   * referrer URLs, click ids, IP, user agent, consent text, spam flag details), the notes in its
   * history and what targets answered, and forgets the dedupe keys and the rate-limit counters of
   * its phone, email and IP; pending deliveries are cancelled so nothing personal leaves after the
   * erasure. Returns how many deliveries were cancelled.
   */
  erasePersonalData(leadIds: string[], now: number): Promise<{ leads: number; deliveriesCancelled: number }>
  /** The site's next round-robin turn (0, 1, 2, …), atomically. */
  nextRoutingTurn(siteId: string): Promise<number>
  /**
   * First press wins: marks the lead taken by this manager and makes them its manager, unless
   * someone took it already; a `new` lead moves to `in_work`, the first action is recorded, and the
   * take is an event (with the plan's deliveries when the status changes), in one transaction.
   */
  takeLead(leadId: string, manager: Manager, now: number, options?: TakeOptions): Promise<TakeResult>
  /**
   * Sets the lifecycle status with its event (and the plan's deliveries) in one transaction; the
   * event's `from` is the status the lead had at that moment.
   */
  changeStatus(change: StatusChange, plan: LifecyclePlan): Promise<StatusChangeResult>
  /** A lead's history, oldest first. */
  listEvents(leadId: string): Promise<LeadEvent[]>
  /** The lead a CRM knows by this id (recorded by the delivery that created it there), or null. */
  findByExternalId(siteId: string, targetId: string, externalId: string): Promise<string | null>
  /**
   * One SLA round, atomically: the new manager, the escalation notices, this check done and the
   * next one due (null after the last round). Only for a lead still untaken at the previous round
   * (not erased, not spam): otherwise only the check is done. Whether it escalated.
   */
  escalateLead(escalation: Escalation, now: number): Promise<boolean>
  /**
   * The manager who has the first lead of this phone or email (the one a repeat links to) since
   * `since` (unix ms), or null when there is none or nobody has it yet.
   */
  firstLeadManager(siteId: string, contact: { phone?: string; email?: string }, since: number): Promise<string | null>
}

export interface Escalation {
  leadId: string
  siteId: string
  round: number
  manager: Manager | null
  headOfSales?: Manager
  notices: { id: string; targetId: string }[]
  nextCheckAt: number | null
}

/** "Check later whether somebody took this lead", as a row. */
export interface SlaCheck {
  leadId: string
  /** The escalation count the check was scheduled at; a stale check finds a higher one and stops. */
  round: number
  /** unix ms */
  dueAt: number
}

export interface SlaStore {
  /** Checks due before `now - graceMs` that are not done yet, oldest first. */
  listDue(now: number, graceMs: number, limit: number): Promise<SlaCheck[]>
  /** A check that needs no escalation (taken, erased, no SLA any more): never listed again. */
  finish(check: Pick<SlaCheck, 'leadId' | 'round'>, now: number): Promise<void>
}

export interface SiteTokenRecord {
  /** The SHA-256 (hex) of the token; the token itself is never stored. */
  hash: string
  siteId: string
  label: string | null
  /** The manager the token was issued to: their takes and status changes are recorded as theirs. */
  managerId: string | null
  createdAt: number
}

export interface SiteTokenStore {
  /** The site a token hash belongs to, or null. */
  findSite(tokenHash: string): Promise<string | null>
  /** The token with this hash, or null. */
  findToken(tokenHash: string): Promise<SiteTokenRecord | null>
  add(token: { hash: string; siteId: string; label: string | null; managerId?: string | null; createdAt: number }): Promise<void>
  /** A site's tokens, oldest first. */
  listTokens(siteId: string): Promise<SiteTokenRecord[]>
  /**
   * Revokes every token of a site, and the console sessions made from them, in one transaction;
   * returns how many tokens.
   */
  revokeAll(siteId: string, now?: number): Promise<number>
  /**
   * Revokes the site's tokens whose hash starts with `idPrefix` (the 8 hex digits the API lists as
   * the id), and their console sessions, in one transaction; returns how many tokens.
   */
  revokeById(siteId: string, idPrefix: string, now: number): Promise<number>
}

export type ConsoleSessionScope = { kind: 'operator' } | { kind: 'site'; siteId: string; managerId: string | null }

export interface NewConsoleSession {
  /** SHA-256 (hex) of the session id in the cookie. */
  idHash: string
  scope: ConsoleSessionScope
  /** The site token's hash, or for the operator an HMAC of the session id keyed with ADMIN_TOKEN. */
  sourceHash: string
  /** SHA-256 (hex) of the CSRF token. */
  csrfHash: string
  createdAt: number
  expiresAt: number
}

export interface ConsoleSessionRecord extends NewConsoleSession {
  revokedAt: number | null
  /** For a site session: whether the site token it was made from still exists. */
  sourceTokenExists: boolean
}

export interface ConsoleSessionStore {
  create(session: NewConsoleSession): Promise<void>
  /** The session with this id hash, expired and revoked ones included (until pruned), or null. */
  find(idHash: string): Promise<ConsoleSessionRecord | null>
  /** Sign-out: marks the session revoked (kept until it expires, so its cookie reads as expired). */
  revoke(idHash: string, now: number): Promise<void>
  /** Deletes sessions whose expiry is at or before `now`; returns how many. */
  pruneExpired(now: number): Promise<number>
}

export interface HealthStore {
  /** Runs a trivial query: throws when the database cannot be reached. */
  ping(): Promise<void>
  /** Names of the applied migrations (the `d1_migrations` table wrangler and the Node server both keep). */
  appliedMigrations(): Promise<string[]>
  /** How late the most overdue pending delivery is, in ms (0 when none is overdue). */
  oldestOverdueDeliveryMs(now: number): Promise<number>
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
  /** The status change a `lead.status_changed` delivery tells about; absent for other events. */
  event?: LeadEvent
  /** The junk-spike notice a `quality.alert` / `quality.recovered` delivery carries. */
  notice?: { id: string; data: unknown; at: number }
  /**
   * An earlier attempt claimed this delivery and never recorded an outcome (the worker stopped
   * mid-attempt, after the request may have gone out): its lease expired instead of being released.
   */
  interrupted: boolean
  /** Until when this claim holds the delivery: its AttemptRecord names it, so a late finish cannot overwrite a later claim's. */
  leaseUntil: number
}

export type AttemptOutcome = 'delivered' | 'skipped' | 'retry' | 'failed'

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
  /** The id the target gave the lead (an amoCRM lead, a HubSpot contact), recorded with a delivered attempt. */
  externalId?: string
  /** The claim's `leaseUntil`: the attempt moves the delivery only while it still holds it. */
  leaseUntil: number
}

export type AttemptLogEntry = Omit<AttemptRecord, 'leaseUntil'>

export interface DeliveryStore {
  /**
   * Takes a due, pending delivery for one attempt (a lease), so the immediate attempt, a queue
   * message and the sweep never send the same delivery at once. Null when it is not claimable.
   */
  claimDelivery(id: string, now: number, leaseMs: number): Promise<ClaimedDelivery | null>
  getDelivery(id: string): Promise<DeliveryRecord | null>
  /**
   * Logs the attempt and moves the delivery to its new state in one batch, releasing the lease, if
   * the attempt still holds it (its own lease, expired or not, or one handed back by releaseLeases).
   * An attempt that outlived its lease while another claimed the delivery is logged, marked so,
   * and leaves the delivery to that claim: false then.
   */
  finishAttempt(record: AttemptRecord, now: number): Promise<boolean>
  /**
   * Makes deliveries pending and due now with a fresh retry schedule; returns the ids changed.
   * Deliveries of erased leads are never made pending again, and one whose attempt is under way
   * (its lease live) is left to that attempt.
   */
  requeue(selector: { ids: string[] } | { siteId: string; status: 'failed' }, now: number): Promise<string[]>
  /** Marks a still-pending delivery failed without an attempt (dead-lettered, target removed). */
  failDelivery(id: string, error: string, now: number): Promise<void>
  listForLeads(leadIds: string[]): Promise<DeliveryRecord[]>
  /** A site's deliveries in these states, newest first; `before` is the last row of the previous page. */
  listByStatus(query: { siteId: string; statuses: DeliveryStatus[]; limit: number; before?: { createdAt: number; id: string } }): Promise<DeliveryRecord[]>
  listAttempts(deliveryId: string): Promise<AttemptLogEntry[]>
  /**
   * Ends leases now that a stopping process still holds, so the next start retries those
   * deliveries at once instead of after the lease time. They count as interrupted (the request may
   * have gone out), so at-most-once targets are not sent again.
   */
  releaseLeases(ids: string[], now: number): Promise<number>
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

/**
 * `campaign`: utm_source and utm_campaign together ("yandex / spring"); `source_type`: the widget
 * part the lead came through (callback, chat, exit_intent, form), the same as `source`.
 */
export const STATS_GROUPS = ['utm_source', 'utm_campaign', 'campaign', 'source', 'source_type', 'page'] as const
export type StatsGroupBy = (typeof STATS_GROUPS)[number]

export const TREND_GROUPS = ['utm_campaign', 'campaign', 'utm_source', 'page'] as const
export type TrendGroupBy = (typeof TREND_GROUPS)[number]
export type TrendPeriod = 'week' | 'month'

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
  /** Lifecycle counts over the stored leads (accepted + spam), by their current status. */
  new: number
  inWork: number
  /** Qualified or further (won): a won lead was qualified first. */
  qualified: number
  won: number
  notNow: number
  /** Junk of any reason, spam caught at ingest included (it is junk/spam from the start). */
  junk: number
  junkByReason: Record<JunkReason, number>
  /** Lead stored → its first take or status change, over leads somebody acted on; null when none. */
  medianFirstActionMs: number | null
}

/** One group in one period of the trend: leads created in that period and where they are now. */
export interface TrendCell {
  group: string | null
  /** The period's first day, `YYYY-MM-DD` in UTC (a Monday for weeks, the 1st for months). */
  periodStart: string
  /** Stored leads (accepted + spam). */
  leads: number
  /** Qualified or won. */
  qualified: number
  junk: number
}

/** A campaign as the junk-spike alerts group leads: utm_source + utm_campaign, or the page without UTM tags. */
export interface QualityGroup {
  utmSource: string | null
  utmCampaign: string | null
  /** Only when both UTM tags are missing. */
  page: string | null
}

export interface QualityGroupState {
  group: QualityGroup
  state: AlertState
  /** For the compare-and-set in `saveState`. */
  version: number
}

/** An alert or recovery notice, and its deliveries, written with the state that caused it. */
export interface QualityNotice {
  id: string
  kind: 'alert' | 'recovered'
  /** The `quality.alert` / `quality.recovered` event's data. */
  data: unknown
  at: number
  /** Each rides on the group's newest lead (deliveries belong to a lead). */
  deliveries: (NewDelivery & { leadId: string })[]
}

export interface QualityQuery {
  limit: number
  windowLeads: number
  dayFrom: number
  baselineFrom: number
  now: number
  fresh?: boolean
}

/** A group's windows (by kind, or leads and junk alone), the site's baseline and the group's state. */
export type QualitySnapshot<W extends WindowTotals = WindowCounts> = QualityGroupState & { recent: W; day: W; baseline: { leads: number; junk: number }; baselineCached: boolean }

export interface QualityStore {
  /**
   * In one read: the group's stored leads and refused invalid phones counted over its last
   * `windowLeads` and over those since `dayFrom` (of its newest `limit`); the site's leads and
   * refused invalid phones in [baselineFrom, now) and how many are junk; and what the site was
   * last told about the group (QUIET, version 0, when nothing yet). The baseline may be up to
   * BASELINE_TTL_MS old (`baselineCached`) unless `fresh` asks for it now.
   */
  snapshot(siteId: string, group: QualityGroup, query: QualityQuery): Promise<QualitySnapshot>
  /**
   * The same read with each window's leads and junk alone, what a verdict needs, as a column of
   * another statement (the lead's insert): no round trip or statement of its own, no counting by kind.
   */
  totalsRead(siteId: string, group: QualityGroup, query: QualityQuery): ReturnedRead<QualitySnapshot<WindowTotals>>
  /** The group's newest stored lead, which a notice's deliveries ride on. */
  newestLead(siteId: string, group: QualityGroup): Promise<string | null>
  /**
   * Writes the new state, and the notice with its deliveries, in one transaction, only if the
   * state is still at `version`; false when another check got there first (nothing written).
   */
  saveState(siteId: string, group: QualityGroup, state: AlertState, version: number, notice: QualityNotice | null): Promise<boolean>
  /** Groups with a spike under way, for the sweep. */
  alertingGroups(limit: number): Promise<{ siteId: string; group: QualityGroup }[]>
  /** The notice a delivery carries. */
  findNotice(id: string): Promise<{ id: string; kind: 'alert' | 'recovered'; data: unknown; at: number } | null>
}

/** Spend summed per campaign and currency over a range of days. */
export interface SpendTotal {
  utmSource: string
  utmCampaign: string
  currency: string
  costMinor: number
}

export interface SpendStore {
  /** Writes every day or none (one transaction); the same day, campaign and currency is replaced. */
  importDays(siteId: string, days: SpendDay[], now: number): Promise<number>
  /** Totals per campaign and currency for the days in [fromDay, toDay] (`YYYY-MM-DD`, inclusive). */
  totals(siteId: string, fromDay: string, toDay: string): Promise<SpendTotal[]>
}

export interface DigestStore {
  /** Marks the site's digest for this local day as sent; false when it already was. */
  claim(siteId: string, day: string, now: number): Promise<boolean>
  /** Takes the claim back after a failed send, so the next sweep tries again. */
  release(siteId: string, day: string): Promise<void>
  /** The site's leads created in [from, to), what the digest counts of them. */
  leads(siteId: string, from: number, to: number): Promise<DigestLead[]>
}

export interface StatsStore {
  recordRejection(rejection: Rejection): Promise<void>
  /** Deletes a site's rejections recorded before `before` (unix ms); returns how many. */
  pruneRejections(siteId: string, before: number): Promise<number>
  sourceQuality(query: { siteId: string; from: number; to: number; by: StatsGroupBy }): Promise<SourceQualityRow[]>
  /** Every (group, period) with at least one lead created in [from, to). */
  sourceTrend(query: { siteId: string; from: number; to: number; by: TrendGroupBy; period: TrendPeriod }): Promise<TrendCell[]>
  /**
   * The accepted leads created in [from, to) with what speed to lead needs (stats/speed-to-lead.ts),
   * at most `limit`, newest first; spam caught at ingest is left out.
   */
  speedRows(query: { siteId: string; from: number; to: number; limit: number }): Promise<SpeedRow[]>
}

/** One allowed origin's widget loads ("Is the tag live?"): counts only, nothing about the visitor. */
export interface TagSeenRow {
  origin: string
  /** The latest counted config fetch, unix ms; null when none was ever counted. */
  lastLoadedAt: number | null
  /** Config fetches counted on `day`. */
  loads: number
}

export interface TagSeenStore {
  /** Adds `loads` config fetches from `origin` on `day` (`YYYY-MM-DD`, UTC), the last one at `at`: one upsert. */
  record(siteId: string, origin: string, day: string, loads: number, at: number): Promise<void>
  /** Per origin of the site that was ever counted: its latest load, and its loads on `day`. */
  status(siteId: string, day: string): Promise<TagSeenRow[]>
}
