// GET /v1/admin/stats: source quality per UTM source, campaign, source + campaign, lead source or
// landing page — the report that shows which campaign sends junk, worst first — and
// GET /v1/admin/stats/trend: qualified % and junk % of the biggest groups by week or month, the
// chart that shows a campaign going bad in its first month. Fields: docs/api.md.
import { Hono } from 'hono'
import * as v from 'valibot'
import { SITE_KEY_PATTERN } from '../../../shared/schemas/lead'
import { ApiError } from '../http/api-error'
import { parseOrReject } from '../http/valibot-issues'
import { STATS_GROUPS, TREND_GROUPS } from '../storage/types'
import type { SourceQualityRow, TrendCell, TrendPeriod } from '../storage/types'
import { DateParamSchema } from '../http/query-params'
import { scopedSite } from '../security/access-scope'
import type { AdminEnv, Deps } from '../deps'
import type { Context } from 'hono'
import { speedToLead } from '../stats/speed-to-lead'
import { costPerLead, unmatchedSpend } from '../spend/cost-per-lead'

/** Leads speed to lead is computed over at most (newest first): a month of a busy site. */
const SPEED_ROWS = 50_000

export const adminStatsRoute = new Hono<AdminEnv>()

const DAY_MS = 24 * 60 * 60 * 1000

/** Optional for a site token (its own site); the operator must say which. */
const SiteParamSchema = v.optional(v.pipe(v.string(), v.regex(SITE_KEY_PATTERN, 'must be a site key')))

const StatsQuerySchema = v.object({
  site: SiteParamSchema,
  from: v.optional(DateParamSchema),
  to: v.optional(DateParamSchema),
  by: v.optional(v.picklist(STATS_GROUPS, `must be one of ${STATS_GROUPS.join(', ')}`), 'utm_source'),
})

const TrendQuerySchema = v.object({
  site: SiteParamSchema,
  from: v.optional(DateParamSchema),
  to: v.optional(DateParamSchema),
  by: v.optional(v.picklist(TREND_GROUPS, `must be one of ${TREND_GROUPS.join(', ')}`), 'utm_campaign'),
  period: v.optional(v.picklist(['week', 'month'], 'must be week or month'), 'month'),
  top: v.optional(
    v.pipe(
      v.string(),
      v.regex(/^\d{1,2}$/, 'must be a number from 1 to 20'),
      v.transform(Number),
      v.minValue(1, 'must be a number from 1 to 20'),
      v.maxValue(20, 'must be a number from 1 to 20'),
    ),
    '5',
  ),
})

const percent = (part: number, whole: number) => (whole === 0 ? 0 : Math.round((part / whole) * 1000) / 10)

/**
 * `spamPercent` and `invalidPhonePercent` are over submissions and `duplicatePercent` over
 * accepted leads, as before. The lifecycle percentages (qualified, won, junk, repeat) are over the
 * leads stored: accepted ones plus spam caught at ingest, which is junk/spam from the start. Over
 * `accepted` alone, a campaign whose spam is caught would show more than 100 % junk.
 */
function describe(row: SourceQualityRow) {
  const stored = row.accepted + row.spam
  return {
    group: row.group,
    leads: row.submissions,
    accepted: row.accepted,
    stored,
    spamPercent: percent(row.spam, row.submissions),
    invalidPhonePercent: percent(row.invalidPhone, row.submissions),
    duplicatePercent: percent(row.duplicates, row.accepted),
    repeatPercent: percent(row.duplicates, stored),
    rejected: row.invalidPhone + row.otherRejected,
    spam: row.spam,
    hot: row.hot,
    warm: row.warm,
    cold: row.cold,
    new: row.new,
    inWork: row.inWork,
    qualified: row.qualified,
    won: row.won,
    notNow: row.notNow,
    junk: row.junk,
    junkByReason: row.junkByReason,
    qualifiedPercent: percent(row.qualified, stored),
    wonPercent: percent(row.won, stored),
    junkPercent: percent(row.junk, stored),
    medianFirstDeliveryMs: row.medianFirstDeliveryMs,
    medianFirstActionMs: row.medianFirstActionMs,
  }
}

type Row = ReturnType<typeof describe>

/** Worst first: the most junk, then the most submissions; ties by name, rows without a group last. */
function worstFirst(a: Row, b: Row): number {
  return b.junkPercent - a.junkPercent || b.leads - a.leads || (a.group ?? '\uffff').localeCompare(b.group ?? '\uffff')
}

/** The site asked for, or a site token's own; the operator's token covers every site, so it must name one. */
function siteOf(c: Context<AdminEnv>, asked: string | undefined): string {
  const siteId = scopedSite(c, asked)
  if (siteId === undefined) {
    throw new ApiError(400, 'validation_failed', 'Say which site.', {
      issues: [{ path: 'site', code: 'required', message: 'is required with the operator token (a site token reads its own site)' }],
    })
  }
  return siteId
}

