// "Take it", from the admin API, the console or the Telegram card: one store call that takes the
// lead, records the take and stores the lead.status_changed deliveries in one transaction, then
// sends those at once when the take moved a new lead in work.
import type { LeadActor, LeadEventSource } from '../../../shared/schemas/lead-status'
import type { Manager } from '../../../shared/schemas/routing'
import type { AppVariables, Deps } from '../deps'
import { deliverNow } from '../delivery/deliver-now'
import { planStatusDeliveries } from '../delivery/plan-status-deliveries'
import type { SiteRecord, TakeResult } from '../storage/types'

export interface TakeRequest {
  site: SiteRecord
  leadId: string
  manager: Manager
  actor: LeadActor
  source: LeadEventSource
}

export async function takeLeadFor(deps: Deps, background: AppVariables['background'], request: TakeRequest): Promise<TakeResult> {
  const now = deps.now()
  // Planned whatever the lead looks like now: the store writes them only if the take changes the status.
  const deliveries = planStatusDeliveries(request.site, now)
  const result = await deps.leads.takeLead(request.leadId, request.manager, now, {
    actor: request.actor,
    source: request.source,
    plan: { eventId: crypto.randomUUID(), deliveries },
  })
  if (result.status === 'taken' && result.statusChanged && deliveries.length > 0) {
    background(
      deliverNow(
        deps,
        deliveries.map((d) => d.id),
      ),
    )
  }
  return result
}
