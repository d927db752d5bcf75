// GET /v1/sites/:site/config: what the widget needs to render, and nothing secret.
import { Hono } from 'hono'
import type { AppEnv } from '../deps'
import { toPublicConfig } from '../../../shared/schemas/site-config'
import { methodNotAllowed } from '../http/method-not-allowed'
import { publicSite } from '../http/public-site'

export const publicConfigRoute = new Hono<AppEnv>()

publicConfigRoute.get('/:site/config', async (c) => {
  const site = await publicSite(c)
  // Short cache: config edits reach visitors within a minute, repeat page views cost nothing.
  c.header('Cache-Control', 'public, max-age=60')
  return c.json(toPublicConfig(site.id, site.config))
})

publicConfigRoute.on(['POST', 'PUT', 'PATCH', 'DELETE'], '/:site/config', methodNotAllowed(['GET', 'OPTIONS']))
