// QualityStore on SQL (D1 or node:sqlite): a campaign's recent leads and refusals as junk-spike
// items, the site's baseline, and the alert state with its notice and deliveries in one batch.
import * as v from 'valibot'
import { QUIET, type WindowCounts, type WindowTotals } from '../quality/junk-spike'
import type { ReturnedRead, SqlDatabase } from './sql-database'
import type { QualityGroup, QualityQuery, QualitySnapshot, QualityStore } from './types'
import { REAL_LEAD } from './sql-stats-store'

/** Where a lead is now, as junk-spike items count it; spam caught at ingest is junk/spam. */
const ITEM_KIND = `CASE WHEN status = 'spam' THEN 'spam'
  WHEN stage = 'junk' THEN CASE junk_reason WHEN 'wrong_number' THEN 'wrong_number' WHEN 'off_target' THEN 'off_target'
    WHEN 'spam' THEN 'spam' ELSE 'junk_other' END
  ELSE 'ok' END`

const JUNK = `(status = 'spam' OR stage = 'junk')`

/** The group's rows of leads and rejections: both tables have utm_source, utm_campaign and page. */
function groupWhere(group: QualityGroup, first: number): { sql: string; params: (string | null)[] } {
  if (group.utmSource !== null || group.utmCampaign !== null) {
    return { sql: `utm_source IS ?${first} AND utm_campaign IS ?${first + 1}`, params: [group.utmSource, group.utmCampaign] }
  }
  return { sql: `utm_source IS NULL AND utm_campaign IS NULL AND page IS ?${first}`, params: [group.page] }
}

export function groupKey(group: QualityGroup): string {
  return group.utmSource !== null || group.utmCampaign !== null ? `utm\u0000${group.utmSource ?? ''}\u0000${group.utmCampaign ?? ''}` : `page\u0000${group.page ?? ''}`
}

/** WindowCounts' fields and the item kinds each counts (`item` is the kind). */
const COUNTED: readonly [keyof WindowCounts, string][] = [
  ['leads', 'true'],
  ['junk', "item <> 'ok'"],
  ['spam', "item = 'spam'"],
  ['invalidPhone', "item = 'invalid_phone'"],
  ['wrongNumber', "item = 'wrong_number'"],
  ['offTarget', "item = 'off_target'"],
]

/** The snapshot's one value: a JSON object of numbers (NULL where the group has no state yet). */
const SnapshotRowSchema = v.pipe(v.string(), v.parseJson(), v.record(v.string(), v.nullable(v.number())))
type SnapshotRow = v.InferOutput<typeof SnapshotRowSchema>

/** A number the read must have; a column that is missing or NULL is a loud error, not a 0. */
function numberAt(row: SnapshotRow, column: string): number {
  const value = row[column]
  if (value === undefined || value === null) throw new Error(`quality snapshot lacks ${column}`)
  return value
}

/**
 * What a read counts: every kind (a notice reports them), or leads and junk alone (all a verdict
 * needs, and a third cheaper to count per lead): the leads arm's and the refusals arm's `item` (the
 * kind, or 1 for junk), the columns counting one window of them (recent_leads, …) and their reading.
 */
interface Detail<W extends WindowTotals> {
  leadItem: string
  refusalItem: string
  columns: (prefix: string) => string
  fields: readonly (keyof WindowCounts)[]
  read: (row: SnapshotRow, prefix: string) => W
}

const BY_KIND: Detail<WindowCounts> = {
  leadItem: ITEM_KIND,
  refusalItem: "'invalid_phone'",
  columns: (prefix) => COUNTED.map(([field, kind]) => `COALESCE(SUM(${kind}), 0) AS ${prefix}_${field}`).join(', '),
  fields: COUNTED.map(([field]) => field),
  read: (row, prefix) => {
    const at = (field: keyof WindowCounts) => numberAt(row, `${prefix}_${field}`)
    return { leads: at('leads'), junk: at('junk'), spam: at('spam'), invalidPhone: at('invalidPhone'), wrongNumber: at('wrongNumber'), offTarget: at('offTarget') }
  },
}

const TOTALS: Detail<WindowTotals> = {
  leadItem: JUNK,
  refusalItem: '1',
  columns: (prefix) => `count(*) AS ${prefix}_leads, COALESCE(SUM(item), 0) AS ${prefix}_junk`,
  fields: ['leads', 'junk'],
  read: (row, prefix) => ({ leads: numberAt(row, `${prefix}_leads`), junk: numberAt(row, `${prefix}_junk`) }),
}

