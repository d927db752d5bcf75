// One delivery attempt: claim, send through the target's adapter, record the outcome and the next try.
import { targetId } from '../../../shared/schemas/site-config'
import type { Target } from '../../../shared/schemas/site-config'
import { isPrivateTarget } from '../security/private-target'
import type { DeliveryStore, LeadEvent, SiteStore } from '../storage/types'
import { atMostOnce } from './adapters/http'
import { adapterContext } from './adapters/adapter-context'
import { customerUrls, deliveryGuarantee, forwardToTarget, providerLabel } from './adapters'
import type { AdapterContext, AdapterResult, DeliveryEvent, StatusChangeData } from './adapters/types'
import { nextRetryDelaySeconds } from './retry-schedule'
import type { EmailBinding } from '../auto-reply/email-providers'
import { autoReplyRefusal } from '../auto-reply/auto-reply-gate'
import type { AutoReplyHistory } from '../auto-reply/auto-reply-gate'
import type { RateLimiter } from '../security/rate-limiter'
import type { Deps } from '../deps'
import { isTelephonyTarget } from '../../../shared/schemas/targets/telephony'
import { attemptCall } from '../telephony/attempt-call'

export interface DeliveryDeps {
  deliveries: DeliveryStore
  sites: SiteStore
  fetch: typeof fetch
  now: () => number
  random: () => number
  allowPrivateTargets: boolean
  /** ADAPTER_TIMEOUT_MS (15 s) when unset. */
  timeoutMs?: number
  /** The Cloudflare Email Service binding, when the deployment has one. */
  email?: EmailBinding
  /** Auto-replies already made and the SMS budget: without them only the stateless checks run. */
  autoReplyHistory?: AutoReplyHistory
  limiter?: RateLimiter
}

export type AttemptResult =
  | { kind: 'delivered' }
  | { kind: 'retry'; delaySeconds: number }
  | { kind: 'failed'; error: string }
  /** Not sent now: already finished, held by another attempt, or not due yet. */
  | { kind: 'skipped'; reason: 'finished' | 'busy' | 'not_due' | 'missing'; retryInSeconds: number | null }

/** Longer than the timeout, so a lease never expires while its attempt is still running. */
const LEASE_MS = 60_000

/**
 * Sends through the adapter, holding at-most-once targets to their promise: never again after an
 * attempt that died mid-way, and no retry after an answer that leaves the outcome unknown.
 */
async function send(target: Target, event: DeliveryEvent, ctx: AdapterContext, interrupted: boolean): Promise<AdapterResult> {
  if (deliveryGuarantee(target) === 'at-least-once') return forwardToTarget(target, event, ctx)
  const provider = providerLabel(target)
  if (interrupted)
    return {
      outcome: 'failed',
      httpStatus: null,
      error:
        `outcome unknown: the previous attempt stopped before recording its result and may have sent ` +
        `the message; not sent again because ${provider} has no idempotency key. Check ${provider}'s log.`,
    }
  return atMostOnce(await forwardToTarget(target, event, ctx), provider)
}

/** `data.status` of a `lead.status_changed` delivery, from the history event it was stored with. */
export function statusChangeData(event: LeadEvent): StatusChangeData | undefined {
  if (event.from === null || event.to === null) return undefined
  return {
    from: event.from,
    to: event.to,
    ...(event.reason !== null && { reason: event.reason }),
    ...(event.note !== null && { note: event.note }),
    at: new Date(event.at).toISOString(),
    by: event.actor,
    source: event.source,
  }
}

export async function attemptDelivery(deps: Deps, deliveryId: string): Promise<AttemptResult> {
  const { deliveries, sites, now, random } = deps
  const startedAt = now()
  const claimed = await deliveries.claimDelivery(deliveryId, startedAt, LEASE_MS)
  if (!claimed) {
    const current = await deliveries.getDelivery(deliveryId)
    if (!current) return { kind: 'skipped', reason: 'missing', retryInSeconds: null }
    if (current.status !== 'pending') return { kind: 'skipped', reason: 'finished', retryInSeconds: null }
    if (current.nextAttemptAt > startedAt) {
      return { kind: 'skipped', reason: 'not_due', retryInSeconds: Math.ceil((current.nextAttemptAt - startedAt) / 1000) }
    }
    return { kind: 'skipped', reason: 'busy', retryInSeconds: Math.ceil(LEASE_MS / 1000) }
  }

  const attempt = claimed.attempts + 1
  const site = await sites.getSite(claimed.siteId)
  const target = site?.config.targets.find((t, i) => targetId(t, i) === claimed.targetId)
  const privateTarget = target !== undefined && !deps.allowPrivateTargets && customerUrls(target).some(({ url }) => isPrivateTarget(url))
  // A call runs the call flow as its send: the same claim, lease, log and retries.
  if (site && target && isTelephonyTarget(target) && !privateTarget) {
    return attemptCall(deps, claimed, site, target, site.config.targets.indexOf(target), startedAt)
  }
  let result: AdapterResult
  if (!target) {
    result = { outcome: 'failed', httpStatus: null, error: `target "${claimed.targetId}" is no longer configured` }
  } else if (privateTarget) {
    result = { outcome: 'failed', httpStatus: null, error: 'target URL points to a private address' }
  } else {
    const statusChange = claimed.event && statusChangeData(claimed.event)
    const event: DeliveryEvent = {
      deliveryId: claimed.id,
      type: claimed.eventType,
      lead: claimed.lead.payload,
      occurredAt: claimed.notice?.at ?? claimed.event?.at ?? claimed.lead.createdAt,
      ...(statusChange && { statusChange }),
      ...(claimed.notice && { notice: { data: claimed.notice.data } }),
    }
    // Auto-replies pass their gate first (one per contact, SMS destinations and budget).
    const gate = site && { siteId: claimed.siteId, config: site.config, targetId: claimed.targetId, now: startedAt }
    const refusal = gate
      ? await autoReplyRefusal({ ...gate, ...(deps.autoReplyHistory && { history: deps.autoReplyHistory }), ...(deps.limiter && { limiter: deps.limiter }) }, target, event)
      : null
    result =
      refusal !== null
        ? { outcome: 'delivered', httpStatus: null, skipped: true, note: `not sent: ${refusal}` }
        : await send(target, event, adapterContext(deps), claimed.interrupted)
  }

  const finishedAt = now()
  const base = {
    deliveryId: claimed.id,
    attempt,
    startedAt,
    durationMs: Math.max(0, finishedAt - startedAt),
    httpStatus: result.httpStatus,
    leaseUntil: claimed.leaseUntil,
  }
  if (result.outcome === 'delivered') {
    await deliveries.finishAttempt(
      {
        ...base,
        outcome: result.skipped ? 'skipped' : 'delivered',
        error: result.note ?? null,
        ...(result.externalId !== undefined && { externalId: result.externalId }),
      },
      finishedAt,
    )
    return { kind: 'delivered' }
  }
  const delay = result.outcome === 'retry' ? nextRetryDelaySeconds(attempt, { retryAfterSeconds: result.retryAfterSeconds, random }) : null
  if (delay === null) {
    const error = result.outcome === 'retry' ? `gave up after ${attempt} attempts: ${result.error}` : result.error
    await deliveries.finishAttempt({ ...base, outcome: 'failed', error }, finishedAt)
    return { kind: 'failed', error }
  }
  await deliveries.finishAttempt({ ...base, outcome: 'retry', error: result.error, nextAttemptAt: finishedAt + delay * 1000 }, finishedAt)
  return { kind: 'retry', delaySeconds: delay }
}
