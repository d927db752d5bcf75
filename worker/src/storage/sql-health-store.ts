// HealthStore on SQL (D1 or node:sqlite): what GET /healthz asks the database.
import type { SqlDatabase } from './sql-database'
import type { HealthStore } from './types'

export function sqlHealthStore(db: SqlDatabase): HealthStore {
  return {
    async ping() {
      await db.prepare('SELECT 1 AS ok').first()
    },

    async appliedMigrations() {
      const { results } = await db.prepare('SELECT name FROM d1_migrations ORDER BY id').all<{ name: string }>()
      return results.map((r) => r.name)
    },

    async oldestOverdueDeliveryMs(now) {
      const row = await db.prepare("SELECT MIN(next_attempt_at) AS due FROM deliveries WHERE status = 'pending' AND next_attempt_at < ?").bind(now).first<{ due: number | null }>()
      return row?.due == null ? 0 : now - row.due
    },
  }
}