/** The group's state, LEFT JOINed: all NULL when nothing was told about it yet. */
const StateColumnsSchema = v.object({
  alerting: v.nullable(v.number()),
  since: v.nullable(v.number()),
  last_alert_at: v.nullable(v.number()),
  notified: v.nullable(v.number()),
  version: v.nullable(v.number()),
})
const NoticeRowSchema = v.object({ id: v.string(), kind: v.picklist(['alert', 'recovered']), data: v.string(), at: v.number() })

/**
 * A site's 30-day baseline moves by a fraction of a point in ten minutes, and counting it scans
 * every lead of the month: each isolate or process counts it at most that often per site.
 */
export const BASELINE_TTL_MS = 10 * 60 * 1000
const MAX_BASELINES = 1_000

interface Baseline {
  leads: number
  junk: number
}

export interface QualityCache {
  baselines: Map<string, { at: number; counts: Baseline }>
}

export function newQualityCache(): QualityCache {
  return { baselines: new Map() }
}

export function sqlQualityStore(db: SqlDatabase, cache: QualityCache = newQualityCache()): QualityStore {
  /**
   * The windows, the group's state and (unless cached) the baseline as one scalar subquery, whose
   * value is a JSON object: a statement of its own, or one more column of another (the lead's insert).
   */
  const windowsRead = <W extends WindowTotals>(
    detail: Detail<W>,
    siteId: string,
    group: QualityGroup,
    { limit, windowLeads, dayFrom, baselineFrom, now, fresh = false }: QualityQuery,
  ): ReturnedRead<QualitySnapshot<W>> => {
    const known = fresh ? undefined : cache.baselines.get(siteId)
    const cached = known !== undefined && now >= known.at && now - known.at < BASELINE_TTL_MS ? known.counts : null
    const column = (first: number) => {
      const site = `?${first}`
      const where = groupWhere(group, first + 1)
      const next = first + 1 + where.params.length
      const [cap, n, since, key, from, to] = [0, 1, 2, 3, 4, 5].map((k) => `?${next + k}`)
      // The group's newest items are counted in SQL, so a few numbers come back instead of up to
      // `limit` rows.
      const items = `SELECT created_at AS at, ${detail.leadItem} AS item FROM leads WHERE site_id = ${site} AND ${REAL_LEAD} AND ${where.sql}
        UNION ALL
        SELECT created_at AS at, ${detail.refusalItem} AS item FROM rejections WHERE site_id = ${site} AND code = 'invalid_phone' AND ${where.sql}`
      const inMonth = (table: 'leads' | 'rejections') =>
        `SELECT COUNT(*) FROM ${table} WHERE site_id = ${site} AND created_at >= ${from} AND created_at < ${to} AND ${table === 'leads' ? REAL_LEAD : "code = 'invalid_phone'"}`
      const fields: (readonly [string, string])[] = [
        ...['recent', 'day'].flatMap((prefix) => detail.fields.map((field): [string, string] => [`${prefix}_${field}`, `${prefix}_${field}`])),
        ...(cached !== null
          ? []
          : ([
              ['baseline_leads', `(${inMonth('leads')}) + (${inMonth('rejections')})`],
              ['baseline_junk', `(${inMonth('leads')} AND ${JUNK}) + (${inMonth('rejections')})`],
            ] as const)),
        ...['alerting', 'since', 'last_alert_at', 'notified', 'version'].map((name): [string, string] => [name, `g.${name}`]),
      ]
      // Each window is its own newest-first walk of the two indexed arms, merged and cut at its
      // LIMIT: the last N items, and the last 24 h of the newest `limit`. (Numbering one walk with
      // ROW_NUMBER() sorted it again and cost twice as much per lead.) NOT MATERIALIZED keeps the
      // walks lazy (SQLite may build a CTE named twice whole first: 6 ms here, not 0.15) while the
      // text, which D1 receives with every lead, names the arms once. `at` stays in each select
      // list: without it SQLite dropped the merge and sorted the whole group. The state and the
      // baseline ride in the same value: each statement of a D1 batch costs about 0.1 ms of its own.
      const sql = `(WITH items AS NOT MATERIALIZED (${items})
         SELECT json_object(${fields.map(([name, value]) => `'${name}', ${value}`).join(', ')}) FROM
           (SELECT ${detail.columns('recent')} FROM (SELECT at, item FROM items ORDER BY at DESC LIMIT ${n})) recent,
           (SELECT ${detail.columns('day')} FROM (SELECT at, item FROM items ORDER BY at DESC LIMIT ${cap}) WHERE at > ${since}) day
           LEFT JOIN quality_groups g ON g.site_id = ${site} AND g.group_key = ${key})`
      return { sql, values: [siteId, ...where.params, limit, windowLeads, dayFrom, groupKey(group), ...(cached === null ? [baselineFrom, now] : [])] }
    }
    const read = (value: unknown): QualitySnapshot<W> => {
      const row = v.parse(SnapshotRowSchema, value)
      const counts = cached ?? { leads: numberAt(row, 'baseline_leads'), junk: numberAt(row, 'baseline_junk') }
      if (cached === null) {
        if (cache.baselines.size >= MAX_BASELINES) cache.baselines.delete(cache.baselines.keys().next().value as string)
        cache.baselines.set(siteId, { at: now, counts })
      }
      const state = v.parse(StateColumnsSchema, row)
      return {
        recent: detail.read(row, 'recent'),
        day: detail.read(row, 'day'),
        baseline: counts,
        baselineCached: cached !== null,
        group,
        state: state.alerting === null ? QUIET : { alerting: state.alerting === 1, since: state.since, lastAlertAt: state.last_alert_at, notified: state.notified === 1 },
        version: state.version ?? 0,
      }
    }
    return { column, read }
  }

  return {
    totalsRead: (siteId, group, query) => windowsRead(TOTALS, siteId, group, query),

    async snapshot(siteId, group, query) {
      const { column, read } = windowsRead(BY_KIND, siteId, group, query)
      const { sql, values } = column(1)
      const row = await db
        .prepare(`SELECT ${sql} AS snapshot`)
        .bind(...values)
        .first<{ snapshot: unknown }>()
      return read(row?.snapshot)
    },

    async newestLead(siteId, group) {
      const where = groupWhere(group, 2)
      const row = await db
        .prepare(`SELECT id FROM leads WHERE site_id = ?1 AND ${REAL_LEAD} AND ${where.sql} ORDER BY created_at DESC LIMIT 1`)
        .bind(siteId, ...where.params)
        .first<{ id: string }>()
      return row?.id ?? null
    },

    async saveState(siteId, group, state, version, notice) {
      const key = groupKey(group)
      const [saved] = await db.batch<{ version: number }>([
        db
          .prepare(
            `INSERT INTO quality_groups (site_id, group_key, utm_source, utm_campaign, page, alerting, since, last_alert_at, notified, version)
             SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 1 WHERE true
             ON CONFLICT (site_id, group_key) DO UPDATE SET alerting = excluded.alerting, since = excluded.since,
               last_alert_at = excluded.last_alert_at, notified = excluded.notified, version = quality_groups.version + 1
             WHERE quality_groups.version = ?10
             RETURNING version`,
          )
          .bind(siteId, key, group.utmSource, group.utmCampaign, group.page, state.alerting ? 1 : 0, state.since, state.lastAlertAt, state.notified ? 1 : 0, version),
        // The version just written is version + 1 only if this batch wrote it: the notice and its
        // deliveries go only then.
        ...(notice === null
          ? []
          : [
              db
                .prepare(
                  `INSERT INTO quality_notices (id, site_id, group_key, kind, data, at)
                   SELECT ?1, ?2, ?3, ?4, ?5, ?6 FROM quality_groups WHERE site_id = ?2 AND group_key = ?3 AND version = ?7 + 1`,
                )
                .bind(notice.id, siteId, key, notice.kind, JSON.stringify(notice.data), notice.at, version),
              ...notice.deliveries.map((d) =>
                db
                  .prepare(
                    `INSERT INTO deliveries (id, lead_id, site_id, target_id, event_type, status, attempts, next_attempt_at,
                       created_at, updated_at, notice_id)
                     SELECT ?1, ?2, site_id, ?3, ?4, 'pending', 0, ?5, at, at, id FROM quality_notices WHERE id = ?6`,
                  )
                  .bind(d.id, d.leadId, d.targetId, notice.kind === 'alert' ? 'quality.alert' : 'quality.recovered', d.nextAttemptAt, notice.id),
              ),
            ]),
      ])
      return (saved?.results.length ?? 0) > 0
    },

    async alertingGroups(limit) {
      const { results } = await db
        .prepare('SELECT site_id, utm_source, utm_campaign, page FROM quality_groups WHERE alerting = 1 LIMIT ?')
        .bind(limit)
        .all<{ site_id: string; utm_source: string | null; utm_campaign: string | null; page: string | null }>()
      return results.map((r) => ({ siteId: r.site_id, group: { utmSource: r.utm_source, utmCampaign: r.utm_campaign, page: r.page } }))
    },

    async findNotice(id) {
      const row = await db.prepare('SELECT id, kind, data, at FROM quality_notices WHERE id = ?').bind(id).first<unknown>()
      if (!row) return null
      const r = v.parse(NoticeRowSchema, row)
      return { id: r.id, kind: r.kind, data: JSON.parse(r.data) as unknown, at: r.at }
    },
  }
}
