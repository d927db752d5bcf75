// GET /v1/admin/leads (newest first, cursor-paginated) and GET /v1/admin/leads/:id with its deliveries.
import { Hono } from 'hono'
import * as v from 'valibot'
import { SITE_KEY_PATTERN } from '../../../shared/schemas/lead'
import { createDeps } from '../deps'
import { ApiError } from '../http/api-error'
import { toFieldIssues } from '../http/valibot-issues'
import type { DeliveryRecord, LeadRecord } from '../storage/types'

export const adminLeadsRoute = new Hono<{ Bindings: Env }>()

const CURSOR = /^(\d{1,15}):([0-9a-f-]{36})$/

const ListQuerySchema = v.object({
  site: v.optional(v.pipe(v.string(), v.regex(SITE_KEY_PATTERN, 'must be a site key'))),
  limit: v.optional(
    v.pipe(v.string(), v.regex(/^\d{1,3}$/, 'must be a number from 1 to 200'), v.transform(Number), v.minValue(1), v.maxValue(200)),
    '50',
  ),
  cursor: v.optional(
    v.pipe(
      v.string(),
      v.transform((s) => {
        try {
          return atob(s.replaceAll('-', '+').replaceAll('_', '/'))
        } catch {
          return ''
        }
      }),
      v.regex(CURSOR, 'is not a cursor from a previous page'),
    ),
  ),
})

function encodeCursor(record: LeadRecord): string {
  return btoa(`${record.createdAt}:${record.payload.id}`).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '')
}

function describeDelivery(d: DeliveryRecord) {
  return {
    id: d.id,
    targetId: d.targetId,
    eventType: d.eventType,
    status: d.status,
    attempts: d.attempts,
    nextAttemptAt: d.status === 'pending' ? new Date(d.nextAttemptAt).toISOString() : null,
    lastError: d.lastError,
    deliveredAt: d.deliveredAt === null ? null : new Date(d.deliveredAt).toISOString(),
  }
}

function describeLead(record: LeadRecord, deliveries: DeliveryRecord[]) {
  const { payload } = record
  return { ...payload, reply: { text: record.replyText }, deliveries: deliveries.map(describeDelivery) }
}

adminLeadsRoute.get('/', async (c) => {
  const parsed = v.safeParse(ListQuerySchema, c.req.query())
  if (!parsed.success) {
    throw new ApiError(400, 'validation_failed', 'Invalid query parameters.', { issues: toFieldIssues(parsed.issues) })
  }
  const { site, limit, cursor } = parsed.output
  const deps = createDeps(c.env)
  const before = cursor ? { createdAt: Number(cursor.split(':')[0]), id: cursor.split(':')[1]! } : undefined
  // One row more than asked tells whether there is a next page without a COUNT query.
  const rows = await deps.leads.listLeads({ ...(site !== undefined && { siteId: site }), limit: limit + 1, ...(before && { before }) })
  const page = rows.slice(0, limit)
  const deliveries = await deps.deliveries.listForLeads(page.map((r) => r.payload.id))
  return c.json({
    leads: page.map((r) => describeLead(r, deliveries.filter((d) => d.leadId === r.payload.id))),
    nextCursor: rows.length > limit ? encodeCursor(page.at(-1)!) : null,
  })
})

adminLeadsRoute.get('/:id', async (c) => {
  const id = c.req.param('id')
  const deps = createDeps(c.env)
  const record = /^[0-9a-f-]{36}$/i.test(id) ? await deps.leads.findLead(id) : null
  if (!record) throw new ApiError(404, 'not_found', `No lead "${id}".`)
  const deliveries = await deps.deliveries.listForLeads([id])
  const attempts = await Promise.all(deliveries.map((d) => deps.deliveries.listAttempts(d.id)))
  return c.json({
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
  })
})
