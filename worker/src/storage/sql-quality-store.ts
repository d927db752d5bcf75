// QualityStore on SQL (D1 or node:sqlite): a campaign's recent leads and refusals as junk-spike
// items, the site's baseline, and the alert state with its notice and deliveries in one batch.
import * as v from 'valibot'
import { QUIET, type WindowCounts } from '../quality/junk-spike'
import type { SqlDatabase, SqlResult } from './sql-database'
import type { QualityGroup, QualityStore } from './types'
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

/** WindowCounts' fields and the item kinds each counts. */
const COUNTED: readonly [keyof WindowCounts, string][] = [
  ['leads', 'true'],
  ['junk', "kind <> 'ok'"],
  ['spam', "kind = 'spam'"],
  ['invalidPhone', "kind = 'invalid_phone'"],
  ['wrongNumber', "kind = 'wrong_number'"],
  ['offTarget', "kind = 'off_target'"],
]

/** The columns counting one window, e.g. recent_leads, recent_junk, …, over the rows of a subquery. */
function windowColumns(prefix: string): string {
  return COUNTED.map(([field, kind]) => `COALESCE(SUM(${kind}), 0) AS ${prefix}_${field}`).join(', ')
}

const WindowRowSchema = v.record(v.string(), v.number())

/** One window's counts from the row; a column that is missing is a loud error, not a 0. */
function windowOf(row: Record<string, number>, prefix: string): WindowCounts {
  const read = (field: keyof WindowCounts): number => {
    const value = row[`${prefix}_${field}`]
    if (value === undefined) throw new Error(`quality snapshot lacks ${prefix}_${field}`)
    return value
  }
  return { leads: read('leads'), junk: read('junk'), spam: read('spam'), invalidPhone: read('invalidPhone'), wrongNumber: read('wrongNumber'), offTarget: read('offTarget') }
}
const StateRowSchema = v.object({
  alerting: v.number(),
  since: v.nullable(v.number()),
  last_alert_at: v.nullable(v.number()),
  notified: v.number(),
  version: v.number(),
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

const BaselineRowSchema = v.object({ leads: v.number(), junk: v.number() })

export function sqlQualityStore(db: SqlDatabase, cache: QualityCache = newQualityCache()): QualityStore {
  const snapshotRead: QualityStore['snapshotRead'] = (siteId, group, { limit, windowLeads, dayFrom, baselineFrom, now, fresh = false }) => {
    const where = groupWhere(group, 2)
    const known = fresh ? undefined : cache.baselines.get(siteId)
    const cached = known !== undefined && now >= known.at && now - known.at < BASELINE_TTL_MS ? known.counts : null
    const next = 2 + where.params.length
    // One batch (the lead's insert batch at ingest); the group's newest items are counted in
    // SQL, so two numbers per kind come back instead of up to `limit` rows.
    const items = `SELECT created_at AS at, ${ITEM_KIND} AS kind FROM leads WHERE site_id = ?1 AND ${REAL_LEAD} AND ${where.sql}
      UNION ALL
      SELECT created_at AS at, 'invalid_phone' AS kind FROM rejections WHERE site_id = ?1 AND code = 'invalid_phone' AND ${where.sql}`
    // Each window is its own newest-first walk of the two indexed arms, merged and cut at its
    // LIMIT: the last N items, and the last 24 h of the newest `limit`. (Numbering one walk with
    // ROW_NUMBER() sorted it again and cost twice as much per lead.) NOT MATERIALIZED keeps the
    // walks lazy (SQLite may build a CTE named twice whole first: 6 ms here, not 0.15) while the
    // text, which D1 receives with every lead, names the arms once. `at` stays in each select
    // list: without it SQLite dropped the merge and sorted the whole group.
    const statements = [
      db
        .prepare(
          `WITH items AS NOT MATERIALIZED (${items})
           SELECT * FROM
             (SELECT ${windowColumns('recent')} FROM (SELECT at, kind FROM items ORDER BY at DESC LIMIT ?${next + 1})),
             (SELECT ${windowColumns('day')} FROM (SELECT at, kind FROM items ORDER BY at DESC LIMIT ?${next}) WHERE at > ?${next + 2})`,
        )
        .bind(siteId, ...where.params, limit, windowLeads, dayFrom),
      db.prepare('SELECT alerting, since, last_alert_at, notified, version FROM quality_groups WHERE site_id = ? AND group_key = ?').bind(siteId, groupKey(group)),
      ...(cached !== null
        ? []
        : [
            db
              .prepare(
                `SELECT
                   (SELECT COUNT(*) FROM leads WHERE site_id = ?1 AND created_at >= ?2 AND created_at < ?3 AND ${REAL_LEAD})
                     + (SELECT COUNT(*) FROM rejections WHERE site_id = ?1 AND code = 'invalid_phone' AND created_at >= ?2 AND created_at < ?3) AS leads,
                   (SELECT COUNT(*) FROM leads WHERE site_id = ?1 AND created_at >= ?2 AND created_at < ?3 AND ${REAL_LEAD} AND ${JUNK})
                     + (SELECT COUNT(*) FROM rejections WHERE site_id = ?1 AND code = 'invalid_phone' AND created_at >= ?2 AND created_at < ?3) AS junk`,
              )
              .bind(siteId, baselineFrom, now),
          ]),
    ]
    const read = ([windows, state, baseline]: SqlResult<unknown>[]) => {
      const counted = v.parse(WindowRowSchema, windows?.results[0])
      const counts = cached ?? v.parse(BaselineRowSchema, baseline?.results[0])
      if (cached === null) {
        if (cache.baselines.size >= MAX_BASELINES) cache.baselines.delete(cache.baselines.keys().next().value as string)
        cache.baselines.set(siteId, { at: now, counts })
      }
      const stateRow = state?.results[0]
      const r = stateRow === undefined ? null : v.parse(StateRowSchema, stateRow)
      return {
        recent: windowOf(counted, 'recent'),
        day: windowOf(counted, 'day'),
        baseline: counts,
        baselineCached: cached !== null,
        group,
        state: r === null ? QUIET : { alerting: r.alerting === 1, since: r.since, lastAlertAt: r.last_alert_at, notified: r.notified === 1 },
        version: r?.version ?? 0,
      }
    }
    return { statements, read }
  }

  return {
    snapshotRead,

    async snapshot(siteId, group, query) {
      const { statements, read } = snapshotRead(siteId, group, query)
      return read(await db.batch<unknown>(statements))
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
