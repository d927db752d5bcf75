// Queue consumer: one attempt per message; ack only what is finished, retry everything else.
import type { Deps } from '../deps'
import { attemptDelivery } from './attempt-delivery'
import { MAX_QUEUE_DELAY_SECONDS } from './delivery-queue'
import type { DeliveryMessage } from './delivery-queue'

const clampDelay = (seconds: number) => Math.max(0, Math.min(Math.ceil(seconds), MAX_QUEUE_DELAY_SECONDS))

export async function consumeDeliveries(batch: MessageBatch<DeliveryMessage>, deps: Deps): Promise<void> {
  for (const message of batch.messages) {
    const deliveryId = message.body?.deliveryId
    if (typeof deliveryId !== 'string') {
      console.error('malformed delivery message', message.id)
      message.ack()
      continue
    }
    try {
      const result = await attemptDelivery(deps, deliveryId)
      switch (result.kind) {
        case 'delivered':
        case 'failed':
          message.ack()
          break
        case 'retry':
          message.retry({ delaySeconds: clampDelay(result.delaySeconds) })
          break
        case 'skipped':
          // Finished or unknown deliveries need no more wake-ups (queues are at-least-once).
          if (result.retryInSeconds === null) message.ack()
          else message.retry({ delaySeconds: clampDelay(result.retryInSeconds) })
          break
      }
    } catch (error) {
      console.error('delivery attempt crashed', deliveryId, error)
      message.retry({ delaySeconds: 30 })
    }
  }
}

/** Messages that exhausted the queue's own retries: record the delivery as failed, never drop it silently. */
export async function consumeDeadLetters(batch: MessageBatch<DeliveryMessage>, deps: Deps): Promise<void> {
  for (const message of batch.messages) {
    const deliveryId = message.body?.deliveryId
    try {
      if (typeof deliveryId === 'string') {
        await deps.deliveries.failDelivery(deliveryId, `dead-lettered after ${message.attempts} queue attempts`, deps.now())
      }
      message.ack()
    } catch (error) {
      console.error('dead-letter handling failed', deliveryId, error)
      message.retry({ delaySeconds: 60 })
    }
  }
}
