// GET /v1/sites/:site/config: what the widget needs to render, and nothing secret.
import { Hono } from 'hono'
import type { AppEnv } from '../deps'
import { SITE_KEY_PATTERN } from '../../../shared/schemas/lead'
import { toPublicConfig } from '../../../shared/schemas/site-config'
import { ApiError } from '../http/api-error'
import { methodNotAllowed } from '../http/method-not-allowed'

export const publicConfigRoute = new Hono<AppEnv>()

publicConfigRoute.get('/:site/config', async (c) => {
  const siteKey = c.req.param('site')
  const site = SITE_KEY_PATTERN.test(siteKey) ? await c.var.deps.sites.getSite(siteKey) : null
  if (!site) throw new ApiError(403, 'unknown_site', `No site "${siteKey}" is configured.`)
  const origin = c.req.header('Origin')
  if (origin !== undefined && !site.config.origins.includes(origin)) {
    throw new ApiError(403, 'origin_not_allowed', `Origin ${origin} is not allowed for site "${site.id}".`)
  }
  // Short cache: config edits reach visitors within a minute, repeat page views cost nothing.
  c.header('Cache-Control', 'public, max-age=60')
  return c.json(toPublicConfig(site.id, site.config))
})

publicConfigRoute.on(['POST', 'PUT', 'PATCH', 'DELETE'], '/:site/config', methodNotAllowed(['GET', 'OPTIONS']))
