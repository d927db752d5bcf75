// POST /v1/inbound/amocrm/:site/:target/:secret: amoCRM's status_lead webhook, form-encoded
// (leads[status][N][id|status_id|pipeline_id|old_status_id|last_modified], account[subdomain]).
// amoCRM does not sign webhooks, so the last path segment is a secret stored with the target and
// the account must be the target's own. Our lead is the one whose delivery created that amoCRM
// lead. Format: amocrm.ru/developers/content/crm_platform/webhooks-format.
import { Hono } from 'hono'
import type { AmoCrmTarget } from '../../../shared/schemas/targets/amocrm'
import type { AppEnv } from '../deps'
import { exchange, field } from '../delivery/adapters/http'
import { ApiError } from '../http/api-error'
import { jsonBodyLimit } from '../middleware/json-body-limit'
import { applyCrmOutcome, logUnknownLead, type OutcomeResult } from '../crm-outcomes/apply-outcome'
import { crmContext, crmUnavailable, inboundTarget, readForm } from '../crm-outcomes/inbound-context'
import { AMOCRM_DEFAULTS, mapOutcome } from '../crm-outcomes/outcome-maps'
import { sameSecret } from '../security/same-secret'

export const inboundAmoCrmRoute = new Hono<AppEnv>()

const ID = /^\d{1,20}$/
/** amoCRM's "closed and not realised" system status. */
const LOST = '143'

interface StatusChangeItem {
  id: string
  statusId: string
  pipelineId: string | null
  lastModified: number | null
}

/** `leads[status][N][…]` items in order; an item without a numeric id or status is a 400. */
function statusItems(form: URLSearchParams): StatusChangeItem[] | { path: string } {
  const items: StatusChangeItem[] = []
  for (let n = 0; form.has(`leads[status][${n}][id]`); n++) {
    const get = (key: string) => form.get(`leads[status][${n}][${key}]`)
    const id = get('id') ?? ''
    const statusId = get('status_id') ?? ''
    if (!ID.test(id)) return { path: `leads[status][${n}][id]` }
    if (!ID.test(statusId)) return { path: `leads[status][${n}][status_id]` }
    const pipelineId = get('pipeline_id')
    const lastModified = Number(get('last_modified'))
    items.push({
      id,
      statusId,
      pipelineId: pipelineId && ID.test(pipelineId) ? pipelineId : null,
      lastModified: Number.isFinite(lastModified) && lastModified > 0 ? lastModified * 1000 : null,
    })
  }
  return items
}

/** The loss reason id of a lost lead (GET /api/v4/leads/{id}?with=loss_reason), null when it has none. */
async function lossReasonOf(target: AmoCrmTarget, id: string, ctx: ReturnType<typeof crmContext>): Promise<string | null> {
  const sent = await exchange(ctx, `${target.baseUrl.replace(/\/+$/, '')}/api/v4/leads/${id}?with=loss_reason`, {
    headers: { Authorization: `Bearer ${target.token}`, 'User-Agent': 'Leadcatcher/1' },
  })
  if (!sent.ok) throw crmUnavailable('amoCRM', sent.result.outcome === 'delivered' ? 'no answer' : sent.result.error)
  if (sent.answer.status !== 200) throw crmUnavailable('amoCRM', `GET lead ${id}: HTTP ${sent.answer.status}`)
  const embedded = field(field(sent.answer.json, '_embedded'), 'loss_reason')
  const reason = field(sent.answer.json, 'loss_reason_id') ?? (Array.isArray(embedded) ? field(embedded[0], 'id') : undefined)
  return typeof reason === 'number' || typeof reason === 'string' ? String(reason) : null
}

inboundAmoCrmRoute.post('/:site/:target/:secret', jsonBodyLimit({ maxBytes: 64 * 1024 }), async (c) => {
  const { deps } = c.var
  const { site, target: found, targetId } = await inboundTarget(deps, c.req.param('site'), c.req.param('target'), 'amocrm')
  const target = found as AmoCrmTarget
  const outcomes = target.outcomes!
  if (!(await sameSecret(c.req.param('secret'), outcomes.pathSecret))) {
    throw new ApiError(401, 'unauthorized', 'The secret in the address is not the one stored for this target.')
  }
  const form = await readForm(c.req)
  const account = new URL(target.baseUrl).hostname.split('.')[0]
  if (form.get('account[subdomain]') !== account) {
    throw new ApiError(403, 'account_mismatch', 'The event comes from another amoCRM account than this target’s.', {
      issues: [{ path: 'account[subdomain]', message: `must be ${account}` }],
    })
  }
  const items = statusItems(form)
  if (!Array.isArray(items)) {
    throw new ApiError(400, 'validation_failed', 'The status change is not valid.', {
      issues: [{ path: items.path, message: 'must be a number' }],
    })
  }

  const ctx = crmContext(deps)
  const results: OutcomeResult[] = []
  for (const item of items) {
    const leadId = await deps.leads.findByExternalId(site.id, targetId, item.id)
    if (!leadId) {
      results.push(logUnknownLead(site.id, 'amocrm', item.id))
      continue
    }
    // A pipeline's own stage may be mapped as "pipeline:status" or by the status id alone.
    let status = item.statusId
    let outcome =
      (item.pipelineId ? mapOutcome(`${item.pipelineId}:${item.statusId}`, outcomes.statuses, {}) : null) ?? mapOutcome(item.statusId, outcomes.statuses, AMOCRM_DEFAULTS)
    if (item.statusId === LOST && outcomes.lossReasons && Object.keys(outcomes.lossReasons).length > 0) {
      const reason = await lossReasonOf(target, item.id, ctx)
      if (reason !== null) {
        status = `${LOST}:${reason}`
        outcome = mapOutcome(reason, outcomes.lossReasons, {}) ?? outcome
      }
    }
    results.push(
      await applyCrmOutcome(
        deps,
        c.var.background,
        site,
        {
          source: 'amocrm',
          leadId,
          status,
          outcome,
          at: item.lastModified ?? deps.now(),
        },
        new URL(c.req.url).origin,
      ),
    )
  }
  return c.json({ ok: true, results })
})
