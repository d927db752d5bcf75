// Picks the provider adapter for a telephony target.
import type { TelephonyTarget } from '../../../../shared/schemas/targets/telephony'
import type { AdapterContext } from '../../delivery/adapters/types'
import { placeMangoCall } from './mango'
import { placeTwilioCall } from './twilio'
import type { CallOrder, PlaceCallResult } from './types'
import { placeUisCall } from './uis'
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
