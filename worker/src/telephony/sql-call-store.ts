// CallStore on SQL (D1 or node:sqlite): calls, legs, the call timeline and the dial log.
import type { SqlDatabase } from '../storage/sql-database'
import type { CallEventRecord, CallLeg, CallRecord, CallState, CallStore, DialRefusal, LegOutcome } from './call-store'

interface CallRow {
  delivery_id: string
  lead_id: string
  site_id: string
  state: CallState
  reason: string | null
  scheduled_at: number | null
  updated_at: number
}

interface LegRow {
  id: string
  delivery_id: string
  seq: number
  manager_id: string
  provider_call_id: string | null
  placed_at: number
  manager_answered_at: number | null
  ended_at: number | null
  outcome: LegOutcome | null
}

const CALL_STATES: readonly CallState[] = ['skipped', 'scheduled', 'ringing_manager', 'calling_you', 'connected', 'missed', 'failed']
const LEG_OUTCOMES: readonly LegOutcome[] = ['manager_missed', 'visitor_answered', 'visitor_missed', 'failed']

/** Stored text is parsed, not trusted: an unknown state (a newer version's) reads as failed. */
function parseState(value: string): CallState {
  return (CALL_STATES as readonly string[]).includes(value) ? (value as CallState) : 'failed'
}

function toLeg(row: LegRow): CallLeg {
  return {
    id: row.id,
    deliveryId: row.delivery_id,
    seq: row.seq,
    managerId: row.manager_id,
    providerCallId: row.provider_call_id,
    placedAt: row.placed_at,
    managerAnsweredAt: row.manager_answered_at,
    endedAt: row.ended_at,
    outcome: row.outcome !== null && (LEG_OUTCOMES as readonly string[]).includes(row.outcome) ? row.outcome : null,
  }
}

const LEG_COLUMNS = 'id, delivery_id, seq, manager_id, provider_call_id, placed_at, manager_answered_at, ended_at, outcome'
/** The same, of the legs table named `l` in a join. */
const LEG_COLUMNS_OF_L = LEG_COLUMNS.split(', ')
  .map((column) => `l.${column}`)
  .join(', ')
const DAY_MS = 24 * 60 * 60 * 1000
const HOUR_MS = 60 * 60 * 1000

