// GET /v1/admin/sites/:site/tag-status: "Is the tag live?" — for every allowed origin of the site,
// when the widget last loaded its config there and how many times today (UTC). Counted by the
// config route (tag-status/count-tag-load); a site token may read its own site's.
import { Hono } from 'hono'
import type { TagStatus } from '../../../shared/console-api'
import type { AdminEnv } from '../deps'
import { configuredSite } from '../http/configured-site'
import { methodNotAllowed } from '../http/method-not-allowed'
import { assertSiteAccess } from '../security/access-scope'
import { utcDay } from '../tag-status/count-tag-load'
import { siteKeyOf } from './admin-sites'

export const adminTagStatusRoute = new Hono<AdminEnv>()

adminTagStatusRoute.get('/:site/tag-status', async (c) => {
  const siteKey = siteKeyOf(c.req.param('site'))
  assertSiteAccess(c, siteKey, 'site')
  const { deps } = c.var
  const site = await configuredSite(deps, siteKey)
  const counted = new Map((await deps.tagSeen.status(site.id, utcDay(deps.now()))).map((row) => [row.origin, row]))
  // Origins no longer allowed keep their rows but are not shown; an allowed one never seen reads null.
  const body: TagStatus = {
    site: site.id,
    origins: site.config.origins.map((origin) => {
      const row = counted.get(origin)
      return { origin, lastLoadedAt: row?.lastLoadedAt != null ? new Date(row.lastLoadedAt).toISOString() : null, loadsToday: row?.loads ?? 0 }
    }),
  }
  return c.json(body)
})

adminTagStatusRoute.on(['POST', 'PUT', 'PATCH', 'DELETE'], '/:site/tag-status', methodNotAllowed(['GET']))
