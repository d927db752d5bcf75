// The SLA check: when nobody took a lead in time, move it to the next manager (or re-notify all
// in first-come mode), tell the head of sales, notify the targets, and set the next check. The
// check is a row (sla_checks); the queue message or the scheduler tick only wakes it up.
import { nextManager } from '../../../shared/route-lead'
import type { Manager } from '../../../shared/schemas/routing'
import { targetId } from '../../../shared/schemas/site-config'
import type { Deps } from '../deps'
import { deliverNow } from '../delivery/deliver-now'
import { newDeliveryId } from '../delivery/delivery-id'
import type { SlaCheck } from '../storage/types'
import { routableLead } from './route-new-lead'

export type SlaResult = { kind: 'done'; escalatedTo?: Manager | null } | { kind: 'later'; delaySeconds: number }

const DEFAULT_MAX_ESCALATIONS = 3

export async function checkSla(deps: Deps, check: SlaCheck): Promise<SlaResult> {
  const now = deps.now()
  if (check.dueAt > now + 1000) return { kind: 'later', delaySeconds: Math.ceil((check.dueAt - now) / 1000) }
  const result = await escalateIfUntaken(deps, check, now)
  // Whatever the verdict, this round is settled: the sweep never lists it again.
  if (result.escalatedTo === undefined) await deps.sla.finish(check, now)
  return result
}

async function escalateIfUntaken(deps: Deps, check: SlaCheck, now: number): Promise<SlaResult & { kind: 'done' }> {
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
  const manager = round > max ? (headOfSales ?? current) : routing.mode === 'round_robin' ? nextManager(routing, routableLead(lead.payload), current?.id ?? null) : null
  const notices = site.config.targets.map((target, index) => ({ id: newDeliveryId(), targetId: targetId(target, index) }))
  const minutes = routing.sla.minutes[lead.payload.temperature]
  const nextCheckAt = round <= max ? now + minutes * 60_000 : null
  // The new manager, the notices, this check done and the next one due: one transaction, which
  // does nothing but the check if the lead was taken, or this round run, since it was read.
  const escalated = await deps.leads.escalateLead({ leadId: lead.payload.id, siteId: site.id, round, manager, ...(headOfSales && { headOfSales }), notices, nextCheckAt }, now)
  if (!escalated) return { kind: 'done' }
  await deliverNow(
    deps,
    notices.map((n) => n.id),
  )
  if (nextCheckAt !== null) await deps.queue.scheduleSla({ kind: 'sla', leadId: lead.payload.id, round, dueAt: nextCheckAt }, minutes * 60)
  return { kind: 'done', escalatedTo: manager }
}