export function sqlCallStore(db: SqlDatabase): CallStore {
  const event = (deliveryId: string, leadId: string | null, legId: string | null, at: number, kind: string, detail: string) =>
    db
      .prepare(
        `INSERT INTO call_events (delivery_id, lead_id, leg_id, at, kind, detail)
         VALUES (?1, COALESCE(?2, (SELECT lead_id FROM calls WHERE delivery_id = ?1)), ?3, ?4, ?5, ?6)`,
      )
      .bind(deliveryId, leadId, legId, at, kind, detail)

  async function withLegs(rows: CallRow[]): Promise<CallRecord[]> {
    if (rows.length === 0) return []
    const { results } = await db
      .prepare(`SELECT ${LEG_COLUMNS} FROM call_legs WHERE delivery_id IN (${rows.map((_, i) => `?${i + 1}`).join(', ')}) ORDER BY seq`)
      .bind(...rows.map((r) => r.delivery_id))
      .all<LegRow>()
    return rows.map((row) => ({
      deliveryId: row.delivery_id,
      leadId: row.lead_id,
      siteId: row.site_id,
      state: parseState(row.state),
      reason: row.reason,
      scheduledAt: row.scheduled_at,
      updatedAt: row.updated_at,
      legs: results.filter((l) => l.delivery_id === row.delivery_id).map(toLeg),
    }))
  }

  const CALL_COLUMNS = 'delivery_id, lead_id, site_id, state, reason, scheduled_at, updated_at'

  return {
    async find(deliveryId) {
      const row = await db.prepare(`SELECT ${CALL_COLUMNS} FROM calls WHERE delivery_id = ?`).bind(deliveryId).first<CallRow>()
      return row ? ((await withLegs([row]))[0] ?? null) : null
    },

    async listForLead(leadId) {
      const { results } = await db.prepare(`SELECT ${CALL_COLUMNS} FROM calls WHERE lead_id = ? ORDER BY created_at DESC, delivery_id`).bind(leadId).all<CallRow>()
      return withLegs(results)
    },

    async open(call, { kind, detail }, now) {
      await db.batch([
        db
          .prepare(
            `INSERT INTO calls (delivery_id, lead_id, site_id, state, reason, scheduled_at, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)
             ON CONFLICT (delivery_id) DO UPDATE SET state = ?4, reason = ?5, scheduled_at = ?6, updated_at = ?7`,
          )
          .bind(call.deliveryId, call.leadId, call.siteId, call.state, call.reason, call.scheduledAt, now),
        event(call.deliveryId, call.leadId, null, now, kind, detail),
      ])
    },

    async setState(deliveryId, state, reason, { kind, detail, legId }, now) {
      await db.batch([
        db.prepare('UPDATE calls SET state = ?2, reason = ?3, updated_at = ?4 WHERE delivery_id = ?1').bind(deliveryId, state, reason, now),
        event(deliveryId, null, legId ?? null, now, kind, detail),
      ])
    },

    async reserveDial({ phoneHash, siteId, leadId }, caps, now) {
      // One INSERT … SELECT … WHERE: SQLite runs it as one write, so the counts and the insert
      // cannot interleave with another lead's.
      const inserted = await db
        .prepare(
          `INSERT INTO dials (phone_hash, site_id, lead_id, at)
           SELECT ?1, ?2, ?3, ?4
           WHERE (SELECT COUNT(*) FROM dials WHERE phone_hash = ?1 AND at > ?4 - ?5) = 0
             AND (SELECT COUNT(*) FROM dials WHERE phone_hash = ?1 AND at > ?4 - ${DAY_MS}) < ?6
             AND (SELECT COUNT(*) FROM dials WHERE site_id = ?2 AND at > ?4 - ${HOUR_MS}) < ?7
             AND (SELECT COUNT(*) FROM dials WHERE site_id = ?2 AND at > ?4 - ${DAY_MS}) < ?8`,
        )
        .bind(phoneHash, siteId, leadId, now, caps.numberIntervalMs, caps.numberPerDay, caps.sitePerHour, caps.sitePerDay)
        .run()
      if (inserted.meta.changes > 0) return null
      // Refused: say which cap, for the log.
      const counts = await db
        .prepare(
          `SELECT
             (SELECT COUNT(*) FROM dials WHERE phone_hash = ?1 AND at > ?3 - ?4) AS recent,
             (SELECT COUNT(*) FROM dials WHERE phone_hash = ?1 AND at > ?3 - ${DAY_MS}) AS number_day,
             (SELECT COUNT(*) FROM dials WHERE site_id = ?2 AND at > ?3 - ${HOUR_MS}) AS site_hour`,
        )
        .bind(phoneHash, siteId, now, caps.numberIntervalMs)
        .first<{ recent: number; number_day: number; site_hour: number }>()
      const refusal: DialRefusal =
        (counts?.recent ?? 0) > 0
          ? 'number_interval'
          : (counts?.number_day ?? 0) >= caps.numberPerDay
            ? 'number_per_day'
            : (counts?.site_hour ?? 0) >= caps.sitePerHour
              ? 'site_per_hour'
              : 'site_per_day'
      return refusal
    },

    async addLeg(leg, { kind, detail }, now) {
      await db.batch([
        db
          .prepare(
            `INSERT INTO call_legs (id, delivery_id, seq, manager_id, provider_call_id, visitor_hash, placed_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)`,
          )
          .bind(leg.id, leg.deliveryId, leg.seq, leg.managerId, leg.providerCallId, leg.visitorHash, now),
        db.prepare(`UPDATE calls SET state = 'ringing_manager', reason = NULL, updated_at = ?2 WHERE delivery_id = ?1`).bind(leg.deliveryId, now),
        event(leg.deliveryId, null, leg.id, now, kind, detail),
      ])
    },

    async findLeg({ siteId, targetId }, { legId, providerCallId, visitorHash }) {
      const [where, value] = legId
        ? ['l.id = ?3', legId]
        : providerCallId
          ? ['l.provider_call_id = ?3', providerCallId]
          : visitorHash
            ? ['l.visitor_hash = ?3', visitorHash]
            : [null, null]
      if (where === null) return null
      // Only a leg of the target whose credentials signed the notification: another site's call
      // (one tenant's provider account naming another's visitor or session id) is not found.
      const row = await db
        .prepare(
          `SELECT ${LEG_COLUMNS_OF_L} FROM call_legs l JOIN deliveries d ON d.id = l.delivery_id
           WHERE ${where} AND d.site_id = ?1 AND d.target_id = ?2 ORDER BY l.placed_at DESC LIMIT 1`,
        )
        .bind(siteId, targetId, value)
        .first<LegRow>()
      return row ? toLeg(row) : null
    },

    async nameProviderCall(leg, providerCallId) {
      await db.prepare('UPDATE call_legs SET provider_call_id = ?2 WHERE id = ?1 AND provider_call_id IS NULL').bind(leg.id, providerCallId).run()
    },

    async markManagerAnswered(leg, detail, now) {
      await db.batch([
        db.prepare('UPDATE call_legs SET manager_answered_at = ?2 WHERE id = ?1 AND manager_answered_at IS NULL').bind(leg.id, now),
        db.prepare(`UPDATE calls SET state = 'calling_you', reason = NULL, updated_at = ?2 WHERE delivery_id = ?1`).bind(leg.deliveryId, now),
        event(leg.deliveryId, null, leg.id, now, 'manager_answered', detail),
      ])
    },

    async endLeg(leg, outcome, detail, now) {
      await db.batch([
        db.prepare('UPDATE call_legs SET outcome = ?2, ended_at = ?3 WHERE id = ?1').bind(leg.id, outcome, now),
        event(leg.deliveryId, null, leg.id, now, outcome, detail),
      ])
    },

    async listEvents(leadId) {
      const { results } = await db
        .prepare('SELECT delivery_id, leg_id, at, kind, detail FROM call_events WHERE lead_id = ? ORDER BY at, id')
        .bind(leadId)
        .all<{ delivery_id: string; leg_id: string | null; at: number; kind: string; detail: string | null }>()
      return results.map((r): CallEventRecord => ({ deliveryId: r.delivery_id, legId: r.leg_id, at: r.at, kind: r.kind, detail: r.detail }))
    },

    async restart(deliveryId, now) {
      await db.batch([db.prepare('DELETE FROM call_legs WHERE delivery_id = ?').bind(deliveryId), event(deliveryId, null, null, now, 'replayed', 'a fresh round')])
    },

    async pullForward(deliveryId, now) {
      const { meta } = await db
        .prepare(`UPDATE deliveries SET next_attempt_at = ?2, updated_at = ?2 WHERE id = ?1 AND status = 'pending' AND lease_until IS NULL AND next_attempt_at > ?2`)
        .bind(deliveryId, now)
        .run()
      return meta.changes > 0
    },

    async prune(now) {
      await db.batch([
        db.prepare('DELETE FROM dials WHERE at <= ?').bind(now - DAY_MS),
        db.prepare("UPDATE call_legs SET visitor_hash = '' WHERE placed_at <= ? AND visitor_hash != ''").bind(now - DAY_MS),
      ])
    },

    async recordFirstAction(leadId, now) {
      await db.prepare('UPDATE leads SET first_action_at = ?2 WHERE id = ?1 AND first_action_at IS NULL').bind(leadId, now).run()
    },
  }
}
