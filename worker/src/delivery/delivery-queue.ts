// The wake-up seam: something that will call attemptDelivery for these ids after a delay.
export interface DeliveryMessage {
  deliveryId: string
}

/** "Check later whether somebody took this lead": the SLA timer rides the same queue. */
export interface SlaMessage {
  kind: 'sla'
  leadId: string
  /** The escalation count the check was scheduled at; a stale check finds a higher one and stops. */
  round: number
  /** When the check is due, unix ms (queue delays stop at 12 h; longer waits are re-delayed). */
  dueAt: number
}

export type QueueMessage = DeliveryMessage | SlaMessage

export interface DeliveryQueue {
  wake(deliveryIds: string[], delaySeconds: number): Promise<void>
  scheduleSla(check: SlaMessage, delaySeconds: number): Promise<void>
  /**
   * The first attempt right after a lead is stored, where the runtime runs attempts in one process
   * and must bound them (Node's scheduler: within its concurrency, the rest on its next tick).
   * Absent (Workers), the caller attempts at once itself.
   */
  attemptNow?(deliveryIds: string[]): Promise<void>
}

/** Cloudflare Queues cap a message delay at 12 h; longer waits are re-delayed by the consumer. */
export const MAX_QUEUE_DELAY_SECONDS = 12 * 60 * 60
