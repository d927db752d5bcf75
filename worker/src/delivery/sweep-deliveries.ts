// Cron sweep: pending deliveries whose wake-up never came (a crash between the D1 write and the
// queue send, a lost message) are put back on the queue. D1 is the record; the queue is a helper.
import type { Deps } from '../deps'

export interface SweepOptions {
  /** How late a wake-up may be before the sweep assumes it was lost. */
  graceMs?: number
  limit?: number
}

export async function sweepDeliveries(deps: Deps, { graceMs = 2 * 60_000, limit = 500 }: SweepOptions = {}): Promise<number> {
  const ids = await deps.deliveries.listOverdue(deps.now(), graceMs, limit)
  await deps.queue.wake(ids, 0)
  return ids.length
}
