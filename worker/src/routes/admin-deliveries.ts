// GET /v1/admin/deliveries: a site's failed and pending deliveries across all its leads, newest
// first, for the console's deliveries page (what to replay after a CRM outage).
import { Hono } from 'hono'
import * as v from 'valibot'
import { SITE_KEY_PATTERN } from '../../../shared/schemas/lead'
import type { AdminEnv } from '../deps'
import { ApiError } from '../http/api-error'
import { parseOrReject } from '../http/valibot-issues'
import { scopedSite } from '../security/access-scope'
import type { DeliveryRecord, DeliveryStatus } from '../storage/types'
import { describeDelivery } from './lead-view'

export const adminDeliveriesRoute = new Hono<AdminEnv>()

const STATUSES = ['pending', 'failed', 'delivered'] as const satisfies readonly DeliveryStatus[]
const CURSOR = /^(\d{1,15}):(msg_[0-9a-f]{32})$/

const QuerySchema = v.object({
  site: v.optional(v.pipe(v.string(), v.regex(SITE_KEY_PATTERN, 'must be a site key'))),
  status: v.optional(
    v.pipe(
      v.string(),
      v.transform((s) => s.split(',').map((x) => x.trim())),
      v.array(v.picklist(STATUSES, 'must be pending, failed or delivered (or a comma list)')),
      v.minLength(1),
    ),
    'failed,pending',
  ),
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

const encodeCursor = (d: DeliveryRecord) => btoa(`${d.createdAt}:${d.id}`).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '')

adminDeliveriesRoute.get('/', async (c) => {
  const query = parseOrReject(QuerySchema, c.req.query(), 'The query is not valid.')
  const siteId = scopedSite(c, query.site)
  if (siteId === undefined) {
    throw new ApiError(400, 'validation_failed', 'Say which site.', { issues: [{ path: 'site', message: 'is required with the operator token' }] })
  }
  const { deps } = c.var
  const [createdAt, id] = query.cursor?.split(':') ?? []
  const rows = await deps.deliveries.listByStatus({
    siteId,
    statuses: query.status,
    limit: query.limit + 1,
    ...(createdAt !== undefined && id !== undefined && { before: { createdAt: Number(createdAt), id } }),
  })
  const page = rows.slice(0, query.limit)
  return c.json({
    site: siteId,
    deliveries: page.map((d) => ({ ...describeDelivery(d), leadId: d.leadId, createdAt: new Date(d.createdAt).toISOString() })),
    nextCursor: rows.length > query.limit ? encodeCursor(page.at(-1)!) : null,
  })
})
