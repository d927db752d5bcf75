// One attempt of a call delivery: the delivery machinery's claim, lease, log and retries, with the
// call flow as its "send". The first attempt decides whether and when to dial; each later one rings
// the next manager, T seconds after the last, unless a manager answered meanwhile, once the last
// one's phone has stopped ringing (end-ringing-leg.ts). The visitor's
// leg is the provider's own second leg, started only once the manager answers.
import type { SiteRecord } from '../storage/types'
import type { ClaimedDelivery } from '../storage/types'
import { targetId } from '../../../shared/schemas/site-config'
import type { TelephonyTarget } from '../../../shared/schemas/targets/telephony'
import type { Deps } from '../deps'
import type { AttemptResult } from '../delivery/attempt-delivery'
import { atMostOnce } from '../delivery/adapters/http'
import { adapterContext } from '../delivery/adapters/adapter-context'
import { providerLabel } from '../delivery/adapters'
import { nextRetryDelaySeconds } from '../delivery/retry-schedule'
import { sha256Hex } from '../security/same-secret'
import type { CallRecord, DialCaps } from './call-store'
import { DEFAULT_NUMBER_CAPS } from './dial-caps'
import { endRingingLeg } from './end-ringing-leg'
import { giveUpOnCall } from './finish-call'
import { ringOrder } from './manager-phones'
import { placeCall } from './providers'
import type { PlaceCallResult } from './providers/types'
import { asPlaceResult } from './providers/types'
import { planCall } from './qualify-call'

export function notifyUrlOf(target: TelephonyTarget, siteId: string, index: number): string | null {
  return target.publicUrl ? `${target.publicUrl.replace(/\/+$/, '')}/v1/telephony/${siteId}/${targetId(target, index)}` : null
}

