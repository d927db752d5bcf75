// AutoReplyHistory on SQL (D1 or node:sqlite): read from the leads and their deliveries, so it
// holds no copy of an address and an erased lead (phone and email cleared) drops out by itself.
import type { AutoReplyHistory } from '../auto-reply/auto-reply-gate'
import type { SqlDatabase } from './sql-database'

export function sqlAutoReplyHistory(db: SqlDatabase): AutoReplyHistory {
  return {
    async repliedBefore({ siteId, channel, address, targetId, leadId, leadCreatedAt, since }) {
      // The (site_id, phone) and (site_id, email COLLATE NOCASE) indexes find the few leads of one
      // address. A skip is recorded as delivered with a note (last_error): it sent nothing and does
      // not count, so a skipped reply never extends the window. Only earlier leads count, pending
      // ones too: of two leads at once the first one replies.
      const match = channel === 'sms' ? 'l.phone = ?2' : 'l.email = ?2 COLLATE NOCASE'
      const row = await db
        .prepare(
          `SELECT 1 AS found FROM leads l JOIN deliveries d ON d.lead_id = l.id
           WHERE l.site_id = ?1 AND ${match} AND l.id <> ?3 AND l.created_at >= ?4
             AND (l.created_at < ?5 OR (l.created_at = ?5 AND l.id < ?3))
             AND d.target_id = ?6 AND d.event_type = 'lead.created'
             AND ((d.status = 'delivered' AND d.last_error IS NULL) OR d.status = 'pending')
           LIMIT 1`,
        )
        .bind(siteId, address, leadId, since, leadCreatedAt, targetId)
        .first<{ found: number }>()
      return row !== null
    },
  }
}
