// POST /v1/admin/leads/:id/take: a manager takes a lead (first press wins), from a CRM button,
// a script or the Telegram handler. Stops the SLA escalation for that lead.
import { Hono } from 'hono'
import * as v from 'valibot'
import { ApiError } from '../http/api-error'
import { readJsonBody } from '../http/read-json-body'
import { parseOrReject } from '../http/valibot-issues'
import { jsonBodyLimit } from '../middleware/json-body-limit'
import { assertSiteAccess } from '../security/access-scope'
import type { AdminEnv } from '../deps'

export const adminTakeRoute = new Hono<AdminEnv>()

const TakeSchema = v.strictObject({ managerId: v.pipe(v.string(), v.minLength(1), v.maxLength(32)) })

adminTakeRoute.post('/:id/take', jsonBodyLimit({ maxBytes: 1024 }), async (c) => {
  const id = c.req.param('id')
  const { managerId } = parseOrReject(TakeSchema, await readJsonBody(c, { allowTextPlain: false }), 'The request is not valid.')
  const { deps } = c.var
  const lead = /^[0-9a-f-]{36}$/i.test(id) ? await deps.leads.findLead(id) : null
  if (!lead) throw new ApiError(404, 'not_found', `No lead "${id}".`)
  assertSiteAccess(c, lead.payload.site, 'lead')
  const site = await deps.sites.getSite(lead.payload.site)
  const manager = site?.config.routing?.managers.find((m) => m.id === managerId)
  if (!manager) {
    throw new ApiError(400, 'validation_failed', 'Unknown manager.', {
      issues: [{ path: 'managerId', message: 'is not a manager in the site routing' }],
    })
  }
  const result = await deps.leads.takeLead(id, manager, deps.now())
  if (result.status === 'already_taken') {
    throw new ApiError(409, 'already_taken', `This lead is already taken by ${result.takenBy}.`)
  }
  if (result.status === 'not_found') throw new ApiError(404, 'not_found', `No lead "${id}".`)
  return c.json({ id, takenBy: manager.id })
})
