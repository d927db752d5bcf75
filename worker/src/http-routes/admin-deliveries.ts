// GET /v1/admin/deliveries: a site's failed and pending deliveries across all its leads, newest
// first, for the console's deliveries page (what to replay after a CRM outage).
import { Hono } from 'hono'
import * as v from 'valibot'
import { SITE_KEY_PATTERN } from '../../../shared/schemas/lead'
import type { AdminEnv } from '../deps'
import { ApiError } from '../http/api-error'
import { parseOrReject } from '../http/valibot-issues'
import { scopedSite } from '../security/access-scope'
import type { DeliveryStatus } from '../storage/types'
import { describeDelivery } from './lead-view'
import { LimitParamSchema, cursorParam, encodeCursor } from '../http/query-params'

export const adminDeliveriesRoute = new Hono<AdminEnv>()

const STATUSES = ['pending', 'failed', 'delivered', 'skipped'] as const satisfies readonly DeliveryStatus[]

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
  limit: LimitParamSchema,
  cursor: cursorParam('msg_[0-9a-f]{32}'),
})

adminDeliveriesRoute.get('/', async (c) => {
  const query = parseOrReject(QuerySchema, c.req.query(), 'The query is not valid.')
  const siteId = scopedSite(c, query.site)
  if (siteId === undefined) {
    throw new ApiError(400, 'validation_failed', 'Say which site.', { issues: [{ path: 'site', message: 'is required with the operator token' }] })
  }
  const { deps } = c.var
  const rows = await deps.deliveries.listByStatus({
    siteId,
    statuses: query.status,
    limit: query.limit + 1,
    ...(query.cursor && { before: query.cursor }),
  })
  const page = rows.slice(0, query.limit)
  return c.json({
    site: siteId,
    deliveries: page.map((d) => ({ ...describeDelivery(d), leadId: d.leadId, createdAt: new Date(d.createdAt).toISOString() })),
    nextCursor: rows.length > query.limit ? encodeCursor(page.at(-1)!) : null,
  })
})
