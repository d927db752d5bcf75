// POST /v1/inbound/bitrix24/:site/:target: Bitrix24's ONCRMLEADUPDATE event (an outgoing webhook),
// form-encoded. Only the Bitrix24 lead id comes, so its status is read back with crm.lead.get and
// our lead found by ORIGIN_ID; auth[application_token] must be the one stored for the target.
// Format: bitrix-tools/b24-rest-docs api-reference/crm/leads/events/on-crm-lead-update.md.
import { Hono } from 'hono'
import type { Bitrix24Target } from '../../../shared/schemas/targets/bitrix24'
import type { AppEnv } from '../deps'
import { BITRIX24_ORIGINATOR, callBitrix24 } from '../delivery/adapters/bitrix24'
import { field } from '../delivery/adapters/http'
import { ApiError } from '../http/api-error'
import { jsonBodyLimit } from '../middleware/json-body-limit'
import { applyCrmOutcome, logUnknownLead } from '../crm-outcomes/apply-outcome'
import { crmContext, crmUnavailable, inboundTarget, readForm } from '../crm-outcomes/inbound-context'
import { BITRIX24_DEFAULTS, mapOutcome } from '../crm-outcomes/outcome-maps'
import { sameSecret } from '../security/same-secret'

export const inboundBitrix24Route = new Hono<AppEnv>()

const LEAD_ID = /^\d{1,20}$/

inboundBitrix24Route.post('/:site/:target', jsonBodyLimit({ maxBytes: 16 * 1024 }), async (c) => {
  const { deps } = c.var
  const { site, target } = await inboundTarget(deps, c.req.param('site'), c.req.param('target'), 'bitrix24')
  const outcomes = (target as Bitrix24Target).outcomes!
  const form = await readForm(c.req)
  if (!(await sameSecret(form.get('auth[application_token]') ?? '', outcomes.applicationToken))) {
    throw new ApiError(401, 'unauthorized', 'auth[application_token] is not the one stored for this target.')
  }
  // Other events a handler may be bound to are acknowledged, so Bitrix24 does not resend them.
  if ((form.get('event') ?? '').toUpperCase() !== 'ONCRMLEADUPDATE') return c.json({ ok: true, results: [] })
  const bitrixId = form.get('data[FIELDS][ID]') ?? ''
  if (!LEAD_ID.test(bitrixId)) {
    throw new ApiError(400, 'validation_failed', 'The event carries no lead id.', {
      issues: [{ path: 'data[FIELDS][ID]', message: 'must be the Bitrix24 lead id' }],
    })
  }

  const read = await callBitrix24(target as Bitrix24Target, 'crm.lead.get', { id: Number(bitrixId) }, crmContext(deps))
  if (!read.ok) throw crmUnavailable('Bitrix24', read.result.outcome === 'delivered' ? 'no answer' : read.result.error)
  const statusId = field(read.result, 'STATUS_ID')
  const semantic = field(read.result, 'STATUS_SEMANTIC_ID')
  const originId = field(read.result, 'ORIGIN_ID')
  const ours = field(read.result, 'ORIGINATOR_ID') === BITRIX24_ORIGINATOR && typeof originId === 'string'
  const lead = ours ? await deps.leads.findLead(originId) : null
  if (!lead || lead.payload.site !== site.id) {
    return c.json({ ok: true, results: [logUnknownLead(site.id, 'bitrix24', bitrixId)] })
  }
  if (typeof statusId !== 'string' || statusId === '') throw crmUnavailable('Bitrix24', 'crm.lead.get answered no STATUS_ID')

  // `ts` is when the portal sent the event: an older event than the last one applied is dropped.
  const ts = Number(form.get('ts'))
  const result = await applyCrmOutcome(
    deps,
    c.var.background,
    site,
    {
      source: 'bitrix24',
      leadId: lead.payload.id,
      status: statusId,
      // A custom status without a mapping of its own falls back on its kind (S success, F failure).
      outcome:
        mapOutcome(statusId, outcomes.statuses, BITRIX24_DEFAULTS) ??
        (typeof semantic === 'string' ? mapOutcome(`semantic:${semantic}`, outcomes.statuses, BITRIX24_DEFAULTS) : null),
      at: Number.isFinite(ts) && ts > 0 ? ts * 1000 : deps.now(),
    },
    new URL(c.req.url).origin,
  )
  return c.json({ ok: true, results: [result] })
})
