// What the admin API answers, as the console reads it. Written from worker/src/http-routes
// (lead-view.ts, admin-stats.ts, admin-replay.ts, admin-take.ts): the console imports shared/ only,
// never worker code, so these types restate the routes' JSON over the shared types.
import type { LeadAnswers, LeadContext, LeadOutput, LeadSource } from '../../../shared/schemas/lead'
import type { JunkReason, LeadHistoryEntry, LeadStatus } from '../../../shared/schemas/lead-status'
import type { Manager } from '../../../shared/schemas/routing'
import type { ScoreReason, Temperature } from '../../../shared/score'

/** `skipped`: finished without sending, on purpose (an auto-reply to a visitor who left no address). */
export type DeliveryStatus = 'pending' | 'delivered' | 'skipped' | 'failed'

export interface DeliveryView {
  id: string
  targetId: string
  eventType: string
  status: DeliveryStatus
  attempts: number
  /** ISO 8601; pending deliveries only. */
  nextAttemptAt: string | null
  lastError: string | null
  deliveredAt: string | null
}

export interface AttemptView {
  attempt: number
  at: string
  durationMs: number | null
  httpStatus: number | null
  outcome: string
  error: string | null
}

/** A row of GET /v1/admin/leads: the stored payload, its lifecycle and its deliveries. */
export interface LeadView {
  id: string
  site: string
  source: LeadSource
  contact: { name?: string; phone?: string; email?: string }
  message?: string
  answers?: LeadAnswers
  /** The answers as the visitor saw them: the question and the label clicked, in their language. */
  answerLabels?: Record<string, { question: string; answer: string }>
  transcript?: LeadOutput['transcript']
  callbackAt?: string
  context?: LeadContext
  createdAt: string
  duplicate: boolean
  duplicateOf?: string
  score: number
  temperature: Temperature
  reasons: ScoreReason[]
  manager?: Manager
  escalations?: number
  /** Set in the payload by the erasure (personal fields are gone). */
  erased?: boolean
  /** A test lead (Targets' "send a test lead", the live preview): delivered, counted nowhere. */
  test?: boolean
  status: LeadStatus
  junkReason: JunkReason | null
  firstActionAt: string | null
  takenBy: string | null
  spam: boolean
  flags: { code: string; detail: string }[]
  reply: { text: string }
  deliveries: DeliveryView[]
}

/** GET /v1/admin/leads/:id and the answer to PATCH: every attempt and the history. */
export interface LeadDetail extends LeadView {
  deliveries: (DeliveryView & { log: AttemptView[] })[]
  history: LeadHistoryEntry[]
}

export interface LeadPage {
  leads: LeadView[]
  nextCursor: string | null
}

export const STATS_GROUPS = ['utm_source', 'utm_campaign', 'campaign', 'source_type', 'page'] as const
export type StatsGroupBy = (typeof STATS_GROUPS)[number]

export const TREND_GROUPS = ['utm_campaign', 'campaign', 'utm_source', 'page'] as const
export type TrendGroupBy = (typeof TREND_GROUPS)[number]

export interface StatsRow {
  group: string | null
  /** Submissions: stored leads plus refused ones. */
  leads: number
  accepted: number
  stored: number
  rejected: number
  spam: number
  spamPercent: number
  invalidPhonePercent: number
  duplicatePercent: number
  repeatPercent: number
  hot: number
  warm: number
  cold: number
  new: number
  inWork: number
  qualified: number
  won: number
  notNow: number
  junk: number
  junkByReason: Record<JunkReason, number>
  qualifiedPercent: number
  wonPercent: number
  junkPercent: number
  medianFirstDeliveryMs: number | null
  medianFirstActionMs: number | null
  /** Cost per lead for rows by source or campaign, one entry per currency; absent from older servers. */
  spend?: { currency: string; cost: number; perLead: number | null; perQualified: number | null; perWon: number | null }[]
}

/** Time to the first action over some leads (docs/api.md, GET /v1/admin/stats `speedToLead`). */
export interface SpeedFigures {
  leads: number
  answered: number
  medianMs: number | null
  p90Ms: number | null
  withinSla: { decided: number; within: number; percent: number } | null
}

export interface SpeedToLeadReport extends SpeedFigures {
  byManager: (SpeedFigures & { managerId: string | null })[]
  bySource: (SpeedFigures & { source: LeadSource })[]
  byHour: (SpeedFigures & { hour: number })[]
  timeZone: string
  truncated: boolean
}

export interface StatsReport {
  site: string
  by: StatsGroupBy
  from: string
  to: string
  groups: StatsRow[]
  /** Absent from servers older than the closed loop. */
  speedToLead?: SpeedToLeadReport
}

export interface TrendPoint {
  period: string
  start: string
  leads: number
  qualifiedPercent: number | null
  junkPercent: number | null
}

export interface TrendReport {
  site: string
  by: TrendGroupBy
  period: 'week' | 'month'
  timeZone: string
  from: string
  to: string
  groups: { group: string | null; leads: number; periods: TrendPoint[] }[]
}

/** A row of GET /v1/admin/deliveries: a delivery with its lead and when it was made. */
export interface SiteDelivery extends DeliveryView {
  leadId: string
  createdAt: string
}

export interface DeliveryPage {
  site: string
  deliveries: SiteDelivery[]
  nextCursor: string | null
}

/** A row of GET /v1/admin/sites: every site for the operator, its own for a site token. */
export interface SiteSummary {
  site: string
  origins: string[]
  /** ISO 3166-1 alpha-2, the phone picker's first country. */
  country: string
  locale: string
  /** How many targets leads go to. */
  targets: number
  createdAt: string
  updatedAt: string
}

export interface SiteList {
  sites: SiteSummary[]
}

/** GET /v1/admin/sites/:site (secrets redacted); the console reads the managers only. */
export interface SiteView {
  site: string
  config: { routing?: { managers: Manager[] } }
  /** Things to fix in the config (auto-dial without a captcha); absent when there are none. */
  warnings?: { code: string; path: string; message: string }[]
}
