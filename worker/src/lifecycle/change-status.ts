// A lifecycle change from any source (the admin API, the Telegram card, a CRM's outcome event, a
// call): the change, its history event and the lead.status_changed deliveries in one transaction,
// then those deliveries sent at once.
import type { AppVariables, Deps } from '../deps'
import { deliverNow } from '../delivery/deliver-now'
import { planStatusDeliveries } from '../delivery/plan-status-deliveries'
import { checkQualityLater, qualityGroupOf } from '../quality/check-quality'
import type { SiteRecord, StatusChange, StatusChangeResult } from '../storage/types'

export async function changeLeadStatus(
  deps: Deps,
  background: AppVariables['background'],
  site: SiteRecord | null,
  change: StatusChange,
  /** Our public origin, for the console link in a junk-spike notice; null when unknown. */
  baseUrl: string | null = null,
): Promise<StatusChangeResult> {
  // Planned whatever the lead looks like now: the store writes them only if the status really
  // changes at the moment of the write.
  const deliveries = planStatusDeliveries(site, change.at)
  const result = await deps.leads.changeStatus(change, { eventId: crypto.randomUUID(), deliveries })
  if (result.status === 'changed' && deliveries.length > 0)
    background(
      deliverNow(
        deps,
        deliveries.map((d) => d.id),
      ),
    )
  // A lead marked junk, or taken back out of junk, moves its campaign's junk share. The lead is
  // read for its campaign in the background too: the change is stored, the answer need not wait.
  if (result.status === 'changed' && site) {
    background(
      deps.leads
        .findLead(change.leadId)
        .then((lead) => (lead ? checkQualityLater(deps, site, qualityGroupOf(lead.payload), { now: change.at, baseUrl, background }) : null))
        .catch((error: unknown) => console.error('quality check failed', site.id, error)),
    )
  }
  return result
}
