// Routes a new lead before it is stored: a manager by the site rules (round robin; a repeat goes to
// the first lead's manager) or none yet (first come), and when its first SLA check is due. Both are
// written with the lead in one transaction, so a lead is never stored unrouted.
import { eligibleManagers, pickManager } from '../../../shared/route-lead'
import type { RoutableLead } from '../../../shared/route-lead'
import type { Manager, Routing } from '../../../shared/schemas/routing'
import type { LeadPayload } from '../model/lead'
import type { LeadStore } from '../storage/types'

export function routableLead(payload: LeadPayload): RoutableLead {
  return {
    source: payload.source,
    temperature: payload.temperature,
    ...(payload.context?.page !== undefined && { page: payload.context.page }),
    // Flow variables set by the server's replay (e.g. route: 'senior') count as answers for rules.
    ...((payload.answers !== undefined || payload.flow) && { answers: { ...payload.answers, ...payload.flow?.vars } }),
  }
}

export function slaDelayMinutes(routing: Routing, payload: LeadPayload): number | null {
  return routing.sla ? routing.sla.minutes[payload.temperature] : null
}

export interface RoutingPlan {
  /** The payload as targets should see it (with its manager in round-robin mode). */
  payload: LeadPayload
  /** unix ms of the first SLA check, when the site has an SLA. */
  slaDueAt?: number
}

/**
 * The manager who has the first lead of this contact, when they are still in the pool this lead
 * would rotate over: one person is called by one manager, not by whoever's turn it is.
 */
async function repeatOwner(leads: Pick<LeadStore, 'firstLeadManager'>, routing: Routing, payload: LeadPayload, since: number): Promise<Manager | null> {
  const { phone, email } = payload.contact
  if (phone === undefined && email === undefined) return null
  const id = await leads.firstLeadManager(payload.site, { ...(phone !== undefined && { phone }), ...(email !== undefined && { email }) }, since)
  if (id === null) return null
  return eligibleManagers(routing, routableLead(payload)).find((m) => m.id === id) ?? null
}

/**
 * Round robin picks the manager now; first come leaves it open for the first "Take it". A repeat
 * (an earlier lead of the same phone or email since `repeatsSince`, null when the site does not
 * dedupe) goes to the manager who has the first lead in either mode, without taking a turn. A
 * turn taken for a lead that then turns out to be a replay is skipped, which only shifts the
 * rotation.
 */
export async function planRouting(
  leads: Pick<LeadStore, 'nextRoutingTurn' | 'firstLeadManager'>,
  routing: Routing,
  payload: LeadPayload,
  now: number,
  repeatsSince: number | null = null,
): Promise<RoutingPlan> {
  let assigned = payload
  const owner = repeatsSince === null ? null : await repeatOwner(leads, routing, payload, repeatsSince)
  if (owner) {
    assigned = { ...payload, manager: owner, escalations: 0 }
  } else if (routing.mode === 'round_robin') {
    const manager = pickManager(routing, routableLead(payload), await leads.nextRoutingTurn(payload.site))
    assigned = { ...payload, manager, escalations: 0 }
  }
  const minutes = slaDelayMinutes(routing, payload)
  return minutes === null ? { payload: assigned } : { payload: assigned, slaDueAt: now + minutes * 60_000 }
}
