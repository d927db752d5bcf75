// DigestStore on SQL (D1 or node:sqlite): the day a site's digest went out, and yesterday's leads.
import * as v from 'valibot'
import type { SqlDatabase } from './sql-database'
import type { DigestStore } from './types'
import { REAL_LEAD } from './sql-stats-store'

const LeadRowSchema = v.object({
  created_at: v.number(),
  temperature: v.picklist(['hot', 'warm', 'cold']),
  status: v.picklist(['accepted', 'spam']),
  first_action_at: v.nullable(v.number()),
  stage: v.string(),
  utm_source: v.nullable(v.string()),
  utm_campaign: v.nullable(v.string()),
})

export function sqlDigestStore(db: SqlDatabase): DigestStore {
  return {
    async claim(siteId, day, now) {
      const row = await db
        .prepare('INSERT INTO digest_runs (site_id, day, sent_at) VALUES (?, ?, ?) ON CONFLICT (site_id, day) DO NOTHING RETURNING day')
        .bind(siteId, day, now)
        .first<{ day: string }>()
      return row !== null
    },

    async release(siteId, day) {
      await db.prepare('DELETE FROM digest_runs WHERE site_id = ? AND day = ?').bind(siteId, day).run()
    },

    async leads(siteId, from, to) {
      const { results } = await db
        .prepare(
          `SELECT created_at, temperature, status, first_action_at, stage, utm_source, utm_campaign FROM leads
           WHERE site_id = ?1 AND created_at >= ?2 AND created_at < ?3 AND ${REAL_LEAD} LIMIT 50000`,
        )
        .bind(siteId, from, to)
        .all<unknown>()
      return results.map((row) => {
        const r = v.parse(LeadRowSchema, row)
        return {
          createdAt: r.created_at,
          temperature: r.temperature,
          spam: r.status === 'spam',
          firstActionAt: r.first_action_at,
          junk: r.stage === 'junk',
          utmSource: r.utm_source,
          utmCampaign: r.utm_campaign,
        }
      })
    },
  }
}
