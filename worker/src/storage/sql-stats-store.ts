// StatsStore on SQL (D1 or node:sqlite): refused submissions and the per-source quality report.
import type { SqlDatabase } from './sql-database'
import type { SourceQualityRow, StatsGroupBy, StatsStore } from './types'

// Column names cannot be bound as parameters; this whitelist is what makes interpolating them safe.
const GROUP_COLUMNS: Record<StatsGroupBy, string> = {
  utm_source: 'utm_source',
  utm_campaign: 'utm_campaign',
  source: 'source',
  page: 'page',
}

interface LeadCounts {
  grp: string | null
  accepted: number
  spam: number
  duplicates: number
  hot: number
  warm: number
  cold: number
}

function median(values: number[]): number | null {
  if (values.length === 0) return null
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 ? sorted[mid]! : Math.round((sorted[mid - 1]! + sorted[mid]!) / 2)
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

    async sourceQuality({ siteId, from, to, by }) {
      const column = GROUP_COLUMNS[by]
      const [leads, rejections, deliveries] = await db.batch([
        db
          .prepare(
            `SELECT ${column} AS grp,
               SUM(status = 'accepted') AS accepted,
               SUM(status = 'spam') AS spam,
               SUM(status = 'accepted' AND duplicate = 1) AS duplicates,
               SUM(status = 'accepted' AND temperature = 'hot') AS hot,
               SUM(status = 'accepted' AND temperature = 'warm') AS warm,
               SUM(status = 'accepted' AND temperature = 'cold') AS cold
             FROM leads WHERE site_id = ?1 AND created_at >= ?2 AND created_at < ?3
             GROUP BY grp`,
          )
          .bind(siteId, from, to),
        db
          .prepare(
            `SELECT ${column} AS grp, code, COUNT(*) AS n FROM rejections
             WHERE site_id = ?1 AND created_at >= ?2 AND created_at < ?3 GROUP BY grp, code`,
          )
          .bind(siteId, from, to),
        db
          .prepare(
            `SELECT l.${column} AS grp, MIN(d.delivered_at) - l.created_at AS ms
             FROM leads l JOIN deliveries d ON d.lead_id = l.id AND d.status = 'delivered'
             WHERE l.site_id = ?1 AND l.created_at >= ?2 AND l.created_at < ?3
             GROUP BY l.id`,
          )
          .bind(siteId, from, to),
      ])
      const groups = new Map<string | null, SourceQualityRow>()
      const rowFor = (group: string | null) => {
        let row = groups.get(group)
        if (!row) {
          row = { group, submissions: 0, accepted: 0, spam: 0, invalidPhone: 0, otherRejected: 0, duplicates: 0, hot: 0, warm: 0, cold: 0, medianFirstDeliveryMs: null }
          groups.set(group, row)
        }
        return row
      }
      for (const l of leads!.results as unknown as LeadCounts[]) {
        const row = rowFor(l.grp)
        Object.assign(row, { accepted: l.accepted, spam: l.spam, duplicates: l.duplicates, hot: l.hot, warm: l.warm, cold: l.cold })
        row.submissions += l.accepted + l.spam
      }
      for (const r of rejections!.results as unknown as { grp: string | null; code: string; n: number }[]) {
        const row = rowFor(r.grp)
        if (r.code === 'invalid_phone') row.invalidPhone += r.n
        else row.otherRejected += r.n
        row.submissions += r.n
      }
      const times = new Map<string | null, number[]>()
      for (const d of deliveries!.results as unknown as { grp: string | null; ms: number }[]) {
        const list = times.get(d.grp)
        if (list) list.push(d.ms)
        else times.set(d.grp, [d.ms])
      }
      for (const [group, values] of times) rowFor(group).medianFirstDeliveryMs = median(values)
      return [...groups.values()].sort((a, b) => b.submissions - a.submissions)
    },
  }
}
