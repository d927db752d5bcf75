// GET /v1/sites/:site/phone-metadata: the phone metadata of the site's countries (its `country`,
// then its `countries`) for the widget's phone field, which ships none of its own.
import { Hono } from 'hono'
import type { AppEnv } from '../deps'
import { methodNotAllowed } from '../http/method-not-allowed'
import { publicSite } from '../http/public-site'
import { sitePhoneMetadataJson } from '../phone/site-phone-metadata'

export const phoneMetadataRoute = new Hono<AppEnv>()

phoneMetadataRoute.get('/:site/phone-metadata', async (c) => {
  const site = await publicSite(c)
  const countries = [...new Set([site.config.country, ...(site.config.countries ?? [])])]
  // Like the config it follows: a change of the site's countries reaches visitors within minutes.
  c.header('Cache-Control', 'public, max-age=300')
  c.header('Content-Type', 'application/json; charset=UTF-8')
  return c.body(sitePhoneMetadataJson(countries))
})

phoneMetadataRoute.on(['POST', 'PUT', 'PATCH', 'DELETE'], '/:site/phone-metadata', methodNotAllowed(['GET', 'OPTIONS']))
