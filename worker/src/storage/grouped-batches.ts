// D1 batches that queue while another is in flight go to D1 together, as one batch: one D1 call
// costs a round trip and the binding's own work (under `wrangler dev`, more CPU than a lead's whole
// pipeline), and a D1 batch is one transaction, so several make one as well. Each caller sees what
// running its batch alone would give it: a combined batch that fails has rolled back as a whole,
// and each of its callers then runs its own alone, in its own request, and gets its own answer.
// (node:sqlite groups its commits itself, with a savepoint per batch: node/sqlite-database.ts.)
//
// A Worker isolate serves many requests at once, and the I/O a request starts belongs to it. So a
// call is always started by a caller that waits for an answer in it, never handed to a request
// that may have ended, and `keepAlive` (the request's waitUntil) holds that request open until the
// call is answered, even if its visitor goes away: the others in the call wait on it.
import type { BatchOptions, SqlDatabase, SqlResult, SqlStatement } from './sql-database'

/** One isolate's queue: module state on Workers, shared by each request's database. */
export interface BatchQueue {
  readonly maxStatements: number
  readonly stuckMs: number
  waiting: Waiter[]
  busy: boolean
  /** Which send holds `busy`: one given up as stuck must not free the queue under the next. */
  generation: number
  sentAt: number
  /** D1 calls made and batches they carried: what the grouping saves, for tests and the bench. */
  readonly counts: { calls: number; batches: number }
}

/** What a caller's batch came to: its own results, an error of its own, or "run it again alone". */
type Outcome = { kind: 'done'; results: SqlResult<unknown>[] } | { kind: 'failed'; error: unknown } | { kind: 'alone' }

interface Waiter {
  db: SqlDatabase
  statements: SqlStatement[]
  options: BatchOptions | undefined
  outcome: Outcome | null
  /** When a send took it; null while it waits in the queue. */
  sentAt: number | null
  /** Resolves the caller's current wait: its outcome is in, or the queue is free to lead. */
  wake: () => void
}

export interface BatchQueueOptions {
  /**
   * 32 statements: about ten leads (three statements each, more with deliveries), small enough that
   * one call's transaction stays short. A batch longer than that goes alone.
   */
  maxStatements?: number
  /**
   * A call unanswered this long is given up on: a request that died in it (a CPU limit, say) must
   * not leave the isolate's queue busy for good. Its callers get an error, since their batches may
   * have been applied; the waiting ones go on without it. D1 itself stops a query at 30 s.
   */
  stuckMs?: number
}

export function newBatchQueue({ maxStatements = 32, stuckMs = 30_000 }: BatchQueueOptions = {}): BatchQueue {
  return { maxStatements, stuckMs, waiting: [], busy: false, generation: 0, sentAt: 0, counts: { calls: 0, batches: 0 } }
}

/** `db` whose batches join the queue; statements run outside a batch go straight to `db`. */
export function groupedBatches(db: SqlDatabase, queue: BatchQueue, keepAlive: (task: Promise<unknown>) => void): SqlDatabase {
  return {
    prepare: (sql) => db.prepare(sql),
    async batch<T>(statements: SqlStatement[], options?: BatchOptions): Promise<SqlResult<T>[]> {
      if (statements.length === 0) return []
      const me: Waiter = { db, statements, options, outcome: null, sentAt: null, wake: () => {} }
      queue.waiting.push(me)
      while (me.outcome === null) {
        if (me.sentAt === null && !queue.busy) keepAlive(send(queue))
        await wakeOrTimeout(me, queue.stuckMs)
        if (me.outcome === null) giveUpIfStuck(queue, me, Date.now())
      }
      const outcome: Outcome = me.outcome
      if (outcome.kind === 'failed') throw outcome.error
      if (outcome.kind === 'alone') return db.batch<T>(statements, options)
      // T is the caller's word for its rows, as it is in D1's own batch<T>.
      return outcome.results as SqlResult<T>[]
    },
  }
}

/** A call unanswered for `stuckMs` fails its own callers and frees the queue for the next. */
function giveUpIfStuck(queue: BatchQueue, me: Waiter, now: number): void {
  if (me.sentAt !== null && now - me.sentAt >= queue.stuckMs) {
    me.outcome = { kind: 'failed', error: new Error(`D1 did not answer a batch in ${queue.stuckMs} ms; it may have been applied`) }
  }
  if (queue.busy && now - queue.sentAt >= queue.stuckMs) {
    queue.generation += 1
    queue.busy = false
    for (const waiter of queue.waiting) waiter.wake()
  }
}

/**
 * Waits for a wake or the timeout. The timer belongs to this caller's request, so this caller
 * clears it: a wake comes from another request, which may not touch it.
 */
async function wakeOrTimeout(me: Waiter, ms: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | null = null
  await new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms)
    me.wake = resolve
  })
  clearTimeout(timer)
}

/** Takes the longest run of waiting batches on one database that fits, sends it, and settles it. */
async function send(queue: BatchQueue): Promise<void> {
  const generation = ++queue.generation
  queue.busy = true
  queue.sentAt = Date.now()
  const group = takeGroup(queue)
  for (const waiter of group) waiter.sentAt = queue.sentAt
  try {
    const only = group.length === 1 ? group[0] : undefined
    if (only) {
      try {
        only.outcome = { kind: 'done', results: await only.db.batch<unknown>(only.statements, only.options) }
      } catch (error) {
        only.outcome = { kind: 'failed', error }
      }
      return
    }
    try {
      // D1 has no savepoints: one failing statement rolls every batch in the call back.
      const results = await group[0]!.db.batch<unknown>(group.flatMap((w) => w.statements))
      let at = 0
      for (const waiter of group) {
        waiter.outcome = { kind: 'done', results: results.slice(at, at + waiter.statements.length) }
        at += waiter.statements.length
      }
    } catch {
      for (const waiter of group) waiter.outcome = { kind: 'alone' }
    }
  } finally {
    queue.counts.calls += 1
    queue.counts.batches += group.length
    if (queue.generation === generation) queue.busy = false
    // Everyone waiting wakes in its own request: the first to run sends the next group.
    for (const waiter of group) waiter.wake()
    for (const waiter of queue.waiting) waiter.wake()
  }
}

function takeGroup(queue: BatchQueue): Waiter[] {
  const first = queue.waiting[0]
  if (!first) throw new Error('takeGroup: nothing waiting')
  let count = 1
  let statements = first.statements.length
  for (const next of queue.waiting.slice(1)) {
    if (next.db !== first.db || statements + next.statements.length > queue.maxStatements) break
    statements += next.statements.length
    count += 1
  }
  return queue.waiting.splice(0, count)
}
