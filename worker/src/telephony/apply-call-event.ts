// What a provider's (verified) notification changes: the leg and the call's state, the lead's
// first action (a manager answered), and for a manager who did not answer, the next manager now
// instead of at T.
import type { TelephonyTarget } from '../../../shared/schemas/targets/telephony'
import type { Deps } from '../deps'
import { sha256Hex } from '../security/same-secret'
import { sendMissedSms } from './finish-call'
import { recordCallOutcome } from './record-outcome'
import type { CallEvent } from './providers/types'

export type ApplyResult = 'applied' | 'unknown_leg' | 'ignored'

/** `scope`: the site and target whose credentials verified the notification; it acts on their calls only. */
export async function applyCallEvent(deps: Deps, scope: { siteId: string; targetId: string }, target: TelephonyTarget, event: CallEvent): Promise<ApplyResult> {
  const leg = await deps.calls.findLeg(scope, {
    ...(event.legId && { legId: event.legId }),
    ...(event.providerCallId && !event.legId && { providerCallId: event.providerCallId }),
    ...(event.visitor && !event.legId && !event.providerCallId && { visitorHash: await sha256Hex(event.visitor) }),
  })
  if (!leg) return 'unknown_leg'
  const call = await deps.calls.find(leg.deliveryId)
  if (!call) return 'unknown_leg'
  const now = deps.now()
  switch (event.kind) {
    case 'manager_ringing': {
      if (!event.providerCallId || leg.providerCallId !== null) return 'ignored'
      await deps.calls.nameProviderCall(leg, event.providerCallId)
      return 'applied'
    }
    case 'manager_answered': {
      if (leg.managerAnsweredAt !== null) return 'ignored'
      await deps.calls.markManagerAnswered(leg, event.detail, now)
      await deps.calls.recordFirstAction(call.leadId, now)
      // The delivery is done now (a manager took the call): its next attempt settles it at once.
      if (await deps.calls.pullForward(call.deliveryId, now)) await deps.queue.wake([call.deliveryId], 0)
      return 'applied'
    }
    case 'manager_missed':
    case 'failed': {
      // The end of a leg that was answered is the visitor's business, reported on its own.
      if (leg.managerAnsweredAt !== null || leg.outcome !== null) return 'ignored'
      await deps.calls.endLeg(leg, event.kind === 'failed' ? 'failed' : 'manager_missed', event.detail, now)
      const latest = call.legs.at(-1)
      if (call.state === 'ringing_manager' && latest?.id === leg.id && (await deps.calls.pullForward(call.deliveryId, now))) {
        await deps.queue.wake([call.deliveryId], 0)
      }
      return 'applied'
    }
    case 'visitor_answered': {
      if (leg.outcome === 'visitor_answered') return 'ignored'
      if (leg.managerAnsweredAt === null) await deps.calls.markManagerAnswered(leg, 'answered (implied by the visitor’s leg)', now)
      await deps.calls.endLeg(leg, 'visitor_answered', event.detail, now)
      await deps.calls.setState(call.deliveryId, 'connected', null, { kind: 'connected', detail: event.detail, legId: leg.id }, now)
      await deps.calls.recordFirstAction(call.leadId, now)
      await recordCallOutcome(deps, call.leadId, leg, 'connected', [leg.managerId])
      return 'applied'
    }
    case 'visitor_missed': {
      if (leg.outcome !== null) return 'ignored'
      await deps.calls.endLeg(leg, 'visitor_missed', event.detail, now)
      await deps.calls.setState(call.deliveryId, 'missed', 'the visitor did not answer', { kind: 'missed', detail: event.detail, legId: leg.id }, now)
      const lead = await deps.leads.findLead(call.leadId)
      if (lead) await sendMissedSms(deps, call, target, lead.payload)
      await recordCallOutcome(deps, call.leadId, leg, 'visitor_missed', [leg.managerId])
      return 'applied'
    }
  }
}
