// TagSeenStore on SQL (D1 or node:sqlite): widget config fetches per site, allowed origin and UTC
// day (migration 0016), for "Is the tag live?".
import * as v from 'valibot'
import type { SqlDatabase } from './sql-database'
import type { TagSeenStore } from './types'

const StatusRowSchema = v.object({
  origin: v.string(),
  last_loaded_at: v.nullable(v.number()),
  loads: v.nullable(v.number()),
})

export function sqlTagSeenStore(db: SqlDatabase): TagSeenStore {
  return {
    async record(siteId, origin, day, loads, at) {
      await db
        .prepare(
          `INSERT INTO tag_seen (site_id, origin, day, loads, last_loaded_at) VALUES (?1, ?2, ?3, ?4, ?5)
           ON CONFLICT (site_id, origin, day) DO UPDATE SET loads = loads + excluded.loads, last_loaded_at = MAX(last_loaded_at, excluded.last_loaded_at)`,
        )
        .bind(siteId, origin, day, loads, at)
        .run()
    },

    async status(siteId, day) {
      const { results } = await db
        .prepare(
          `SELECT origin, MAX(last_loaded_at) AS last_loaded_at, SUM(CASE WHEN day = ?2 THEN loads ELSE 0 END) AS loads
           FROM tag_seen WHERE site_id = ?1 GROUP BY origin`,
        )
        .bind(siteId, day)
        .all<unknown>()
      return results.map((row) => {
        const r = v.parse(StatusRowSchema, row)
        return { origin: r.origin, lastLoadedAt: r.last_loaded_at, loads: r.loads ?? 0 }
      })
    },
  }
}
