// StatsStore on SQL (D1 or node:sqlite): refused submissions, the per-source quality report and its
// trend by week or month.
import { JUNK_REASONS } from '../../../shared/schemas/lead-status'
import type { JunkReason } from '../../../shared/schemas/lead-status'
import type { SqlDatabase } from './sql-database'
import type { SourceQualityRow, StatsGroupBy, StatsStore, TrendCell, TrendPeriod } from './types'
import * as v from 'valibot'
import { LEAD_SOURCES } from '../../../shared/schemas/lead'

const SpeedRowSchema = v.object({
  created_at: v.number(),
  first_action_at: v.nullable(v.number()),
  temperature: v.picklist(['hot', 'warm', 'cold']),
  manager_id: v.nullable(v.string()),
  source: v.picklist(LEAD_SOURCES),
})

/**
 * Column names cannot be bound as parameters; this whitelist is what makes interpolating them
 * safe. The expressions read columns both `leads` and `rejections` have.
 */
const GROUP_EXPRESSIONS: Record<StatsGroupBy, string> = {
  utm_source: 'utm_source',
  utm_campaign: 'utm_campaign',
  // "yandex / spring"; "(none)" for the half that is missing, null when both are.
  campaign: `CASE WHEN utm_source IS NULL AND utm_campaign IS NULL THEN NULL
    ELSE COALESCE(utm_source, '(none)') || ' / ' || COALESCE(utm_campaign, '(none)') END`,
  source: 'source',
  source_type: 'source',
  page: 'page',
}

/** The first day of the lead's period, in UTC: ISO weeks start on Monday. */
const PERIOD_EXPRESSIONS: Record<TrendPeriod, string> = {
  // 'weekday 0' moves on to the next Sunday (or stays on one); six days back is that week's Monday.
  week: `date(created_at / 1000, 'unixepoch', 'weekday 0', '-6 days')`,
  month: `strftime('%Y-%m-01', created_at / 1000, 'unixepoch')`,
}

interface LeadCounts {
  grp: string | null
  accepted: number
  spam: number
  duplicates: number
  hot: number
  warm: number
  cold: number
  new_count: number
  in_work: number
  qualified: number
  won: number
  not_now: number
  junk: number
  [reason: `junk_${string}`]: number
}

/** Test leads (the console's "send a test lead", the preview) are delivered but never counted. */
export const REAL_LEAD = 'test = 0'
const REAL = REAL_LEAD

function emptyJunkByReason(): Record<JunkReason, number> {
  return Object.fromEntries(JUNK_REASONS.map((r) => [r, 0])) as Record<JunkReason, number>
}

// Reasons are the fixed list from shared/, never input.
const JUNK_BY_REASON_SQL = JUNK_REASONS.map((r) => `SUM(stage = 'junk' AND junk_reason = '${r}') AS junk_${r}`).join(',\n')

function median(values: number[]): number | null {
  if (values.length === 0) return null
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 ? sorted[mid]! : Math.round((sorted[mid - 1]! + sorted[mid]!) / 2)
}

interface Timing {
  grp: string | null
  ms: number
}

function byGroup(timings: Timing[]): Map<string | null, number[]> {
  const groups = new Map<string | null, number[]>()
  for (const { grp, ms } of timings) {
    const list = groups.get(grp)
    if (list) list.push(ms)
    else groups.set(grp, [ms])
  }
  return groups
}

