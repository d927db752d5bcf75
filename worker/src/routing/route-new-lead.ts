// Routes a new lead: a manager by the site rules (round robin) or none yet (first come), and the SLA timer.
import { pickManager } from '../../../shared/route-lead'
import type { RoutableLead } from '../../../shared/route-lead'
import type { Routing } from '../../../shared/schemas/routing'
import type { Deps } from '../deps'
import type { LeadPayload } from '../storage/types'

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

/**
 * Round robin picks the manager now; first come leaves it open for the first "Take it". Either
 * way an SLA check is queued when the site has one. Returns the payload as targets should see it.
 */
export async function routeLead(deps: Pick<Deps, 'leads' | 'queue' | 'now'>, routing: Routing, payload: LeadPayload): Promise<LeadPayload> {
  let assigned = payload
  if (routing.mode === 'round_robin') {
    const manager = pickManager(routing, routableLead(payload), await deps.leads.nextRoutingTurn(payload.site))
    await deps.leads.assignManager(payload.id, manager, 0)
    assigned = { ...payload, manager, escalations: 0 }
  }
  const minutes = slaDelayMinutes(routing, payload)
  if (minutes !== null) {
    await deps.queue.scheduleSla({ kind: 'sla', leadId: payload.id, round: 0, dueAt: deps.now() + minutes * 60_000 }, minutes * 60)
  }
  return assigned
}

