// Queue consumer: one attempt per message; ack only what is finished, retry everything else.
import type { Deps } from '../deps'
import { attemptDelivery } from '../delivery/attempt-delivery'
import { MAX_QUEUE_DELAY_SECONDS } from '../delivery/delivery-queue'
import type { DeliveryMessage, QueueMessage, SlaMessage } from '../delivery/delivery-queue'
import { checkSla } from '../lead-routing/check-sla'

/**
 * The members of the Workers `Message` and `MessageBatch` used here, stated structurally so the
 * shared worker suites can also drive this consumer on the Node runtime's database.
 */
interface Message<T> {
  readonly id: string
  readonly body: T
  readonly attempts: number
  ack(): void
  retry(options?: { delaySeconds?: number }): void
}

interface MessageBatch<T> {
  readonly queue: string
  readonly messages: readonly Message<T>[]
}

const clampDelay = (seconds: number) => Math.max(0, Math.min(Math.ceil(seconds), MAX_QUEUE_DELAY_SECONDS))

function isSlaCheck(body: QueueMessage | undefined): body is SlaMessage {
  return typeof body === 'object' && body !== null && 'kind' in body && body.kind === 'sla'
}

async function consumeSlaCheck(message: Message<SlaMessage>, deps: Deps): Promise<void> {
  try {
    const result = await checkSla(deps, message.body)
    if (result.kind === 'later') message.retry({ delaySeconds: clampDelay(result.delaySeconds) })
    else message.ack()
  } catch (error) {
    console.error('sla check crashed', message.body.leadId, error)
    message.retry({ delaySeconds: 60 })
  }
}

export async function consumeDeliveries(batch: MessageBatch<QueueMessage>, deps: Deps): Promise<void> {
  for (const message of batch.messages) {
    if (isSlaCheck(message.body)) {
      await consumeSlaCheck(message as Message<SlaMessage>, deps)
      continue
    }
    const deliveryId = (message.body as DeliveryMessage | undefined)?.deliveryId
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
export async function consumeDeadLetters(batch: MessageBatch<QueueMessage>, deps: Deps): Promise<void> {
  for (const message of batch.messages) {
    const deliveryId = isSlaCheck(message.body) ? undefined : message.body?.deliveryId
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
