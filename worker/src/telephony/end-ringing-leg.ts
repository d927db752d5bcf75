// Before the next manager is rung, the last manager's phone must stop ringing: otherwise two
// managers may answer and the visitor be rung twice. Twilio ends the leg at T itself (`Timeout`);
// UIS (release.call) and Mango Office (commands/call/hangup) are told to hang up; Zadarma can do
// neither, so there the next manager waits until the first leg is surely over (LEG_GUARD_SECONDS,
// or the provider's own word that it ended).
import type { TelephonyTarget } from '../../../shared/schemas/targets/telephony'
import { providerLabel } from '../delivery/adapters'
import { adapterContext } from '../delivery/adapters/adapter-context'
import type { Deps } from '../deps'
import type { CallRecord } from './call-store'
import { releaseCall, ringLimitOf } from './providers'

/**
 * How long a leg that cannot be hung up is presumed able to ring: longer than any network's own
 * ring limit we know of (30–60 s; not confirmed for Zadarma, whose PBX extension settings decide).
 */
export const LEG_GUARD_SECONDS = 60

export type RingingLeg = { kind: 'over'; asked: boolean } | { kind: 'wait'; until: number; why: string }

export async function endRingingLeg(deps: Deps, target: TelephonyTarget, call: CallRecord, now: number, { mayWait }: { mayWait: boolean }): Promise<RingingLeg> {
  const leg = call.legs.at(-1)
  if (!leg || leg.outcome !== null || leg.managerAnsweredAt !== null) return { kind: 'over', asked: false }
  const limit = ringLimitOf(target)
  // Twilio hung up at T; its no-answer callback may simply not have come yet.
  if (limit === 'provider_timeout') return { kind: 'over', asked: false }
  const provider = providerLabel(target)
  const released = await releaseCall(target, leg, `${leg.id}-hangup`, adapterContext(deps))
  if (released.outcome === 'released' || released.outcome === 'gone') {
    const detail = released.outcome === 'released' ? `${provider}: hung up after ${target.ringSeconds} s without an answer` : `${provider}: the call had already ended`
    await deps.calls.endLeg(leg, 'manager_missed', detail, now)
    return { kind: 'over', asked: true }
  }
  const why = 'why' in released ? released.why : 'error' in released ? `the hang-up failed (${released.error})` : ''
  const until = leg.placedAt + Math.max(LEG_GUARD_SECONDS, target.ringSeconds) * 1000
  if (mayWait && now < until) return { kind: 'wait', until, why }
  await deps.calls.endLeg(leg, 'manager_missed', `no answer in ${Math.round((now - leg.placedAt) / 1000)} s (${why})`, now)
  return { kind: 'over', asked: released.outcome === 'failed' }
}
