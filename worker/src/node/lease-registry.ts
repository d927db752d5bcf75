// Which deliveries this process holds a lease on right now, so a shutdown that cannot wait for an
// attempt to finish can hand its lease back instead of leaving it to expire a minute later.
import type { DeliveryStore } from '../storage/types'

export interface LeaseRegistry {
  store: DeliveryStore
  held(): string[]
}

export function withLeaseRegistry(inner: DeliveryStore): LeaseRegistry {
  // Each held delivery with the lease this process's claim took: an attempt that finishes after
  // a later claim of the same delivery (here too) must not forget that later one's lease.
  const held = new Map<string, number>()
  const store: DeliveryStore = {
    ...inner,
    async claimDelivery(id, now, leaseMs) {
      const claimed = await inner.claimDelivery(id, now, leaseMs)
      if (claimed) held.set(id, claimed.leaseUntil)
      return claimed
    },
    async finishAttempt(record, now) {
      const moved = await inner.finishAttempt(record, now)
      if (held.get(record.deliveryId) === record.leaseUntil) held.delete(record.deliveryId)
      return moved
    },
  }
  return { store, held: () => [...held.keys()] }
}
