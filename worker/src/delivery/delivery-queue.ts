// The wake-up seam: something that will call attemptDelivery for these ids after a delay.
export interface DeliveryMessage {
  deliveryId: string
}

export interface DeliveryQueue {
  wake(deliveryIds: string[], delaySeconds: number): Promise<void>
}

/** Cloudflare Queues cap a message delay at 12 h; longer waits are re-delayed by the consumer. */
export const MAX_QUEUE_DELAY_SECONDS = 12 * 60 * 60

export function cloudflareDeliveryQueue(queue: Queue<DeliveryMessage>): DeliveryQueue {
  return {
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
