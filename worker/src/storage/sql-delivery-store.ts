// DeliveryStore on SQL (D1 or node:sqlite): the retry schedule and the attempt log live here; queues only wake them up.
import type { SqlDatabase } from './sql-database'
import type { AttemptLogEntry, DeliveryRecord, DeliveryStore, DeliveryStatus } from './types'
import type { EventType, LeadPayload } from '../model/lead'
import { ERASED_CANCEL, ERASED_ERROR, toLeadEvent } from './sql-lead-store'
import type { EventRow } from './sql-lead-store'

interface DeliveryRow {
  id: string
  lead_id: string
  site_id: string
  target_id: string
  event_type: EventType
  status: DeliveryStatus
  attempts: number
  next_attempt_at: number
  last_error: string | null
  delivered_at: number | null
  created_at: number
}

const DELIVERY_COLUMNS = `d.id, d.lead_id, d.site_id, d.target_id, d.event_type, d.status, d.attempts,
  d.next_attempt_at, d.last_error, d.delivered_at, d.created_at`

function toRecord(row: DeliveryRow): DeliveryRecord {
  return {
    id: row.id,
    leadId: row.lead_id,
    siteId: row.site_id,
    targetId: row.target_id,
    eventType: row.event_type,
    status: row.status,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    lastError: row.last_error,
    deliveredAt: row.delivered_at,
    createdAt: row.created_at,
  }
}

/** Whether the lead of delivery ?1 is erased: nothing of it may be sent or kept again. */
const ERASED_LEAD = `EXISTS (SELECT 1 FROM deliveries d JOIN leads l ON l.id = d.lead_id WHERE d.id = ?1 AND l.erased_at IS NOT NULL)`
/** The same inside an UPDATE of deliveries: a replay never revives what erasure cancelled. */
const ERASED_LEAD_OF_ROW = `EXISTS (SELECT 1 FROM leads l WHERE l.id = deliveries.lead_id AND l.erased_at IS NOT NULL)`
/**
 * An attempt holds the row's lease: sending it again now would race that attempt to the target (a
 * lead delivered twice, a visitor called twice), and clearing the lease would hide that it ran.
 */
const ATTEMPT_UNDER_WAY = `(deliveries.status = 'pending' AND deliveries.lease_until IS NOT NULL AND deliveries.lease_until >= ?1)`

/** The attempt log's note on an attempt that finished after another had claimed its delivery. */
const LEASE_LOST = 'finished after its lease ran out, while a later attempt held the delivery; that attempt decides'

type Prefixed<T> = { [K in keyof T & string as `e_${K}`]: T[K] }

/** Keeps the log readable and the row small whatever a target answers. */
function clip(text: string | null, max = 500): string | null {
  return text === null ? null : text.length > max ? `${text.slice(0, max - 1)}…` : text
}

