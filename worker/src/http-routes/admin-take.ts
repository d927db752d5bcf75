// POST /v1/admin/leads/:id/take: a manager takes a lead (first press wins), from a CRM button,
// a script, the console or the Telegram handler; a manager's token takes as its manager without
// naming them. Stops the SLA escalation for that lead.
import { Hono } from 'hono'
import * as v from 'valibot'
import { ApiError } from '../http/api-error'
import { readJsonBody } from '../http/read-json-body'
import { parseOrReject } from '../http/valibot-issues'
import { jsonBodyLimit } from '../middleware/json-body-limit'
import { actorOf } from '../security/access-scope'
import { takeLeadFor } from '../lifecycle/take-lead'
import { findVisibleLead, leadNotFound } from './lead-view'
import type { AdminEnv } from '../deps'

export const adminTakeRoute = new Hono<AdminEnv>()

const TakeSchema = v.strictObject({ managerId: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(32))) })

adminTakeRoute.post('/:id/take', jsonBodyLimit({ maxBytes: 1024 }), async (c) => {
  const id = c.req.param('id')
  const body = parseOrReject(TakeSchema, await readJsonBody(c, { allowTextPlain: false }), 'The request is not valid.')
  // A manager's token (or console session) takes as that manager and nobody else.
  const scope = c.get('scope')
  const own = scope.kind === 'site' ? scope.managerId : undefined
  if (own !== undefined && body.managerId !== undefined && body.managerId !== own) {
    throw new ApiError(403, 'forbidden', 'This token is issued to a manager: it takes leads for that manager only.')
  }
  const managerId = own ?? body.managerId
  if (managerId === undefined) {
    throw new ApiError(400, 'validation_failed', 'The request is not valid.', { issues: [{ path: 'managerId', message: 'is required' }] })
  }
  const { deps } = c.var
  const { id: leadId, record: lead } = await findVisibleLead(c, id)
  const site = await deps.sites.getSite(lead.payload.site)
  const manager = site?.config.routing?.managers.find((m) => m.id === managerId)
  if (!site || !manager) {
    throw new ApiError(400, 'validation_failed', 'Unknown manager.', {
      issues: [{ path: 'managerId', message: 'is not a manager in the site routing' }],
    })
  }
  // A new lead goes in work: lead.status_changed to the webhook targets, stored with the take.
  const result = await takeLeadFor(deps, c.var.background, {
    site,
    leadId,
    manager,
    actor: actorOf(c.get('scope')),
    source: { kind: 'admin', ref: null },
  })
  // Every answer named: a new kind of result is a type error here (the `never`), not a silent 200.
  switch (result.status) {
    case 'taken':
      return c.json({ id: leadId, takenBy: manager.id })
    case 'already_taken':
      throw new ApiError(409, 'already_taken', `This lead is already taken by ${result.takenBy}.`)
    case 'erased':
      throw new ApiError(409, 'lead_erased', 'This lead’s personal data was erased; nobody can take it now.')
    case 'not_found':
      throw leadNotFound()
    default: {
      const unhandled: never = result
      throw new Error(`take result ${JSON.stringify(unhandled)} has no answer`)
    }
  }
})
