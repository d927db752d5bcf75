// GET /v1/admin/sites/:site/inbound-urls: for each CRM and telephony target of the site, the exact
// address to register there for outcomes back (crm-outcomes/inbound-urls.ts), built on the origin
// this request came to, so the console can show it beside the target. No secret is in the answer;
// a site token may read its own site's.
import { Hono } from 'hono'
import type { AdminEnv } from '../deps'
import { inboundUrls } from '../crm-outcomes/inbound-urls'
import { configuredSite } from '../http/configured-site'
import { methodNotAllowed } from '../http/method-not-allowed'
import { assertSiteAccess } from '../security/access-scope'
import { siteKeyOf } from './admin-sites'

export const adminInboundUrlsRoute = new Hono<AdminEnv>()

adminInboundUrlsRoute.get('/:site/inbound-urls', async (c) => {
  const siteKey = siteKeyOf(c.req.param('site'))
  assertSiteAccess(c, siteKey, 'site')
  const site = await configuredSite(c.var.deps, siteKey)
  return c.json({ site: site.id, inbound: inboundUrls(site.id, site.config, new URL(c.req.url).origin) })
})

adminInboundUrlsRoute.on(['POST', 'PUT', 'PATCH', 'DELETE'], '/:site/inbound-urls', methodNotAllowed(['GET']))
