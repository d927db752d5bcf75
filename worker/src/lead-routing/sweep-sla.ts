// Sweep: SLA checks whose wake-up never came (a lost queue message, a crash between the lead insert
// and the scheduling) are woken again. The row is the record; the wake-up is a helper.
import type { Deps } from '../deps'

export async function sweepSlaChecks(deps: Deps, { graceMs = 2 * 60_000, limit = 500 } = {}): Promise<number> {
  const due = await deps.sla.listDue(deps.now(), graceMs, limit)
  for (const check of due) await deps.queue.scheduleSla({ kind: 'sla', ...check }, 0)
  return due.length
}
