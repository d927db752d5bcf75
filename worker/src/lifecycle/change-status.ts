// A lifecycle change from any source (the admin API, the Telegram card, a CRM's outcome event, a
// call): the change, its history event and the lead.status_changed deliveries in one transaction,
// then those deliveries sent at once.
import type { AppVariables, Deps } from '../deps'
import { deliverNow } from '../delivery/deliver-now'
import { planStatusDeliveries } from '../delivery/plan-status-deliveries'
import type { SiteRecord, StatusChange, StatusChangeResult } from '../storage/types'

export async function changeLeadStatus(
  deps: Deps,
  background: AppVariables['background'],
  site: SiteRecord | null,
  change: StatusChange,
): Promise<StatusChangeResult> {
  // Planned whatever the lead looks like now: the store writes them only if the status really
  // changes at the moment of the write.
  const deliveries = planStatusDeliveries(site, change.at)
  const result = await deps.leads.changeStatus(change, { eventId: crypto.randomUUID(), deliveries })
  if (result.status === 'changed' && deliveries.length > 0) background(deliverNow(deps, deliveries.map((d) => d.id)))
  return result
}
