// How the admin API shows a lead (list rows, the detail, the answer to a status change) and how a
// route finds the lead at `:id` for the caller, with one 404 whatever the reason.
import type { Context } from 'hono'
import type { LeadHistoryEntry } from '../../../shared/schemas/lead-status'
import type { AdminEnv, Deps } from '../deps'
import { ApiError } from '../http/api-error'
import { assertSiteAccess } from '../security/access-scope'
import type { DeliveryRecord, LeadEvent, LeadRecord } from '../storage/types'

const LEAD_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

/** The 404 assertSiteAccess gives for another site's lead, so an unknown id reads the same. */
export function leadNotFound(): ApiError {
  return new ApiError(404, 'not_found', 'No lead here.')
}

/**
 * The lead at `:id` (any case: ids are stored lower-case) if the caller may see it. Unknown, badly
 * formed and other sites' ids all answer the same 404, so a site token learns nothing about them.
 */
export async function findVisibleLead(c: Context<AdminEnv>, rawId: string): Promise<{ id: string; record: LeadRecord }> {
  const id = rawId.toLowerCase()
  const record = LEAD_ID.test(id) ? await c.var.deps.leads.findLead(id) : null
  if (!record) throw leadNotFound()
  assertSiteAccess(c, record.payload.site, 'lead')
  return { id, record }
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString())

export function describeDelivery(d: DeliveryRecord) {
  return {
    id: d.id,
    targetId: d.targetId,
    eventType: d.eventType,
    status: d.status,
    attempts: d.attempts,
    nextAttemptAt: d.status === 'pending' ? iso(d.nextAttemptAt) : null,
    lastError: d.lastError,
    deliveredAt: iso(d.deliveredAt),
  }
}

/** A list row: the payload, where the lead is in its lifecycle, the ingest verdict and its deliveries. */
export function describeLead(record: LeadRecord, deliveries: DeliveryRecord[]) {
  return {
    ...record.payload,
    status: record.stage,
    junkReason: record.junkReason,
    firstActionAt: iso(record.firstActionAt),
    takenBy: record.takenBy,
    spam: record.status === 'spam',
    flags: record.flags,
    reply: { text: record.replyText },
    deliveries: deliveries.map(describeDelivery),
  }
}

export function describeEvent(event: LeadEvent): LeadHistoryEntry {
  return {
    id: event.id,
    at: new Date(event.at).toISOString(),
    kind: event.kind,
    from: event.from,
    to: event.to,
    reason: event.reason,
    note: event.note,
    by: event.actor,
    source: event.source,
  }
}

/** GET /v1/admin/leads/:id and the answer to PATCH: every delivery with its attempts, and the history. */
export async function leadDetail(deps: Deps, record: LeadRecord) {
  const id = record.payload.id
  const [deliveries, events] = await Promise.all([deps.deliveries.listForLeads([id]), deps.leads.listEvents(id)])
  const attempts = await Promise.all(deliveries.map((d) => deps.deliveries.listAttempts(d.id)))
  return {
    ...describeLead(record, []),
    deliveries: deliveries.map((d, i) => ({
      ...describeDelivery(d),
      log: attempts[i]!.map((a) => ({
        attempt: a.attempt,
        at: new Date(a.startedAt).toISOString(),
        durationMs: a.durationMs,
        httpStatus: a.httpStatus,
        outcome: a.outcome,
        error: a.error,
      })),
    })),
    history: events.map(describeEvent),
  }
}
