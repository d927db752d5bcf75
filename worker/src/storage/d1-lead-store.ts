// LeadStore on D1: a lead and its pending deliveries go in one batch (one transaction).
import type { LeadPayload, LeadRecord, LeadStore } from './types'

interface LeadRow {
  payload: string
  reply_text: string
  created_at: number
}

function toRecord(row: LeadRow): LeadRecord {
  return { payload: JSON.parse(row.payload) as LeadPayload, replyText: row.reply_text, createdAt: row.created_at }
}

function isUniqueViolation(error: unknown): boolean {
  return error instanceof Error && /UNIQUE constraint failed: leads\.id|SQLITE_CONSTRAINT_PRIMARYKEY/.test(error.message)
}

export function d1LeadStore(db: D1Database): LeadStore {
  return {
    async findLead(id) {
      const row = await db.prepare('SELECT payload, reply_text, created_at FROM leads WHERE id = ?').bind(id).first<LeadRow>()
      return row ? toRecord(row) : null
    },

    async insertLead(lead, deliveries) {
      const { payload } = lead
      const statements = [
        db
          .prepare(
            `INSERT INTO leads (id, site_id, source, name, phone, email, payload, reply_text, duplicate,
               consent_given, consent_text, ip, user_agent, created_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .bind(
            payload.id,
            payload.site,
            payload.source,
            payload.contact.name ?? null,
            payload.contact.phone ?? null,
            payload.contact.email ?? null,
            JSON.stringify(payload),
            lead.replyText,
            payload.duplicate ? 1 : 0,
            payload.consent ? (payload.consent.given ? 1 : 0) : null,
            payload.consent?.text ?? null,
            lead.ip,
            lead.userAgent,
            lead.createdAt,
          ),
        ...deliveries.map((d) =>
          db
            .prepare(
              `INSERT INTO deliveries (id, lead_id, site_id, target_id, event_type, status, attempts,
                 next_attempt_at, created_at, updated_at)
               VALUES (?, ?, ?, ?, ?, 'pending', 0, ?, ?, ?)`,
            )
            .bind(d.id, payload.id, payload.site, d.targetId, d.eventType, d.nextAttemptAt, lead.createdAt, lead.createdAt),
        ),
      ]
      try {
        await db.batch(statements)
        return 'inserted'
      } catch (error) {
        // Two requests with one id raced past the look-up; the batch rolled back, the first one won.
        if (isUniqueViolation(error)) return 'exists'
        throw error
      }
    },

    async listLeads({ siteId, limit, before }) {
      const where: string[] = []
      const params: (string | number)[] = []
      if (siteId !== undefined) {
        where.push('site_id = ?')
        params.push(siteId)
      }
      if (before) {
        where.push('(created_at < ? OR (created_at = ? AND id < ?))')
        params.push(before.createdAt, before.createdAt, before.id)
      }
      const sql = `SELECT payload, reply_text, created_at FROM leads
        ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY created_at DESC, id DESC LIMIT ?`
      const { results } = await db.prepare(sql).bind(...params, limit).all<LeadRow>()
      return results.map(toRecord)
    },
  }
}
