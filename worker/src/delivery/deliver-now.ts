// The first attempt, made right after the 201 (in waitUntil); anything not delivered goes to the queue.
import type { Deps } from '../deps'
import { attemptDelivery } from './attempt-delivery'

export async function deliverNow(deps: Deps, deliveryIds: string[]): Promise<void> {
  if (deps.queue.attemptNow) return deps.queue.attemptNow(deliveryIds)
  await Promise.all(
    deliveryIds.map(async (id) => {
      try {
        const result = await attemptDelivery(deps, id)
        if (result.kind === 'retry') await deps.queue.wake([id], result.delaySeconds)
      } catch (error) {
        // The row is still pending in D1: the queue (or, failing that, the cron sweep) picks it up.
        console.error('immediate delivery failed', id, error)
        await deps.queue.wake([id], 5).catch((e: unknown) => console.error('enqueue failed', id, e))
      }
    }),
  )
}
