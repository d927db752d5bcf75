// GET /v1/leads/:id/status: the live state of a lead's automatic call, for the widget's countdown.
// The id is the lead's UUID, which only the visitor's browser knows; the answer holds nothing
// personal ({ call, at? }), and only the lead's own site's origins may read it.
import { Hono } from 'hono'
import * as v from 'valibot'
import { isTelephonyTarget } from '../../../shared/schemas/targets/telephony'
import { targetId } from '../../../shared/schemas/site-config'
import type { AppEnv } from '../deps'
import { ApiError } from '../http/api-error'
import { publicCallStatus } from '../telephony/call-status'

export const leadCallStatusRoute = new Hono<AppEnv>()

const LeadIdSchema = v.pipe(v.string(), v.uuid())

leadCallStatusRoute.get('/:id/status', async (c) => {
  const raw = c.req.param('id')
  if (!v.is(LeadIdSchema, raw)) throw new ApiError(400, 'validation_failed', 'The lead id must be a UUID.', { issues: [{ path: 'id', message: 'must be a UUID' }] })
  const { deps } = c.var
  const id = raw.toLowerCase()
  const noCall = () => new ApiError(404, 'not_found', 'No call for this lead.')
  const lead = await deps.leads.findLead(id)
  if (!lead || lead.erased) throw noCall()
  const site = await deps.sites.getSite(lead.payload.site)
  if (!site) throw noCall()
  const origin = c.req.header('Origin')
  if (origin !== undefined && !site.config.origins.includes(origin)) {
    throw new ApiError(403, 'origin_not_allowed', `Origin ${origin} is not allowed for site "${site.id}".`)
  }
  const telephony = new Set(site.config.targets.flatMap((t, i) => (isTelephonyTarget(t) ? [targetId(t, i)] : [])))
  const deliveries = (await deps.deliveries.listForLeads([id])).filter((d) => telephony.has(d.targetId))
  const calls = await deps.calls.listForLead(id)
  // One call per lead in practice; with two telephony targets the livelier one speaks.
  const statuses = deliveries.map((d) => publicCallStatus(calls.find((call) => call.deliveryId === d.id) ?? null, d.status === 'pending'))
  const status = statuses.find((s) => s !== null && s.call !== 'missed') ?? statuses.find((s) => s !== null) ?? null
  if (!status) throw noCall()
  c.header('Cache-Control', 'no-store')
  return c.json(status)
})
