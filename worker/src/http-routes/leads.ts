// POST /v1/leads: the ingest endpoint the widget (and any form) posts to.
import { Hono } from 'hono'
import type { AppEnv } from '../deps'
import { LeadSchema } from '../../../shared/schemas/lead'
import { deliverNow } from '../delivery/deliver-now'
import { ApiError } from '../http/api-error'
import { methodNotAllowed } from '../http/method-not-allowed'
import { readJsonBody } from '../http/read-json-body'
import { parseOrReject } from '../http/valibot-issues'
import { jsonBodyLimit } from '../middleware/json-body-limit'
import { ingestLead } from '../pipeline/ingest-lead'
import type { IngestOutcome } from '../pipeline/ingest-lead'
import { landingPage } from '../model/landing-page'
import { checkQualityLater, qualityGroupOf, qualitySettings, judgeTotals } from '../quality/check-quality'
import { withExpectedCall } from '../telephony/expected-call'
import { DEFAULT_RATE_LIMITS, countedRejectionLimits } from '../security/rate-limiter'
import type { ErrorCode } from '../../../shared/api'
import type { WindowTotals } from '../quality/junk-spike'
import type { QualitySnapshot } from '../storage/types'

const REJECTION_CODES = new Set<ErrorCode>(['contact_required', 'invalid_phone', 'invalid_email', 'consent_required', 'rate_limited'])

export const leadsRoute = new Hono<AppEnv>()

leadsRoute.post('/', jsonBodyLimit(), async (c) => {
  const json = await readJsonBody(c)
  const input = parseOrReject(LeadSchema, json, 'The lead does not match the expected format.')
  const { deps } = c.var
  const site = await deps.sites.getSite(input.site)
  if (!site) throw new ApiError(403, 'unknown_site', `No site "${input.site}" is configured.`)
  const origin = c.req.header('Origin')
  // Requests without Origin come from servers, not browsers; browsers always send it cross-site.
  if (origin !== undefined && !site.config.origins.includes(origin)) {
    throw new ApiError(403, 'origin_not_allowed', `Origin ${origin} is not allowed for site "${site.id}".`)
  }

  const now = deps.now()
  /** A junk-spike check of the lead's campaign after the answer (with the totals read, if any). */
  const checkCampaign = (snapshot?: QualitySnapshot<WindowTotals>) => {
    const { background } = c.var
    background(checkQualityLater(deps, site, qualityGroupOf(input), { now, baseUrl: new URL(c.req.url).origin, background, ...(snapshot && { snapshot }) }))
  }
  let outcome: IngestOutcome
  try {
    outcome = await ingestLead(deps, site, input, {
      ip: c.var.clientIp,
      userAgent: c.req.header('User-Agent')?.slice(0, 512) ?? null,
      now,
    })
  } catch (error) {
    // What a campaign sends matters even when it is refused: the stats count it per source, but
    // only the first few of each IP, so one client cannot decide a campaign's figures or fill the table.
    if (error instanceof ApiError && REJECTION_CODES.has(error.code)) {
      const limits = countedRejectionLimits(site.id, c.var.clientIp, { ...DEFAULT_RATE_LIMITS, ...site.config.rateLimits })
      if ((await deps.limiter.hit(limits, now)).allowed) {
        await deps.stats.recordRejection({
          siteId: site.id,
          code: error.code,
          source: input.source,
          utmSource: input.context?.utm?.source ?? null,
          utmCampaign: input.context?.utm?.campaign ?? null,
          page: landingPage(input.context?.page),
          createdAt: now,
        })
        // A refused number is junk in its campaign's windows, and a campaign may send nothing
        // else: no lead of it would ever be stored to check it, so each counted refusal does.
        if (error.code === 'invalid_phone' && qualitySettings(site) !== null) checkCampaign()
      }
    }
    throw error
  }
  if (outcome.kind === 'created' && outcome.deliveryIds.length > 0) {
    c.var.background(deliverNow(deps, outcome.deliveryIds))
  }
  // Each stored lead (spam included: it counts as junk) may tip its campaign into a junk spike. The
  // totals read with it say whether it can: most leads start no check. None are read where the
  // site's alerts are off, for a test lead, which no campaign counts, or for a good lead of a
  // campaign read settled a moment ago (quality/settled-groups.ts).
  if (outcome.kind === 'created' && outcome.quality !== undefined && judgeTotals(deps, site, qualityGroupOf(input), outcome.quality, now)) checkCampaign(outcome.quality)
  return c.json(withExpectedCall(outcome.body, site.config, input, now), outcome.kind === 'created' ? 201 : 200)
})

leadsRoute.on(['GET', 'PUT', 'PATCH', 'DELETE'], '/', methodNotAllowed(['POST', 'OPTIONS']))
