// The Hono app both runtimes serve: routes, CORS for public routes, admin auth (tokens or the
// console's session cookie), the console's sign-in, and the single error mapper. A runtime passes
// its first middleware, which sets `deps`, `background` and `clientIp` (cloudflare/index.ts,
// node/node-app.ts); nothing below knows which runtime it is on.
import { Hono } from 'hono'
import { HTTPException } from 'hono/http-exception'
import type { AppEnv, RuntimeMiddleware } from './deps'
import { ApiError } from './http/api-error'
import { adminAuth } from './middleware/admin-auth'
import { siteCors } from './middleware/site-cors'
import { adminErasureRoute } from './http-routes/admin-erasure'
import { adminLeadCallsRoute } from './http-routes/admin-lead-calls'
import { adminLeadStatusRoute } from './http-routes/admin-lead-status'
import { adminLeadsRoute } from './http-routes/admin-leads'
import { adminDeliveriesRoute } from './http-routes/admin-deliveries'
import { adminReplayRoute } from './http-routes/admin-replay'
import { adminStatsRoute } from './http-routes/admin-stats'
import { adminTakeRoute } from './http-routes/admin-take'
import { adminSitesRoute } from './http-routes/admin-sites'
import { adminConfigVersionsRoute } from './http-routes/admin-config-versions'
import { adminSpendRoute } from './http-routes/admin-spend'
import { adminTestLeadsRoute } from './http-routes/admin-test-leads'
import { adminTagStatusRoute } from './http-routes/admin-tag-status'
import { consoleSessionRoute } from './http-routes/console-session'
import { healthzRoute } from './http-routes/healthz'
import { adminInboundUrlsRoute } from './http-routes/admin-inbound-urls'
import { inboundAmoCrmRoute } from './http-routes/inbound-amocrm'
import { inboundBitrix24Route } from './http-routes/inbound-bitrix24'
import { inboundHubSpotRoute } from './http-routes/inbound-hubspot'
import { leadCallStatusRoute } from './http-routes/lead-call-status'
import { leadsRoute } from './http-routes/leads'
import { publicConfigRoute } from './http-routes/public-config'
import { phoneMetadataRoute } from './http-routes/phone-metadata'
import { telegramUpdatesRoute } from './http-routes/telegram-updates'
import { telephonyNotificationsRoute } from './http-routes/telephony-notifications'

export interface AppOptions {
  /** Runs after the runtime middleware and before the API routes (the Node server's static files). */
  before?: (app: Hono<AppEnv>) => void
}

export function createApp(runtime: RuntimeMiddleware, { before }: AppOptions = {}): Hono<AppEnv> {
  const app = new Hono<AppEnv>()
  app.use('*', runtime)
  before?.(app)

  const cors = siteCors({ isKnownOrigin: (deps, origin) => deps.sites.isKnownOrigin(origin) })
  app.use('/v1/leads', cors)
  app.use('/v1/sites/*', cors)
  app.use('/v1/leads/:id/status', cors)
  app.use('/v1/admin/*', adminAuth() as unknown as RuntimeMiddleware)

  app.route('/v1/leads', leadsRoute)
  app.route('/v1/leads', leadCallStatusRoute)
  app.route('/v1/sites', publicConfigRoute)
  app.route('/v1/sites', phoneMetadataRoute)
  app.route('/v1/telegram', telegramUpdatesRoute)
  // Lead outcomes back from the CRMs, each checked by the CRM's own proof (token, path secret, signature).
  app.route('/v1/inbound/bitrix24', inboundBitrix24Route)
  app.route('/v1/inbound/amocrm', inboundAmoCrmRoute)
  app.route('/v1/inbound/hubspot', inboundHubSpotRoute)
  // Call outcomes from the telephony providers, each checked by the provider's own signature.
  app.route('/v1/telephony', telephonyNotificationsRoute)
  app.route('/v1/admin/sites', adminSitesRoute)
  app.route('/v1/admin/sites', adminConfigVersionsRoute)
  app.route('/v1/admin/sites', adminSpendRoute)
  app.route('/v1/admin/sites', adminTestLeadsRoute)
  app.route('/v1/admin/sites', adminTagStatusRoute)
  app.route('/v1/admin/sites', adminInboundUrlsRoute)
  app.route('/v1/admin/leads', adminLeadsRoute)
  app.route('/v1/admin/leads', adminTakeRoute)
  app.route('/v1/admin/leads', adminLeadStatusRoute)
  app.route('/v1/admin/leads', adminLeadCallsRoute)
  app.route('/v1/admin/stats', adminStatsRoute)
  app.route('/v1/admin/erasure', adminErasureRoute)
  app.route('/v1/admin/deliveries', adminDeliveriesRoute)
  app.route('/v1/admin', adminReplayRoute)
  // Outside /v1/admin: signing in is how a console gets its credential (a session cookie).
  app.route('/v1/console', consoleSessionRoute)
  app.route('/healthz', healthzRoute)

  app.get('/health', (c) => c.json({ ok: true }))

  app.notFound((c) => c.json(new ApiError(404, 'not_found', `No route for ${c.req.method} ${c.req.path}.`).toBody(), 404))

  app.onError((error, c) => {
    if (error instanceof ApiError) {
      for (const [name, value] of Object.entries(error.headers ?? {})) c.header(name, value)
      return c.json(error.toBody(), error.status)
    }
    if (error instanceof HTTPException && error.status < 500) {
      const known = new ApiError(error.status as 400, 'validation_failed', error.message || 'Bad request.')
      return c.json(known.toBody(), known.status)
    }
    console.error('unhandled error', c.req.method, c.req.path, error)
    return c.json(new ApiError(500, 'internal_error', 'Something went wrong on our side; nothing you sent was stored twice.').toBody(), 500)
  })
  return app
}
