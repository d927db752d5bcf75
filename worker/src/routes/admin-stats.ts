// GET /v1/admin/stats: source quality per UTM source, campaign, lead source or landing page — the
// report that shows which campaign sends junk.
import { Hono } from 'hono'
import * as v from 'valibot'
import { SITE_KEY_PATTERN } from '../../../shared/schemas/lead'
import { ApiError } from '../http/api-error'
import { parseOrReject } from '../http/valibot-issues'
import { STATS_GROUPS } from '../storage/types'
import type { SourceQualityRow } from '../storage/types'
import { DateParamSchema } from './query-params'
import { assertSiteAccess } from '../security/access-scope'
import type { AdminEnv } from '../deps'

export const adminStatsRoute = new Hono<AdminEnv>()

const StatsQuerySchema = v.object({
  site: v.pipe(v.string('is required'), v.regex(SITE_KEY_PATTERN, 'must be a site key')),
  from: v.optional(DateParamSchema),
  to: v.optional(DateParamSchema),
  by: v.optional(v.picklist(STATS_GROUPS, `must be one of ${STATS_GROUPS.join(', ')}`), 'utm_source'),
})

const percent = (part: number, whole: number) => (whole === 0 ? 0 : Math.round((part / whole) * 1000) / 10)

function describe(row: SourceQualityRow) {
  return {
    group: row.group,
    leads: row.submissions,
    accepted: row.accepted,
    spamPercent: percent(row.spam, row.submissions),
    invalidPhonePercent: percent(row.invalidPhone, row.submissions),
    duplicatePercent: percent(row.duplicates, row.accepted),
    rejected: row.invalidPhone + row.otherRejected,
    spam: row.spam,
    hot: row.hot,
    warm: row.warm,
    cold: row.cold,
    medianFirstDeliveryMs: row.medianFirstDeliveryMs,
  }
}

adminStatsRoute.get('/', async (c) => {
  const query = parseOrReject(StatsQuerySchema, c.req.query(), 'Invalid query parameters.')
  assertSiteAccess(c, query.site, 'site')
  const { deps } = c.var
  const to = query.to ?? deps.now() + 1
  const from = query.from ?? to - 30 * 24 * 60 * 60 * 1000
  if (from >= to) {
    throw new ApiError(400, 'validation_failed', 'Invalid query parameters.', { issues: [{ path: 'from', message: 'must be before "to"' }] })
  }
  const rows = await deps.stats.sourceQuality({ siteId: query.site, from, to, by: query.by })
  return c.json({
    site: query.site,
    by: query.by,
    from: new Date(from).toISOString(),
    to: new Date(to).toISOString(),
    groups: rows.map(describe),
  })
})