export function sqlStatsStore(db: SqlDatabase): StatsStore {
  return {
    async recordRejection(r) {
      await db
        .prepare(
          `INSERT INTO rejections (site_id, code, source, utm_source, utm_campaign, page, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?)`,
        )
        .bind(r.siteId, r.code, r.source, r.utmSource, r.utmCampaign, r.page, r.createdAt)
        .run()
    },

    async pruneRejections(siteId, before) {
      const result = await db.prepare('DELETE FROM rejections WHERE site_id = ? AND created_at < ?').bind(siteId, before).run()
      return result.meta.changes ?? 0
    },

    async sourceQuality({ siteId, from, to, by }) {
      const column = GROUP_EXPRESSIONS[by]
      const [leads, rejections, deliveries, actions] = await db.batch([
        db
          .prepare(
            `SELECT ${column} AS grp,
               SUM(status = 'accepted') AS accepted,
               SUM(status = 'spam') AS spam,
               SUM(status = 'accepted' AND duplicate = 1) AS duplicates,
               SUM(status = 'accepted' AND temperature = 'hot') AS hot,
               SUM(status = 'accepted' AND temperature = 'warm') AS warm,
               SUM(status = 'accepted' AND temperature = 'cold') AS cold,
               SUM(stage = 'new') AS new_count,
               SUM(stage = 'in_work') AS in_work,
               SUM(stage IN ('qualified', 'won')) AS qualified,
               SUM(stage = 'won') AS won,
               SUM(stage = 'not_now') AS not_now,
               SUM(stage = 'junk') AS junk,
               ${JUNK_BY_REASON_SQL}
             FROM leads WHERE site_id = ?1 AND created_at >= ?2 AND created_at < ?3 AND ${REAL}
             GROUP BY grp`,
          )
          .bind(siteId, from, to),
        db
          .prepare(
            `SELECT ${column} AS grp, code, COUNT(*) AS n FROM rejections
             WHERE site_id = ?1 AND created_at >= ?2 AND created_at < ?3 GROUP BY grp, code`,
          )
          .bind(siteId, from, to),
        // Only the lead's first target counts: later events (status changes) are not its delivery.
        db
          .prepare(
            `SELECT ${column} AS grp, ms FROM (
               SELECT l.*, MIN(d.delivered_at) - l.created_at AS ms
               FROM leads l JOIN deliveries d ON d.lead_id = l.id AND d.status = 'delivered'
                 AND d.event_type IN ('lead.created', 'lead.repeated')
               WHERE l.site_id = ?1 AND l.created_at >= ?2 AND l.created_at < ?3 AND l.${REAL}
               GROUP BY l.id
             )`,
          )
          .bind(siteId, from, to),
        db
          .prepare(
            `SELECT ${column} AS grp, first_action_at - created_at AS ms FROM leads
             WHERE site_id = ?1 AND created_at >= ?2 AND created_at < ?3 AND first_action_at IS NOT NULL AND ${REAL}`,
          )
          .bind(siteId, from, to),
      ])
      const groups = new Map<string | null, SourceQualityRow>()
      const rowFor = (group: string | null) => {
        let row = groups.get(group)
        if (!row) {
          row = {
            group,
            submissions: 0,
            accepted: 0,
            spam: 0,
            invalidPhone: 0,
            otherRejected: 0,
            duplicates: 0,
            hot: 0,
            warm: 0,
            cold: 0,
            medianFirstDeliveryMs: null,
            new: 0,
            inWork: 0,
            qualified: 0,
            won: 0,
            notNow: 0,
            junk: 0,
            junkByReason: emptyJunkByReason(),
            medianFirstActionMs: null,
          }
          groups.set(group, row)
        }
        return row
      }
      for (const l of leads!.results as unknown as LeadCounts[]) {
        const row = rowFor(l.grp)
        Object.assign(row, {
          accepted: l.accepted,
          spam: l.spam,
          duplicates: l.duplicates,
          hot: l.hot,
          warm: l.warm,
          cold: l.cold,
          new: l.new_count,
          inWork: l.in_work,
          qualified: l.qualified,
          won: l.won,
          notNow: l.not_now,
          junk: l.junk,
        })
        for (const reason of JUNK_REASONS) row.junkByReason[reason] = l[`junk_${reason}`] ?? 0
        row.submissions += l.accepted + l.spam
      }
      for (const r of rejections!.results as unknown as { grp: string | null; code: string; n: number }[]) {
        const row = rowFor(r.grp)
        if (r.code === 'invalid_phone') row.invalidPhone += r.n
        else row.otherRejected += r.n
        row.submissions += r.n
      }
      for (const [group, values] of byGroup(deliveries!.results as unknown as Timing[])) rowFor(group).medianFirstDeliveryMs = median(values)
      for (const [group, values] of byGroup(actions!.results as unknown as Timing[])) rowFor(group).medianFirstActionMs = median(values)
      return [...groups.values()].sort((a, b) => b.submissions - a.submissions)
    },

    async speedRows({ siteId, from, to, limit }) {
      const { results } = await db
        .prepare(
          `SELECT created_at, first_action_at, temperature, manager_id, source FROM leads
           WHERE site_id = ?1 AND created_at >= ?2 AND created_at < ?3 AND status = 'accepted' AND ${REAL}
           ORDER BY created_at DESC LIMIT ?4`,
        )
        .bind(siteId, from, to, limit)
        .all<unknown>()
      // Parsed on read, as every stored row the report is built from.
      return results.map((row) => {
        const r = v.parse(SpeedRowSchema, row)
        return { createdAt: r.created_at, firstActionAt: r.first_action_at, temperature: r.temperature, managerId: r.manager_id, source: r.source }
      })
    },

    async sourceTrend({ siteId, from, to, by, period }) {
      const { results } = await db
        .prepare(
          `SELECT ${GROUP_EXPRESSIONS[by]} AS grp, ${PERIOD_EXPRESSIONS[period]} AS period_start,
             COUNT(*) AS leads, SUM(stage IN ('qualified', 'won')) AS qualified, SUM(stage = 'junk') AS junk
           FROM leads WHERE site_id = ?1 AND created_at >= ?2 AND created_at < ?3 AND ${REAL}
           GROUP BY grp, period_start ORDER BY period_start`,
        )
        .bind(siteId, from, to)
        .all<{ grp: string | null; period_start: string; leads: number; qualified: number; junk: number }>()
      return results.map((r): TrendCell => ({ group: r.grp, periodStart: r.period_start, leads: r.leads, qualified: r.qualified, junk: r.junk }))
    },
  }
}
