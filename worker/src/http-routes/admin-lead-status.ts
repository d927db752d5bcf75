// PATCH /v1/admin/leads/:id: a manager moves a lead through its lifecycle (new → in_work →
// qualified / won / not_now / junk with a reason) or adds a note. The change, its history event and
// the lead.status_changed deliveries to the site's webhook targets are one transaction.
import { Hono } from 'hono'
import { LeadStatusChangeSchema } from '../../../shared/schemas/lead-status'
import type { AdminEnv } from '../deps'
import { changeLeadStatus } from '../lifecycle/change-status'
import { ApiError } from '../http/api-error'
import { readJsonBody } from '../http/read-json-body'
import { parseOrReject } from '../http/valibot-issues'
import { jsonBodyLimit } from '../middleware/json-body-limit'
import { actorOf } from '../security/access-scope'
import { findVisibleLead, leadDetail, leadNotFound } from './lead-view'

export const adminLeadStatusRoute = new Hono<AdminEnv>()

function erased(): ApiError {
  return new ApiError(409, 'lead_erased', 'This lead’s personal data was erased; its status can no longer change.')
}

// A 2000-character note is at most 12 KB of JSON even if every character is escaped as \uXXXX.
adminLeadStatusRoute.patch('/:id', jsonBodyLimit({ maxBytes: 16 * 1024 }), async (c) => {
  const body = parseOrReject(LeadStatusChangeSchema, await readJsonBody(c, { allowTextPlain: false }), 'The status change is not valid.')
  if (body.status === 'junk' && body.reason === undefined) {
    throw new ApiError(400, 'reason_required', 'A junk lead needs a reason: wrong_number, spam, off_target, duplicate or other.', {
      issues: [{ path: 'reason', message: 'is required with status junk' }],
    })
  }
  if (body.status !== 'junk' && body.reason !== undefined) {
    throw new ApiError(400, 'reason_not_allowed', 'Only a junk lead takes a reason.', {
      issues: [{ path: 'reason', message: `is not allowed with status ${body.status}` }],
    })
  }
  const { id, record } = await findVisibleLead(c, c.req.param('id'))
  if (record.erased) throw erased()

  const { deps } = c.var
  const note = body.note?.trim() || null
  const result = await changeLeadStatus(
    deps,
    c.var.background,
    await deps.sites.getSite(record.payload.site),
    {
      leadId: id,
      to: body.status,
      reason: body.reason ?? null,
      note,
      actor: actorOf(c.get('scope')),
      at: deps.now(),
      source: { kind: 'admin', ref: null },
    },
    new URL(c.req.url).origin,
  )
  if (result.status === 'not_found') throw leadNotFound()
  if (result.status === 'erased') throw erased()
  const updated = await deps.leads.findLead(id)
  if (!updated) throw leadNotFound()
  return c.json(await leadDetail(deps, updated))
})