export function sqlDeliveryStore(db: SqlDatabase): DeliveryStore {
  return {
    async claimDelivery(id, now, leaseMs) {
      // Every finished attempt clears lease_until, so a lease still set (and expired) means the
      // last attempt died mid-way. RETURNING only shows new values: read the old one first and
      // claim only if it is unchanged, so two claimers still cannot both win.
      const before = await db.prepare(`SELECT lease_until FROM deliveries WHERE id = ?`).bind(id).first<{ lease_until: number | null }>()
      if (!before) return null
      const row = await db
        .prepare(
          `UPDATE deliveries SET lease_until = ?2, updated_at = ?3
           WHERE id = ?1 AND status = 'pending' AND next_attempt_at <= ?3
             AND (lease_until IS NULL OR lease_until < ?3) AND lease_until IS ?4
           RETURNING id`,
        )
        .bind(id, now + leaseMs, now, before.lease_until)
        .first<{ id: string }>()
      if (!row) return null
      const joined = await db
        .prepare(
          `SELECT ${DELIVERY_COLUMNS}, l.payload, l.created_at AS lead_created_at, d.event_id,
             e.lead_id AS e_lead_id, e.site_id AS e_site_id, e.at AS e_at, e.actor_kind AS e_actor_kind,
             e.actor_id AS e_actor_id, e.kind AS e_kind, e.from_status AS e_from_status, e.to_status AS e_to_status,
             e.reason AS e_reason, e.note AS e_note, e.source AS e_source, e.source_ref AS e_source_ref,
             d.notice_id, n.data AS n_data, n.at AS n_at
           FROM deliveries d JOIN leads l ON l.id = d.lead_id LEFT JOIN lead_events e ON e.id = d.event_id
             LEFT JOIN quality_notices n ON n.id = d.notice_id
           WHERE d.id = ?`,
        )
        .bind(id)
        .first<
          DeliveryRow & { payload: string; lead_created_at: number; event_id: string | null } & Prefixed<Omit<EventRow, 'id'>> & {
              notice_id: string | null
              n_data: string | null
              n_at: number | null
            }
        >()
      if (!joined) return null
      return {
        ...toRecord(joined),
        lead: {
          payload: JSON.parse(joined.payload) as LeadPayload,
          createdAt: joined.lead_created_at,
        },
        ...(joined.event_id !== null && {
          event: toLeadEvent({
            id: joined.event_id,
            lead_id: joined.e_lead_id,
            site_id: joined.e_site_id,
            at: joined.e_at,
            actor_kind: joined.e_actor_kind,
            actor_id: joined.e_actor_id,
            kind: joined.e_kind,
            from_status: joined.e_from_status,
            to_status: joined.e_to_status,
            reason: joined.e_reason,
            note: joined.e_note,
            source: joined.e_source,
            source_ref: joined.e_source_ref,
          }),
        }),
        ...(joined.notice_id !== null &&
          joined.n_data !== null && { notice: { id: joined.notice_id, data: JSON.parse(joined.n_data) as unknown, at: joined.n_at ?? joined.created_at } }),
        interrupted: before.lease_until !== null,
        leaseUntil: now + leaseMs,
      }
    },

    async getDelivery(id) {
      const row = await db.prepare(`SELECT ${DELIVERY_COLUMNS} FROM deliveries d WHERE d.id = ?`).bind(id).first<DeliveryRow>()
      return row ? toRecord(row) : null
    },

    async finishAttempt(record, now) {
      const status: DeliveryStatus = record.outcome === 'retry' ? 'pending' : record.outcome
      const error = clip(record.error)
      // Still this attempt's: its own lease, or one releaseLeases handed back (set below it). A later
      // claim's lease ends after this one's (it could claim only once this one had expired); a
      // finished or requeued delivery has none.
      const held = `(SELECT lease_until FROM deliveries WHERE id = ?1) <= ?8`
      const [, moved] = await db.batch<{ id: string }>([
        // An attempt that was under way when the lead was erased keeps nothing the target answered,
        // and does not put the cancelled delivery back in the queue.
        db
          .prepare(
            `INSERT INTO delivery_attempts (delivery_id, attempt, started_at, duration_ms, http_status, outcome, error)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, CASE WHEN ${ERASED_LEAD} AND ?7 IS NOT NULL THEN '${ERASED_ERROR}'
               WHEN ${held} THEN ?7 ELSE '${LEASE_LOST}' || COALESCE(': ' || ?7, '') END)`,
          )
          .bind(record.deliveryId, record.attempt, record.startedAt, record.durationMs, record.httpStatus, record.outcome, error, record.leaseUntil),
        db
          .prepare(
            `UPDATE deliveries SET
               status = CASE WHEN ${ERASED_LEAD} AND ?2 NOT IN ('delivered', 'skipped') THEN 'failed' ELSE ?2 END,
               attempts = ?3, next_attempt_at = COALESCE(?4, next_attempt_at),
               last_error = CASE WHEN ${ERASED_LEAD} THEN CASE WHEN ?2 IN ('delivered', 'skipped') THEN NULL ELSE '${ERASED_CANCEL}' END ELSE ?5 END,
               delivered_at = ?6, lease_until = NULL, updated_at = ?7
             WHERE id = ?1 AND lease_until <= ?8
             RETURNING id`,
          )
          .bind(record.deliveryId, status, record.attempt, record.nextAttemptAt ?? null, error, status === 'delivered' ? now : null, now, record.leaseUntil),
        // The CRM's id for the lead, so its outcome events find the lead again (whichever attempt
        // got it); a repeat of the same contact (HubSpot answers the existing id) points at the newest lead.
        ...(record.outcome === 'delivered' && record.externalId !== undefined
          ? [
              db
                .prepare(
                  `INSERT INTO lead_external_refs (site_id, target_id, external_id, lead_id, created_at)
                   SELECT site_id, target_id, ?2, lead_id, ?3 FROM deliveries WHERE id = ?1
                   ON CONFLICT (site_id, target_id, external_id) DO UPDATE SET lead_id = excluded.lead_id, created_at = excluded.created_at`,
                )
                .bind(record.deliveryId, record.externalId, now),
            ]
          : []),
      ])
      return (moved?.results.length ?? 0) > 0
    },

    async requeue(selector, now) {
      const statement =
        'ids' in selector
          ? db
              .prepare(
                `UPDATE deliveries SET status = 'pending', attempts = 0, next_attempt_at = ?1, lease_until = NULL, updated_at = ?1
                 WHERE id IN (SELECT value FROM json_each(?2)) AND NOT ${ERASED_LEAD_OF_ROW} AND NOT ${ATTEMPT_UNDER_WAY} RETURNING id`,
              )
              .bind(now, JSON.stringify(selector.ids))
          : db
              .prepare(
                `UPDATE deliveries SET status = 'pending', attempts = 0, next_attempt_at = ?1, lease_until = NULL, updated_at = ?1
                 WHERE site_id = ?2 AND status = 'failed' AND NOT ${ERASED_LEAD_OF_ROW} RETURNING id`,
              )
              .bind(now, selector.siteId)
      const { results } = await statement.all<{ id: string }>()
      return results.map((r) => r.id)
    },

    async failDelivery(id, error, now) {
      // Not under an attempt's live lease: that attempt decides (a dead-lettered wake-up may have
      // found the delivery busy with the sweep's attempt, which then delivers it).
      await db
        .prepare(
          `UPDATE deliveries SET status = 'failed', last_error = ?2, lease_until = NULL, updated_at = ?1
           WHERE id = ?3 AND status = 'pending' AND NOT ${ATTEMPT_UNDER_WAY}`,
        )
        .bind(now, clip(error), id)
        .run()
    },

    async listForLeads(leadIds) {
      if (leadIds.length === 0) return []
      const placeholders = leadIds.map(() => '?').join(', ')
      const { results } = await db
        .prepare(`SELECT ${DELIVERY_COLUMNS} FROM deliveries d WHERE d.lead_id IN (${placeholders}) ORDER BY d.created_at, d.id`)
        .bind(...leadIds)
        .all<DeliveryRow>()
      return results.map(toRecord)
    },

    async listByStatus({ siteId, statuses, limit, before }) {
      const { results } = await db
        .prepare(
          `SELECT ${DELIVERY_COLUMNS} FROM deliveries d
           WHERE d.site_id = ?1 AND d.status IN (SELECT value FROM json_each(?2))
             AND (?3 IS NULL OR d.created_at < ?3 OR (d.created_at = ?3 AND d.id < ?4))
           ORDER BY d.created_at DESC, d.id DESC LIMIT ?5`,
        )
        .bind(siteId, JSON.stringify(statuses), before?.createdAt ?? null, before?.id ?? '', limit)
        .all<DeliveryRow>()
      return results.map(toRecord)
    },

    async listAttempts(deliveryId) {
      const { results } = await db
        .prepare(
          `SELECT delivery_id, attempt, started_at, duration_ms, http_status, outcome, error
           FROM delivery_attempts WHERE delivery_id = ? ORDER BY attempt, id`,
        )
        .bind(deliveryId)
        .all<{
          delivery_id: string
          attempt: number
          started_at: number
          duration_ms: number
          http_status: number | null
          outcome: AttemptLogEntry['outcome']
          error: string | null
        }>()
      return results.map((r) => ({
        deliveryId: r.delivery_id,
        attempt: r.attempt,
        startedAt: r.started_at,
        durationMs: r.duration_ms,
        httpStatus: r.http_status,
        outcome: r.outcome,
        error: r.error,
      }))
    },

    async releaseLeases(ids, now) {
      if (ids.length === 0) return 0
      // Still set, but expired: claimDelivery reads that as an interrupted attempt. Never later than
      // it was, so the attempt that held it can still record its outcome.
      const result = await db
        .prepare(
          `UPDATE deliveries SET lease_until = MIN(lease_until, ?1 - 1), updated_at = ?1
           WHERE id IN (SELECT value FROM json_each(?2)) AND status = 'pending' AND lease_until IS NOT NULL`,
        )
        .bind(now, JSON.stringify(ids))
        .run()
      return result.meta.changes
    },

    async listOverdue(now, graceMs, limit) {
      const { results } = await db
        .prepare(
          `SELECT id FROM deliveries
           WHERE status = 'pending' AND next_attempt_at < ?1 AND (lease_until IS NULL OR lease_until < ?2)
           ORDER BY next_attempt_at LIMIT ?3`,
        )
        .bind(now - graceMs, now, limit)
        .all<{ id: string }>()
      return results.map((r) => r.id)
    },
  }
}
