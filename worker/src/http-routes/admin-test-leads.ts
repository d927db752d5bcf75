// POST /v1/admin/sites/:site/test-leads: "send a test lead". Stores a lead marked `test` (the one
// given, or a made-up one), makes a real delivery attempt to one target or to all of them while the
// request waits, records it in the delivery log as any attempt, and answers what each target said.
// Test leads are delivered like real ones and counted nowhere (stats, digest, junk-spike alerts).
import { Hono } from 'hono'
import * as v from 'valibot'
import { LeadSchema } from '../../../shared/schemas/lead'
import type { LeadOutput } from '../../../shared/schemas/lead'
import { targetId } from '../../../shared/schemas/site-config'
import type { SiteConfig, Target } from '../../../shared/schemas/site-config'
import { TargetIdSchema } from '../../../shared/schemas/targets/common'
import { isTelephonyTarget } from '../../../shared/schemas/targets/telephony'
import type { AdminEnv, Deps } from '../deps'
import { attemptDelivery } from '../delivery/attempt-delivery'
import { ApiError } from '../http/api-error'
import { configuredSite } from '../http/configured-site'
import { methodNotAllowed } from '../http/method-not-allowed'
import { readJsonBody } from '../http/read-json-body'
import { parseOrReject } from '../http/valibot-issues'
import { jsonBodyLimit } from '../middleware/json-body-limit'
import { ingestLead } from '../pipeline/ingest-lead'
import { assertSiteAccess } from '../security/access-scope'
import type { DeliveryStatus } from '../storage/types'
import { answerExcerpt, recordingFetch, targetSecrets } from '../test-leads/answer-excerpt'
import { generatedTestLead } from '../test-leads/generated-lead'

export const adminTestLeadsRoute = new Hono<AdminEnv>()

/** Each request a target makes waits at most this long; the whole attempt at most TEST_ATTEMPT_MS. */
export const TEST_REQUEST_TIMEOUT_MS = 10_000
export const TEST_ATTEMPT_MS = 25_000

export const TestLeadBodySchema = v.strictObject({
  targetId: v.optional(TargetIdSchema),
  /** The public lead body (what the widget posts to /v1/leads), validated by the same schema. */
  lead: v.optional(LeadSchema),
})

/** `pending`: the attempt outlived TEST_ATTEMPT_MS and finishes in the background; `retrying`: the target asked for a retry, which is scheduled. */
export type TestDeliveryStatus = Exclude<DeliveryStatus, 'pending'> | 'retrying' | 'pending'

export interface TestDelivery {
  targetId: string
  type: Target['type']
  status: TestDeliveryStatus
  httpStatus?: number
  /** At most ~300 characters of what the target answered (or why nothing came), secrets removed. */
  excerpt: string
  durationMs: number
}

export interface TestLeadAnswer {
  leadId: string
  deliveries: TestDelivery[]
}

/** Targets that write to or call the visitor: a made-up lead would reach a stranger's number. */
function reachesVisitor(target: Target): boolean {
  return target.type === 'autoreply-email' || target.type === 'autoreply-sms' || isTelephonyTarget(target)
}

/** The targets a test lead goes to: the one named, or every one that does not reach the visitor. */
function chosenTargets(config: SiteConfig, wanted: string | undefined, leadGiven: boolean): { id: string; target: Target }[] {
  const all = config.targets.map((target, i) => ({ id: targetId(target, i), target }))
  if (wanted === undefined) return all.filter(({ target }) => !reachesVisitor(target))
  const found = all.find(({ id }) => id === wanted)
  if (!found)
    throw new ApiError(404, 'unknown_target', `The site has no target "${wanted}".`, {
      issues: [{ path: 'targetId', code: 'unknown_value', message: `names no target of the site ("${wanted}")` }],
    })
  if (reachesVisitor(found.target) && !leadGiven) {
    throw new ApiError(
      400,
      'lead_required',
      `Target "${wanted}" (${found.target.type}) writes to or calls the visitor; a made-up lead would reach a stranger. Send "lead" with your own phone or email.`,
      {
        issues: [{ path: 'lead', code: 'required', message: 'is needed for a target that reaches the visitor: give your own contact' }],
      },
    )
  }
  return [found]
}

