// GET /v1/admin/leads (filters, cursor pages, CSV export) and GET /v1/admin/leads/:id with its
// deliveries and every attempt.
import { Hono } from 'hono'
import * as v from 'valibot'
import { SITE_KEY_PATTERN } from '../../../shared/schemas/lead'
import { ApiError } from '../http/api-error'
import { toCsv } from '../http/csv'
import { parseOrReject } from '../http/valibot-issues'
import type { DeliveryRecord, LeadQuery, LeadRecord } from '../storage/types'
import { BooleanParamSchema, DateParamSchema } from './query-params'
import { assertSiteAccess, scopedSite } from '../security/access-scope'
import type { AdminEnv } from '../deps'

export const adminLeadsRoute = new Hono<AdminEnv>()

const CURSOR = /^(\d{1,15}):([0-9a-f-]{36})$/
const CSV_MAX_ROWS = 10_000

const ListQuerySchema = v.object({
  site: v.optional(v.pipe(v.string(), v.regex(SITE_KEY_PATTERN, 'must be a site key'))),
  from: v.optional(DateParamSchema),
  to: v.optional(DateParamSchema),
  temperature: v.optional(v.picklist(['hot', 'warm', 'cold'], 'must be hot, warm or cold')),
  spam: v.optional(BooleanParamSchema),
  duplicate: v.optional(BooleanParamSchema),
  format: v.optional(v.picklist(['json', 'csv'], 'must be json or csv'), 'json'),
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
  return {
    ...record.payload,
    status: record.status,
    flags: record.flags,
    reply: { text: record.replyText },
    deliveries: deliveries.map(describeDelivery),
  }
}

const CSV_HEADER = [
  'id', 'created_at', 'site', 'source', 'status', 'spam_flags', 'name', 'phone', 'email', 'score', 'temperature',
  'reasons', 'duplicate_of', 'utm_source', 'utm_medium', 'utm_campaign', 'page', 'message',
]

function csvRow({ payload, status, flags }: LeadRecord): unknown[] {
  const utm = payload.context?.utm
  return [
    payload.id, payload.createdAt, payload.site, payload.source, status, flags.map((f) => f.code).join(' '),
    payload.contact.name, payload.contact.phone, payload.contact.email, payload.score, payload.temperature,
    payload.reasons.map((r) => `${r.points > 0 ? '+' : ''}${r.points} ${r.text}`).join('; '), payload.duplicateOf,
    utm?.source, utm?.medium, utm?.campaign, payload.context?.page, payload.message,
  ]
}

adminLeadsRoute.get('/', async (c) => {
  const params = parseOrReject(ListQuerySchema, c.req.query(), 'Invalid query parameters.')
  const { from, to, temperature, spam, duplicate, format, limit, cursor } = params
  const site = scopedSite(c, params.site)
  const { deps } = c.var
  const query: LeadQuery = {
    ...(site !== undefined && { siteId: site }),
    ...(from !== undefined && { from }),
    ...(to !== undefined && { to }),
    ...(temperature !== undefined && { temperature }),
    ...(spam !== undefined && { spam }),
    ...(duplicate !== undefined && { duplicate }),
    limit,
    ...(cursor && { before: { createdAt: Number(cursor.split(':')[0]), id: cursor.split(':')[1]! } }),
  }

  if (format === 'csv') {
    const rows: LeadRecord[] = []
    let before = query.before
    while (rows.length < CSV_MAX_ROWS) {
      const page = await deps.leads.listLeads({ ...query, limit: 500, ...(before && { before }) })
      rows.push(...page)
      if (page.length < 500) break
      before = { createdAt: page.at(-1)!.createdAt, id: page.at(-1)!.payload.id }
    }
    c.header('Content-Type', 'text/csv; charset=utf-8')
    c.header('Content-Disposition', `attachment; filename="leads${site ? `-${site}` : ''}.csv"`)
    if (rows.length >= CSV_MAX_ROWS) c.header('X-Truncated', 'true')
    return c.body(toCsv(CSV_HEADER, rows.slice(0, CSV_MAX_ROWS).map(csvRow)))
  }

  // One row more than asked tells whether there is a next page without a COUNT query.
  const rows = await deps.leads.listLeads({ ...query, limit: limit + 1 })
  const page = rows.slice(0, limit)
  const deliveries = await deps.deliveries.listForLeads(page.map((r) => r.payload.id))
  return c.json({
    leads: page.map((r) => describeLead(r, deliveries.filter((d) => d.leadId === r.payload.id))),
    nextCursor: rows.length > limit ? encodeCursor(page.at(-1)!) : null,
  })
})

adminLeadsRoute.get('/:id', async (c) => {
  const id = c.req.param('id')
  const { deps } = c.var
  const record = /^[0-9a-f-]{36}$/i.test(id) ? await deps.leads.findLead(id) : null
  if (!record) throw new ApiError(404, 'not_found', `No lead "${id}".`)
  assertSiteAccess(c, record.payload.site, 'lead')
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
