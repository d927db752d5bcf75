// The site a public GET is for (the widget's config and phone metadata): a known site, asked for
// from one of its allowed origins or from no page at all (a server, curl), or a 403.
import type { Context } from 'hono'
import { SITE_KEY_PATTERN } from '../../../shared/schemas/lead'
import type { AppEnv } from '../deps'
import type { SiteRecord } from '../storage/types'
import { ApiError } from './api-error'

export async function publicSite(c: Context<AppEnv>): Promise<SiteRecord> {
  const siteKey = c.req.param('site') ?? ''
  const site = SITE_KEY_PATTERN.test(siteKey) ? await c.var.deps.sites.getSite(siteKey) : null
  if (!site) throw new ApiError(403, 'unknown_site', `No site "${siteKey}" is configured.`)
  const origin = c.req.header('Origin')
  if (origin !== undefined && !site.config.origins.includes(origin)) {
    throw new ApiError(403, 'origin_not_allowed', `Origin ${origin} is not allowed for site "${site.id}".`)
  }
  return site
}
