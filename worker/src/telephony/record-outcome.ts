// A call's outcome on the lead's timeline, through the lifecycle's paths (issue 16's sources):
// connected is a take by the manager who answered (the lead goes in work and the SLA stops), or a
// note when the lead is taken already; nobody answering and a visitor who did not pick up are
// notes. Each carries source { kind: 'call', ref: <leg>:<outcome> }.
import type { Deps } from '../deps'
import { changeLeadStatus } from '../lifecycle/change-status'
import { takeLeadFor } from '../lifecycle/take-lead'
import type { CallLeg } from './call-store'

export type CallOutcome = 'connected' | 'visitor_missed' | 'nobody_answered'

const NOTES: Record<'ru' | 'en', Record<CallOutcome, string>> = {
  ru: { connected: 'Автодозвон: менеджер поговорил с клиентом', visitor_missed: 'Автодозвон: клиент не ответил', nobody_answered: 'Автодозвон: ни один менеджер не ответил' },
  en: { connected: 'Auto-dial: the manager spoke to the visitor', visitor_missed: 'Auto-dial: the visitor did not answer', nobody_answered: 'Auto-dial: no manager answered' },
}

export async function recordCallOutcome(deps: Deps, leadId: string, leg: Pick<CallLeg, 'id' | 'managerId'> | null, outcome: CallOutcome, managers: string[]): Promise<void> {
  const lead = await deps.leads.findLead(leadId)
  if (!lead || lead.erased) return
  const site = await deps.sites.getSite(lead.payload.site)
  const now = deps.now()
  const note = `${NOTES[site?.config.locale ?? 'ru'][outcome]}${managers.length > 0 ? ` (${managers.join(', ')})` : ''}`
  // Work started in the background (status webhooks) is awaited here: a call has no response to outlive.
  const tasks: Promise<unknown>[] = []
  const source = { kind: 'call' as const, ref: `${leg?.id ?? 'call'}:${outcome}` }
  const manager = outcome === 'connected' && leg && !lead.takenBy ? site?.config.routing?.managers.find((m) => m.id === leg.managerId) : undefined
  if (site && manager) {
    const taken = await takeLeadFor(deps, (task) => void tasks.push(task), { site, leadId, manager, actor: { kind: 'manager', id: manager.id }, source }).catch(
      (error: unknown) => {
        console.error('call take not recorded', leadId, error)
        return null
      },
    )
    if (taken?.status === 'taken') {
      await Promise.allSettled(tasks)
      return
    }
  }
  await changeLeadStatus(deps, (task) => void tasks.push(task), site, {
    leadId,
    // Only a new lead moves on; otherwise the status stays and the outcome is a note.
    to: outcome === 'connected' && lead.stage === 'new' ? 'in_work' : lead.stage,
    reason: outcome === 'connected' && lead.stage === 'new' ? null : lead.junkReason,
    note,
    actor: outcome === 'connected' && leg ? { kind: 'manager', id: leg.managerId } : { kind: 'system', id: null },
    at: now,
    source,
    sourceAt: now,
  }).catch((error: unknown) => console.error('call outcome not recorded on the timeline', leadId, error))
  await Promise.allSettled(tasks)
}
