// Replaying deliveries: one by id, or every failed delivery of a site (after a CRM outage or a
// fixed target URL). Each starts a fresh retry schedule and keeps its webhook-id.
import { Hono } from 'hono'
import type { Context } from 'hono'
import type { AdminEnv, Deps } from '../deps'
import { deliverNow } from '../delivery/deliver-now'
import { ApiError } from '../http/api-error'
import { configuredSite } from '../http/configured-site'
import { assertSiteAccess } from '../security/access-scope'

export const adminReplayRoute = new Hono<AdminEnv>()

/** requeue left the delivery alone: its lead was erased, or an attempt holds it. */
async function whyNotRequeued(deps: Deps, leadId: string): Promise<ApiError> {
  if ((await deps.leads.findLead(leadId))?.erased) {
    return new ApiError(409, 'lead_erased', "This lead's personal data was erased: its deliveries cannot be sent again.")
  }
  return new ApiError(409, 'delivery_busy', 'An attempt at this delivery is under way: replay it once that attempt ends.')
}

function startNow(c: Context<AdminEnv>, deps: Deps, ids: string[]) {
  if (ids.length > 0) c.var.background(deliverNow(deps, ids))
  return c.json({ replayed: ids.length, deliveryIds: ids }, 202)
}

adminReplayRoute.post('/deliveries/:id/replay', async (c) => {
  const id = c.req.param('id')
  const { deps } = c.var
  const delivery = /^msg_[0-9a-f]{32}$/.test(id) ? await deps.deliveries.getDelivery(id) : null
  // The words assertSiteAccess uses for another site's delivery: a site token learns nothing.
  if (!delivery) throw new ApiError(404, 'not_found', 'No delivery here.')
  assertSiteAccess(c, delivery.siteId, 'delivery')
  // requeue leaves an erased lead's delivery alone, as it does one an attempt holds; only then is
  // the lead read, to say which.
  const ids = await deps.deliveries.requeue({ ids: [id] }, deps.now())
  if (ids.length === 0) throw await whyNotRequeued(deps, delivery.leadId)
  return startNow(c, deps, ids)
})

adminReplayRoute.post('/sites/:site/replay-failed', async (c) => {
  assertSiteAccess(c, c.req.param('site'), 'site')
  const { deps } = c.var
  const site = await configuredSite(deps, c.req.param('site'))
  return startNow(c, deps, await deps.deliveries.requeue({ siteId: site.id, status: 'failed' }, deps.now()))
})
