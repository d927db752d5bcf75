// SpendStore on SQL (D1 or node:sqlite): an import's days in one batch, totals per campaign.
import * as v from 'valibot'
import type { SqlDatabase } from './sql-database'
import type { SpendStore } from './types'

const TotalRowSchema = v.object({ utm_source: v.string(), utm_campaign: v.string(), currency: v.string(), cost_minor: v.number() })

export function sqlSpendStore(db: SqlDatabase): SpendStore {
  return {
    async importDays(siteId, days, now) {
      if (days.length === 0) return 0
      // One batch is one transaction on both runtimes: a failure midway imports nothing.
      await db.batch(
        days.map((d) =>
          db
            .prepare(
              `INSERT INTO campaign_spend (site_id, day, utm_source, utm_campaign, currency, cost_minor, updated_at)
               VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
               ON CONFLICT (site_id, day, utm_source, utm_campaign, currency) DO UPDATE SET cost_minor = excluded.cost_minor, updated_at = excluded.updated_at`,
            )
            .bind(siteId, d.day, d.utmSource, d.utmCampaign, d.currency, d.costMinor, now),
        ),
      )
      return days.length
    },

    async totals(siteId, fromDay, toDay) {
      const { results } = await db
        .prepare(
          `SELECT utm_source, utm_campaign, currency, SUM(cost_minor) AS cost_minor FROM campaign_spend
           WHERE site_id = ?1 AND day >= ?2 AND day <= ?3 GROUP BY utm_source, utm_campaign, currency`,
        )
        .bind(siteId, fromDay, toDay)
        .all<unknown>()
      return results.map((row) => {
        const r = v.parse(TotalRowSchema, row)
        return { utmSource: r.utm_source, utmCampaign: r.utm_campaign, currency: r.currency, costMinor: r.cost_minor }
      })
    },
  }
}
