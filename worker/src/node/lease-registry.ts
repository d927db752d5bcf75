// Which deliveries this process holds a lease on right now, so a shutdown that cannot wait for an
// attempt to finish can hand its lease back instead of leaving it to expire a minute later.
import type { DeliveryStore } from '../storage/types'

export interface LeaseRegistry {
  store: DeliveryStore
  held(): string[]
}

export function withLeaseRegistry(inner: DeliveryStore): LeaseRegistry {
  const held = new Set<string>()
  const store: DeliveryStore = {
    ...inner,
    async claimDelivery(id, now, leaseMs) {
      const claimed = await inner.claimDelivery(id, now, leaseMs)
      if (claimed) held.add(id)
      return claimed
    },
    async finishAttempt(record, now) {
      const moved = await inner.finishAttempt(record, now)
      held.delete(record.deliveryId)
      return moved
    },
  }
  return { store, held: () => [...held] }
}
