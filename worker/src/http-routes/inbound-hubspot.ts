// POST /v1/inbound/hubspot/:site/:target: HubSpot's webhook batch (a JSON array of events) for
// contact.propertyChange on lifecyclestage or hs_lead_status, signed with the v3 signature of the
// app's client secret. Our lead is the one whose delivery created that contact, or, with an
// access token, the newest lead with the contact's email.
import { Hono } from 'hono'
import * as v from 'valibot'
import type { HubSpotTarget } from '../../../shared/schemas/targets/hubspot'
import type { AppEnv, Deps } from '../deps'
import { exchange, field } from '../delivery/adapters/http'
import { ApiError } from '../http/api-error'
import { parseOrReject } from '../http/valibot-issues'
import { jsonBodyLimit } from '../middleware/json-body-limit'
import { applyCrmOutcome, logUnknownLead, type OutcomeResult } from '../crm-outcomes/apply-outcome'
import { checkHubSpotSignature } from '../crm-outcomes/hubspot-signature'
import { crmContext, crmUnavailable, inboundTarget } from '../crm-outcomes/inbound-context'
import { HUBSPOT_DEFAULTS, mapOutcome } from '../crm-outcomes/outcome-maps'

export const inboundHubSpotRoute = new Hono<AppEnv>()

const PROPERTIES = ['lifecyclestage', 'hs_lead_status']

const EventSchema = v.looseObject({
  eventId: v.union([v.number(), v.string()]),
  portalId: v.optional(v.union([v.number(), v.string()])),
  occurredAt: v.pipe(v.number(), v.integer()),
  subscriptionType: v.string(),
  objectId: v.union([v.number(), v.string()]),
  propertyName: v.optional(v.string()),
  propertyValue: v.optional(v.string()),
})
const BatchSchema = v.pipe(v.array(EventSchema), v.maxLength(500))

/** The newest of the site's leads with the contact's email (GET /crm/v3/objects/contacts/{id}). */
async function leadByContact(deps: Deps, siteId: string, target: HubSpotTarget, contactId: string): Promise<string | null> {
  if (!target.accessToken) return null
  const sent = await exchange(crmContext(deps), `https://api.hubapi.com/crm/v3/objects/contacts/${encodeURIComponent(contactId)}?properties=email`, {
    headers: { Authorization: `Bearer ${target.accessToken}` },
  })
  if (!sent.ok) throw crmUnavailable('HubSpot', sent.result.outcome === 'delivered' ? 'no answer' : sent.result.error)
  if (sent.answer.status === 404) return null
  if (sent.answer.status !== 200) throw crmUnavailable('HubSpot', `GET contact ${contactId}: HTTP ${sent.answer.status}`)
  const email = field(field(sent.answer.json, 'properties'), 'email')
  if (typeof email !== 'string' || email === '') return null
  const ids = await deps.leads.findByContact(siteId, { email })
  const leads = (await Promise.all(ids.map((id) => deps.leads.findLead(id)))).filter((l) => l !== null)
  leads.sort((a, b) => b.createdAt - a.createdAt)
  return leads[0]?.payload.id ?? null
}

inboundHubSpotRoute.post('/:site/:target', jsonBodyLimit({ maxBytes: 256 * 1024 }), async (c) => {
  const { deps } = c.var
  const { site, target: found, targetId } = await inboundTarget(deps, c.req.param('site'), c.req.param('target'), 'hubspot')
  const target = found as HubSpotTarget
  const body = await c.req.text()
  // HubSpot calls https URLs only; behind a TLS-terminating proxy the request here may say http.
  const url = new URL(c.req.url)
  const check = await checkHubSpotSignature(
    target.outcomes!.clientSecret,
    {
      method: c.req.method,
      uri: `https://${url.host}${url.pathname}${url.search}`,
      body,
      signature: c.req.header('X-HubSpot-Signature-v3'),
      timestamp: c.req.header('X-HubSpot-Request-Timestamp'),
    },
    deps.now(),
  )
  if (check === 'expired') throw new ApiError(401, 'request_expired', 'X-HubSpot-Request-Timestamp is more than 5 minutes off: a replay, or a clock far off.')
  if (check !== 'ok') throw new ApiError(401, 'unauthorized', 'X-HubSpot-Signature-v3 does not match this target’s client secret.')

  let json: unknown
  try {
    json = JSON.parse(body)
  } catch {
    throw new ApiError(400, 'invalid_json', 'The body is not JSON.')
  }
  const events = parseOrReject(BatchSchema, json, 'The event batch is not valid.')
  const results: OutcomeResult[] = []
  for (const event of events) {
    if (event.subscriptionType !== 'contact.propertyChange' || !PROPERTIES.includes(event.propertyName ?? '')) continue
    if (target.portalId !== undefined && event.portalId !== undefined && String(event.portalId) !== target.portalId) {
      results.push(logUnknownLead(site.id, 'hubspot', String(event.objectId)))
      continue
    }
    const contactId = String(event.objectId)
    const leadId = (await deps.leads.findByExternalId(site.id, targetId, contactId)) ?? (await leadByContact(deps, site.id, target, contactId))
    if (!leadId) {
      results.push(logUnknownLead(site.id, 'hubspot', contactId))
      continue
    }
    const status = `${event.propertyName}:${event.propertyValue ?? ''}`
    results.push(
      await applyCrmOutcome(
        deps,
        c.var.background,
        site,
        {
          source: 'hubspot',
          leadId,
          status,
          outcome: mapOutcome(status, target.outcomes!.statuses, HUBSPOT_DEFAULTS),
          at: event.occurredAt,
        },
        new URL(c.req.url).origin,
      ),
    )
  }
  return c.json({ ok: true, results })
})
