// One CRM outcome onto one of our leads: mapped, then a status change recorded with its source
// (the CRM and its status id), dropped when the CRM already told us this or something newer.
import { outcomeChange, type Outcome } from '../../../shared/schemas/targets/outcomes'
import type { EventSourceKind } from '../../../shared/schemas/lead-status'
import type { AppVariables, Deps } from '../deps'
import { changeLeadStatus } from '../lifecycle/change-status'
import type { SiteRecord } from '../storage/types'

export type CrmSource = Extract<EventSourceKind, 'bitrix24' | 'amocrm' | 'hubspot'>

/** What became of one event, as the inbound routes answer it (and log it when nothing changed). */
export type OutcomeResult =
  | { result: 'changed' | 'unchanged' | 'stale' | 'erased'; lead: string }
  | { result: 'ignored'; lead: string; status: string }
  | { result: 'unmapped'; lead: string | null; status: string }
  | { result: 'unknown_lead'; externalId: string }

export interface CrmOutcome {
  source: CrmSource
  leadId: string
  /** The CRM's status as the mapping names it (`UC_1`, `143`, `hs_lead_status:UNQUALIFIED`). */
  status: string
  outcome: Outcome | null
  /** When it happened in the CRM, unix ms: older than what the CRM said last is dropped. */
  at: number
}

export async function applyCrmOutcome(
  deps: Deps,
  background: AppVariables['background'],
  site: SiteRecord,
  event: CrmOutcome,
  baseUrl: string | null = null,
): Promise<OutcomeResult> {
  if (event.outcome === null) {
    console.warn('crm outcome not mapped', { site: site.id, source: event.source, lead: event.leadId, status: event.status })
    return { result: 'unmapped', lead: event.leadId, status: event.status }
  }
  const change = outcomeChange(event.outcome)
  if (change === null) return { result: 'ignored', lead: event.leadId, status: event.status }
  const result = await changeLeadStatus(
    deps,
    background,
    site,
    {
      leadId: event.leadId,
      to: change.status,
      reason: change.reason,
      note: null,
      actor: { kind: 'crm', id: event.source },
      at: deps.now(),
      source: { kind: event.source, ref: event.status },
      sourceAt: event.at,
    },
    baseUrl,
  )
  if (result.status === 'not_found') return { result: 'unknown_lead', externalId: event.leadId }
  // `noted` cannot happen without a note; read as unchanged.
  return { result: result.status === 'noted' ? 'unchanged' : result.status, lead: event.leadId }
}

/** Logged so an operator can see why a CRM event changed nothing; answered 200 all the same. */
export function logUnknownLead(site: string, source: CrmSource, externalId: string): OutcomeResult {
  console.warn('crm outcome for an unknown lead', { site, source, externalId })
  return { result: 'unknown_lead', externalId }
}