async function attemptTest(deps: Deps, config: SiteConfig, deliveryId: string, id: string, target: Target, background: (task: Promise<unknown>) => void): Promise<TestDelivery> {
  const recorder = recordingFetch(deps.fetch)
  const started = deps.now()
  const attempt = attemptDelivery({ ...deps, fetch: recorder.fetch, timeoutMs: TEST_REQUEST_TIMEOUT_MS }, deliveryId).then(async (result) => {
    // As after any first attempt: a retry is woken by the queue (the sweep finds it otherwise).
    if (result.kind === 'retry') await deps.queue.wake([deliveryId], result.delaySeconds)
    return result
  })
  let timer: ReturnType<typeof setTimeout> | undefined
  const finished = await Promise.race([
    attempt.then(() => true),
    new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), TEST_ATTEMPT_MS)
    }),
  ]).finally(() => timer !== undefined && clearTimeout(timer))
  const secrets = targetSecrets(config, target)
  if (!finished) {
    background(attempt.catch((error: unknown) => console.error('test delivery failed', deliveryId, error)))
    return {
      targetId: id,
      type: target.type,
      status: 'pending',
      excerpt: answerExcerpt(`no outcome within ${TEST_ATTEMPT_MS} ms; the attempt goes on and its outcome will be in the delivery log`, secrets),
      durationMs: deps.now() - started,
    }
  }
  const [delivery, log] = await Promise.all([deps.deliveries.getDelivery(deliveryId), deps.deliveries.listAttempts(deliveryId)])
  const last = log.at(-1)
  const answer = recorder.last()
  const status: TestDeliveryStatus = !delivery ? 'failed' : delivery.status === 'pending' ? 'retrying' : delivery.status
  const httpStatus = last?.httpStatus ?? answer?.status
  return {
    targetId: id,
    type: target.type,
    status,
    ...(httpStatus != null && { httpStatus }),
    // An error or note says why in our words (with the answer's start); a success shows the answer.
    excerpt: answerExcerpt(last?.error ?? answer?.text ?? '', secrets),
    durationMs: last?.durationMs ?? deps.now() - started,
  }
}

adminTestLeadsRoute.post('/:site/test-leads', jsonBodyLimit(), async (c) => {
  const siteKey = c.req.param('site')
  assertSiteAccess(c, siteKey, 'site')
  const { deps } = c.var
  const site = await configuredSite(deps, siteKey)
  const raw = c.req.header('Content-Length') === '0' ? {} : await readJsonBody(c, { allowTextPlain: false })
  const body = parseOrReject(TestLeadBodySchema, raw, 'The test lead request is not valid.')
  if (body.lead && body.lead.site !== site.id) {
    throw new ApiError(400, 'validation_failed', 'The test lead request is not valid.', {
      issues: [{ path: 'lead.site', code: 'invalid', message: `must be this site ("${site.id}")` }],
    })
  }
  const targets = chosenTargets(site.config, body.targetId, body.lead !== undefined)
  const lead: LeadOutput = body.lead ?? generatedTestLead(site.id, site.config, crypto.randomUUID())
  const outcome = await ingestLead(
    deps,
    site,
    lead,
    { ip: c.var.clientIp, userAgent: c.req.header('User-Agent')?.slice(0, 512) ?? null, now: deps.now() },
    { targetIds: targets.map((t) => t.id) },
  ).catch((error: unknown) => {
    // The lead's own problems (a bad phone, no consent) are named where they are in this body.
    if (error instanceof ApiError && error.issues) {
      throw new ApiError(error.status, error.code, error.message, {
        issues: error.issues.map((i) => ({ ...i, path: `lead.${i.path}` })),
        ...(error.headers && { headers: error.headers }),
      })
    }
    throw error
  })
  if (outcome.kind === 'replayed') {
    throw new ApiError(409, 'id_conflict', 'A lead with this id is already stored; send the test lead with a new id.', {
      issues: [{ path: 'lead.id', code: 'invalid', message: 'is already used by a stored lead' }],
    })
  }
  // Deliveries were planned in the site's target order, the same order as `targets`.
  const deliveries = await Promise.all(outcome.deliveryIds.map((deliveryId, i) => attemptTest(deps, site.config, deliveryId, targets[i]!.id, targets[i]!.target, c.var.background)))
  return c.json({ leadId: outcome.body.id, deliveries } satisfies TestLeadAnswer, 201)
})

adminTestLeadsRoute.on(['GET', 'PUT', 'PATCH', 'DELETE'], '/:site/test-leads', methodNotAllowed(['POST']))