function range(deps: Deps, query: { from?: number; to?: number }, defaultDays: number): { from: number; to: number } {
  const to = query.to ?? deps.now() + 1
  const from = query.from ?? to - defaultDays * DAY_MS
  if (from >= to) {
    throw new ApiError(400, 'validation_failed', 'Invalid query parameters.', { issues: [{ path: 'from', message: 'must be before "to"' }] })
  }
  return { from, to }
}

adminStatsRoute.get('/', async (c) => {
  const query = parseOrReject(StatsQuerySchema, c.req.query(), 'Invalid query parameters.')
  const site = siteOf(c, query.site)
  const { deps } = c.var
  const { from, to } = range(deps, query, 30)
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10)
  const [rows, speedRows, record, spend] = await Promise.all([
    deps.stats.sourceQuality({ siteId: site, from, to, by: query.by }),
    deps.stats.speedRows({ siteId: site, from, to, limit: SPEED_ROWS }),
    deps.sites.getSite(site),
    // Spend counts by whole days: the days the range touches.
    deps.spend.totals(site, day(from), day(to - 1)),
  ])
  const spendOf = costPerLead(query.by, spend)
  const speed = speedToLead(speedRows, {
    sla: record?.config.routing?.sla?.minutes ?? null,
    // The hour a lead came in as the site's managers live it; Moscow like the Telegram card's times.
    timeZone: record?.config.hours?.timezone ?? 'Europe/Moscow',
    now: deps.now(),
  })
  return c.json({
    site,
    by: query.by,
    from: new Date(from).toISOString(),
    to: new Date(to).toISOString(),
    groups: rows
      .map(describe)
      .sort(worstFirst)
      .map((row) => ({ ...row, spend: spendOf(row.group, row) })),
    unmatchedSpend: unmatchedSpend(query.by, spend, new Set(rows.map((r) => r.group))),
    speedToLead: { ...speed, truncated: speedRows.length === SPEED_ROWS },
  })
})

/** The UTC day (`YYYY-MM-DD`) that starts the period holding `ms`. */
function periodStartOf(ms: number, period: TrendPeriod): string {
  const d = new Date(ms)
  const start =
    period === 'month' ? Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1) : Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()) - ((d.getUTCDay() + 6) % 7) * DAY_MS
  return new Date(start).toISOString().slice(0, 10)
}

function nextPeriodStart(start: string, period: TrendPeriod): string {
  const d = new Date(`${start}T00:00:00Z`)
  const next = period === 'month' ? Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1) : d.getTime() + 7 * DAY_MS
  return new Date(next).toISOString().slice(0, 10)
}

/** `2026-07` for a month; the ISO week `2026-W28` (its year is the year of its Thursday) for a week. */
function periodLabel(start: string, period: TrendPeriod): string {
  if (period === 'month') return start.slice(0, 7)
  const thursday = new Date(Date.parse(`${start}T00:00:00Z`) + 3 * DAY_MS)
  const year = thursday.getUTCFullYear()
  const week = Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / (7 * DAY_MS)) + 1
  return `${year}-W${String(week).padStart(2, '0')}`
}

adminStatsRoute.get('/trend', async (c) => {
  const query = parseOrReject(TrendQuerySchema, c.req.query(), 'Invalid query parameters.')
  const site = siteOf(c, query.site)
  const { deps } = c.var
  const { from, to } = range(deps, query, 182)
  const { period, top } = query
  const cells = await deps.stats.sourceTrend({ siteId: site, from, to, by: query.by, period })

  const totals = new Map<string | null, number>()
  for (const cell of cells) totals.set(cell.group, (totals.get(cell.group) ?? 0) + cell.leads)
  const biggest = [...totals].sort(([a, x], [b, y]) => y - x || (a ?? '\uffff').localeCompare(b ?? '\uffff')).slice(0, top)

  // Every period of the range, so each line of the chart has the same points; an empty one has
  // no percentages rather than 0 %.
  const starts: string[] = []
  for (let s = periodStartOf(from, period); Date.parse(`${s}T00:00:00Z`) < to; s = nextPeriodStart(s, period)) starts.push(s)
  const key = (group: string | null, start: string) => JSON.stringify([group, start])
  const cellOf = new Map<string, TrendCell>(cells.map((cell) => [key(cell.group, cell.periodStart), cell]))

  return c.json({
    site,
    by: query.by,
    period,
    timeZone: 'UTC',
    from: new Date(from).toISOString(),
    to: new Date(to).toISOString(),
    groups: biggest.map(([group, leads]) => ({
      group,
      leads,
      periods: starts.map((start) => {
        const cell = cellOf.get(key(group, start))
        const n = cell?.leads ?? 0
        return {
          period: periodLabel(start, period),
          start,
          leads: n,
          qualifiedPercent: cell && n > 0 ? percent(cell.qualified, n) : null,
          junkPercent: cell && n > 0 ? percent(cell.junk, n) : null,
        }
      }),
    })),
  })
})
