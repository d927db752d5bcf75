// Picks the provider adapter for a telephony target: placing a call, and ending a manager's leg
// that still rings at T.
import type { TelephonyTarget } from '../../../../shared/schemas/targets/telephony'
import type { AdapterContext } from '../../delivery/adapters/types'
import { hangUpMangoCall, placeMangoCall } from './mango'
import { placeTwilioCall } from './twilio'
import type { CallOrder, PlaceCallResult, ReleaseResult } from './types'
import { placeUisCall, releaseUisCall } from './uis'
import { placeZadarmaCall } from './zadarma'

export function placeCall(target: TelephonyTarget, order: CallOrder, ctx: AdapterContext): Promise<PlaceCallResult> {
  switch (target.type) {
    case 'zadarma':
      return placeZadarmaCall(target, order, ctx)
    case 'uis':
      return placeUisCall(target, order, ctx)
    case 'mango':
      return placeMangoCall(target, order, ctx)
    case 'twilio':
      return placeTwilioCall(target, order, ctx)
  }
}

/**
 * How each provider keeps one manager's phone from ringing past T: Twilio ends the leg itself
 * (`Timeout`), UIS and Mango are told to hang up, Zadarma can do neither (see docs/telephony.md).
 */
export type RingLimit = 'provider_timeout' | 'hang_up' | 'none'

export function ringLimitOf(target: TelephonyTarget): RingLimit {
  switch (target.type) {
    case 'twilio':
      return 'provider_timeout'
    case 'uis':
    case 'mango':
      return 'hang_up'
    case 'zadarma':
      return 'none'
  }
}

/** Hangs up a manager's leg still ringing; `commandId` is ours for the request (Mango, UIS). */
export async function releaseCall(target: TelephonyTarget, leg: { providerCallId: string | null }, commandId: string, ctx: AdapterContext): Promise<ReleaseResult> {
  if (target.type === 'zadarma') return { outcome: 'unsupported', why: 'Zadarma has no command to end a ringing call, nor a ring time for request/callback' }
  if (target.type === 'twilio') return { outcome: 'released' }
  if (leg.providerCallId === null) return { outcome: 'unsupported', why: `${target.type === 'uis' ? 'UIS' : 'Mango Office'} has not named this call yet` }
  return target.type === 'uis' ? releaseUisCall(target, leg.providerCallId, commandId, ctx) : hangUpMangoCall(target, leg.providerCallId, commandId, ctx)
}
