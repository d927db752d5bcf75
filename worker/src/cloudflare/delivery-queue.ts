// The wake-up seam on Cloudflare Queues: D1 holds the schedule, a message only says "look now".
import { MAX_QUEUE_DELAY_SECONDS } from '../delivery/delivery-queue'
import type { DeliveryQueue, QueueMessage } from '../delivery/delivery-queue'

export function cloudflareDeliveryQueue(queue: Queue<QueueMessage>): DeliveryQueue {
  return {
    async scheduleSla(check, delaySeconds) {
      await queue.send(check, { delaySeconds: Math.max(0, Math.min(Math.ceil(delaySeconds), MAX_QUEUE_DELAY_SECONDS)) })
    },

    async wake(deliveryIds, delaySeconds) {
      if (deliveryIds.length === 0) return
      const delay = Math.max(0, Math.min(Math.ceil(delaySeconds), MAX_QUEUE_DELAY_SECONDS))
      // sendBatch takes at most 100 messages.
      for (let i = 0; i < deliveryIds.length; i += 100) {
        await queue.sendBatch(deliveryIds.slice(i, i + 100).map((deliveryId) => ({ body: { deliveryId }, delaySeconds: delay })))
      }
    },
  }
}
