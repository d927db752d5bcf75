// SlaStore on SQL (D1 or node:sqlite): SLA checks are rows, so the sweep can find any whose wake-up was lost.
import type { SqlDatabase } from './sql-database'
import type { SlaStore } from './types'

export function sqlSlaStore(db: SqlDatabase): SlaStore {
  return {
    async listDue(now, graceMs, limit) {
      const { results } = await db
        .prepare('SELECT lead_id, round, due_at FROM sla_checks WHERE done_at IS NULL AND due_at <= ?1 ORDER BY due_at LIMIT ?2')
        .bind(now - graceMs, limit)
        .all<{ lead_id: string; round: number; due_at: number }>()
      return results.map((r) => ({ leadId: r.lead_id, round: r.round, dueAt: r.due_at }))
    },

    async finish({ leadId, round }, now) {
      await db.prepare('UPDATE sla_checks SET done_at = ?3 WHERE lead_id = ?1 AND round = ?2 AND done_at IS NULL').bind(leadId, round, now).run()
    },
  }
}
