// The SLA check: when nobody took a lead in time, move it to the next manager (or re-notify all
// in first-come mode), tell the head of sales, notify the targets, and set the next check.
import { nextManager } from '../../../shared/route-lead'
import type { Manager } from '../../../shared/schemas/routing'
import { targetId } from '../../../shared/schemas/site-config'
import type { Deps } from '../deps'
import { deliverNow } from '../delivery/deliver-now'
import { newDeliveryId } from '../delivery/delivery-id'
import type { SlaMessage } from '../delivery/delivery-queue'
import { routableLead } from './route-new-lead'

export type SlaResult = { kind: 'done'; escalatedTo?: Manager | null } | { kind: 'later'; delaySeconds: number }

const DEFAULT_MAX_ESCALATIONS = 3

export async function checkSla(deps: Deps, check: SlaMessage): Promise<SlaResult> {
  const now = deps.now()
  if (check.dueAt > now + 1000) return { kind: 'later', delaySeconds: Math.ceil((check.dueAt - now) / 1000) }
  const lead = await deps.leads.findLead(check.leadId)
  if (!lead || lead.status === 'spam' || lead.erased || lead.takenBy) return { kind: 'done' }
  // A newer check owns this lead once it escalated past the round this one was set for.
  if ((lead.payload.escalations ?? 0) !== check.round) return { kind: 'done' }
  const site = await deps.sites.getSite(lead.payload.site)
  const routing = site?.config.routing
  if (!site || !routing?.sla) return { kind: 'done' }

  const round = check.round + 1
  const max = routing.sla.maxEscalations ?? DEFAULT_MAX_ESCALATIONS
  const headOfSales = routing.managers.find((m) => m.id === routing.sla!.headOfSales)
  const current = lead.payload.manager ?? null
  const manager =
    round > max
      ? (headOfSales ?? current)
      : routing.mode === 'round_robin'
        ? nextManager(routing, routableLead(lead.payload), current?.id ?? null)
        : null
  await deps.leads.assignManager(lead.payload.id, manager, round, headOfSales)

  const notices = site.config.targets.map((target, index) => ({
    id: newDeliveryId(),
    targetId: targetId(target, index),
    eventType: 'lead.escalated' as const,
  }))
  await deps.deliveries.addDeliveries(lead.payload.id, site.id, notices, now)
  await deliverNow(deps, notices.map((n) => n.id))

  if (round <= max) {
    const minutes = routing.sla.minutes[lead.payload.temperature]
    await deps.queue.scheduleSla({ kind: 'sla', leadId: lead.payload.id, round, dueAt: now + minutes * 60_000 }, minutes * 60)
  }
  return { kind: 'done', escalatedTo: manager }
}
