// `cloudflare:test` for the shared worker suites on Node: execution contexts whose waitUntil work
// can be awaited, and message batches that record acks and retries like the Workers pool's.
import type { BatchLike, ExecutionContextLike, MessageLike } from './worker'

interface Context extends ExecutionContextLike {
  pending: Promise<unknown>[]
  passThroughOnException(): void
  props: Record<string, unknown>
}

export function createExecutionContext(): Context {
  const pending: Promise<unknown>[] = []
  return { pending, waitUntil: (task) => void pending.push(task), passThroughOnException() {}, props: {} }
}

/** Waits for every waitUntil task, including ones added while waiting. */
export async function waitOnExecutionContext(ctx: ExecutionContextLike): Promise<void> {
  const { pending } = ctx as Context
  for (let done = 0; done < pending.length; ) {
    const batch = pending.slice(done)
    done = pending.length
    await Promise.allSettled(batch)
  }
}

export function createScheduledController(options: { cron?: string; scheduledTime?: number } = {}) {
  return { cron: options.cron ?? '', scheduledTime: options.scheduledTime ?? Date.now(), noRetry() {} }
}

interface Recorded {
  acks: string[]
  retries: { msgId: string; delaySeconds?: number }[]
}
const recorded = new WeakMap<object, Recorded>()

export function createMessageBatch<T>(queue: string, messages: { id: string; timestamp?: Date; attempts: number; body: T }[]): BatchLike<T> {
  const record: Recorded = { acks: [], retries: [] }
  const batch: BatchLike<T> = {
    queue,
    messages: messages.map(
      (m): MessageLike<T> => ({
        id: m.id,
        body: m.body,
        attempts: m.attempts,
        ack: () => void record.acks.push(m.id),
        retry: (options) => void record.retries.push({ msgId: m.id, ...(options?.delaySeconds !== undefined && { delaySeconds: options.delaySeconds }) }),
      }),
    ),
  }
  recorded.set(batch, record)
  return batch
}

export async function getQueueResult(batch: object, ctx: ExecutionContextLike) {
  await waitOnExecutionContext(ctx)
  const record = recorded.get(batch) ?? { acks: [], retries: [] }
  return { outcome: 'ok', ackAll: false, retryBatch: { retry: false }, explicitAcks: record.acks, retryMessages: record.retries }
}