export async function attemptCall(deps: Deps, claimed: ClaimedDelivery, site: SiteRecord, target: TelephonyTarget, targetIndex: number, startedAt: number): Promise<AttemptResult> {
  const attempt = claimed.attempts + 1
  const lead = claimed.lead.payload
  const provider = providerLabel(target)
  const finish = async (outcome: 'delivered' | 'failed' | 'retry', text: string | null, httpStatus: number | null = null, nextAttemptAt?: number): Promise<AttemptResult> => {
    const finishedAt = deps.now()
    await deps.deliveries.finishAttempt(
      {
        deliveryId: claimed.id,
        attempt,
        startedAt,
        durationMs: Math.max(0, finishedAt - startedAt),
        httpStatus,
        outcome,
        error: text,
        ...(nextAttemptAt !== undefined && { nextAttemptAt }),
        leaseUntil: claimed.leaseUntil,
      },
      finishedAt,
    )
    if (outcome === 'delivered') return { kind: 'delivered' }
    if (outcome === 'failed') return { kind: 'failed', error: text ?? '' }
    return { kind: 'retry', delaySeconds: Math.max(0, Math.ceil(((nextAttemptAt ?? finishedAt) - finishedAt) / 1000)) }
  }

  if (claimed.interrupted) {
    return finish(
      'failed',
      `outcome unknown: the previous attempt stopped before recording its result and may have rung someone; not called again because ${provider} has no idempotency key. Check ${provider}'s call log.`,
    )
  }

  const phone = lead.contact.phone
  const visitorHash = phone ? await sha256Hex(phone) : null
  /** The caps are counted once per call, when it is about to ring for the first time. */
  const reserve = async (): Promise<string | null> => {
    if (!visitorHash) return 'no phone number'
    const caps: DialCaps = { ...DEFAULT_NUMBER_CAPS, ...deps.dialCaps, sitePerHour: target.callsPerHour, sitePerDay: target.callsPerDay }
    const refused = await deps.calls.reserveDial({ phoneHash: visitorHash, siteId: site.id, leadId: lead.id }, caps, startedAt)
    return refused && `over the cap (${refused.replaceAll('_', ' ')}); left to the managers`
  }
  const opened = { deliveryId: claimed.id, leadId: lead.id, siteId: site.id, scheduledAt: null }

  let call: CallRecord | null = await deps.calls.find(claimed.id)
  if (call && claimed.attempts === 0) {
    // An operator's replay (the admin requeue starts the attempts again): a fresh round, planned
    // and counted against the caps again.
    await deps.calls.restart(call.deliveryId, startedAt)
    call = null
  }
  if (!call || call.state === 'scheduled') {
    if (!call) {
      const plan = planCall(site.config, target, lead, startedAt)
      if (!plan.dial) {
        await deps.calls.open({ ...opened, state: 'skipped', reason: plan.reason }, { kind: 'skipped', detail: plan.reason }, startedAt)
        return finish('delivered', `not dialled: ${plan.reason}`)
      }
      if (plan.at > startedAt + 5000) {
        const at = new Date(plan.at).toISOString()
        await deps.calls.open({ ...opened, state: 'scheduled', reason: null, scheduledAt: plan.at }, { kind: 'scheduled', detail: at }, startedAt)
        return finish('retry', `scheduled for ${at}`, null, plan.at)
      }
    }
    const capped = await reserve()
    if (capped) {
      await deps.calls.open({ ...opened, state: 'skipped', reason: capped }, { kind: 'capped', detail: capped }, startedAt)
      return finish('delivered', `not dialled: ${capped}`)
    }
    await deps.calls.open({ ...opened, state: 'ringing_manager', reason: null }, { kind: 'started', detail: 'calling the managers' }, startedAt)
    call = { ...opened, state: 'ringing_manager', reason: null, updatedAt: startedAt, legs: call?.legs ?? [] }
  }

  // A notification may have settled the call before this attempt (due at T) came.
  if (call.state === 'calling_you' || call.state === 'connected')
    return finish('delivered', `a manager answered; ${call.state === 'connected' ? 'connected to the visitor' : 'calling the visitor'}`)
  if (call.state === 'missed') return finish('delivered', `a manager answered; ${call.reason ?? 'the visitor did not answer'}`)
  if (call.state === 'failed' || call.state === 'skipped') return finish('failed', call.reason ?? `call ${call.state}`)

  if (!phone || !visitorHash) return finish('failed', 'the lead has no phone number any more (erased?)')
  const order = ringOrder(target, lead.manager?.id, site.config.routing?.managers)
  const next = order[call.legs.length]
  // The last manager's phone must not still ring when the next one is rung (nor past giving up).
  const ringing = await endRingingLeg(deps, target, call, startedAt, { mayWait: next !== undefined })
  if (ringing.kind === 'wait') {
    const last = call.legs.at(-1)?.managerId ?? 'the manager'
    return finish('retry', `waiting for ${last}'s phone to stop ringing before the next manager: ${ringing.why}`, null, ringing.until)
  }
  if (ringing.asked) {
    // The hang-up took a round trip: a manager may have answered meanwhile.
    const fresh = await deps.calls.find(claimed.id)
    if (fresh && (fresh.state === 'calling_you' || fresh.state === 'connected' || fresh.state === 'missed'))
      return finish(
        'delivered',
        `a manager answered; ${fresh.state === 'connected' ? 'connected to the visitor' : fresh.state === 'missed' ? (fresh.reason ?? 'the visitor did not answer') : 'calling the visitor'}`,
      )
    if (fresh) call = fresh
  }
  if (!next) {
    const reason = `no manager answered (${call.legs.map((l) => l.managerId).join(', ')})`
    await giveUpOnCall(deps, call, target, lead, 'missed', reason)
    return finish('failed', reason)
  }
  // Unique across replays too: Mango and UIS get it as the command's own id.
  const legId = `${claimed.id}-${attempt}-${startedAt.toString(36)}`
  const raw = await placeCall(
    target,
    {
      legId,
      operator: next.number,
      visitor: phone,
      ringSeconds: target.ringSeconds,
      notifyUrl: notifyUrlOf(target, site.id, targetIndex),
      locale: lead.locale ?? site.config.locale,
    },
    adapterContext(deps),
  )
  // No answer or a 5xx may mean the phone is already ringing: never ring again on a guess.
  const placed: PlaceCallResult = raw.outcome === 'delivered' ? raw : asPlaceResult(atMostOnce(raw, provider))
  if (placed.outcome === 'delivered') {
    const now = deps.now()
    await deps.calls.addLeg(
      { id: legId, deliveryId: claimed.id, seq: call.legs.length + 1, managerId: next.manager, providerCallId: placed.providerCallId, visitorHash },
      { kind: 'ringing_manager', detail: `${provider}: ringing ${next.manager}` },
      now,
    )
    // Not finished: the next attempt, T seconds on, rings the next manager unless one answers.
    return finish(
      'retry',
      `ringing ${next.manager} through ${provider}; the next manager in ${target.ringSeconds} s unless answered`,
      placed.httpStatus,
      now + target.ringSeconds * 1000,
    )
  }
  if (placed.outcome === 'retry') {
    const delay = nextRetryDelaySeconds(attempt, { retryAfterSeconds: placed.retryAfterSeconds, random: deps.random })
    if (delay !== null) return finish('retry', placed.error, placed.httpStatus, deps.now() + delay * 1000)
  }
  await giveUpOnCall(deps, call, target, lead, 'failed', placed.error)
  return finish('failed', placed.error, placed.httpStatus)
}
