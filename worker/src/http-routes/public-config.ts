// GET /v1/sites/:site/config: what the widget needs to render, and nothing secret. Each fetch from
// one of the site's allowed origins is counted for "Is the tag live?" (tag-status/count-tag-load).
import { Hono } from 'hono'
import type { AppEnv } from '../deps'
import { toPublicConfig } from '../../../shared/schemas/site-config'
import { methodNotAllowed } from '../http/method-not-allowed'
import { publicSite } from '../http/public-site'
import { tagLoads } from '../tag-status/count-tag-load'

export const publicConfigRoute = new Hono<AppEnv>()

publicConfigRoute.get('/:site/config', async (c) => {
  const site = await publicSite(c)
  // publicSite refused any other Origin; a fetch with none (a server, curl) is not a page load.
  const origin = c.req.header('Origin')
  if (origin !== undefined && site.config.origins.includes(origin)) {
    const { deps } = c.var
    const write = tagLoads.count(deps, site.id, origin, deps.now())
    if (write) c.var.background(write.catch((error: unknown) => console.error('tag load not counted', site.id, error)))
  }
  // Short cache: config edits reach visitors within a minute, repeat page views cost nothing.
  c.header('Cache-Control', 'public, max-age=60')
  return c.json(toPublicConfig(site.id, site.config))
})

publicConfigRoute.on(['POST', 'PUT', 'PATCH', 'DELETE'], '/:site/config', methodNotAllowed(['GET', 'OPTIONS']))
