// The in-process stand-in for Cloudflare Queues and Cron: a timer that claims due deliveries and
// SLA checks from the database (the same leases as the queue consumer, so nothing is sent twice
// at once), with bounded concurrency, plus the sweep: retention, rate-limit, call and console-session
// clean-up, junk-spike checks and daily digests.
// The database is the record: after a crash the first tick finds everything that was due.
import type { Deps } from '../deps'
import { attemptDelivery } from '../delivery/attempt-delivery'
import type { DeliveryQueue } from '../delivery/delivery-queue'
import { sweepRetention } from '../pipeline/sweep-retention'
import { sweepQuality } from '../quality/check-quality'
import { sweepDigests } from '../daily-digest/send-digest'
import { checkSla } from '../lead-routing/check-sla'

export interface SchedulerOptions {
  /** How often it looks for due work when no wake-up came. */
  intervalMs?: number
  /** Delivery attempts at once (each may wait for a slow target up to its timeout). */
  concurrency?: number
  /** The sweep (clean-up, junk-spike checks, digests), as the Worker's cron runs it every 5 minutes. */
  sweepEveryMs?: number
  /** The server's public address (PUBLIC_URL): the console links in alerts and digests. */
  publicUrl?: string
}

export interface Scheduler {
  /** The wake-ups the shared code asks for; the tick would find the work anyway, this is sooner. */
  queue: DeliveryQueue
  start(deps: Deps): void
  /** Stops ticking and waits up to `graceMs` for attempts under way; true when all finished. */
  stop(graceMs: number): Promise<boolean>
  lastTickAt(): number | null
  /** Attempts and checks under way now. */
  busy(): number
  /** One pass now (tests, and wake-ups). */
  tick(): Promise<void>
}

/** Wake-ups further out than this are left to the regular tick (timers keep the process busy). */
const MAX_WAKE_DELAY_MS = 60_000

export function createScheduler({ intervalMs = 1000, concurrency = 8, sweepEveryMs = 5 * 60_000, publicUrl }: SchedulerOptions = {}): Scheduler {
  let deps: Deps | null = null
  let stopped = false
  let lastTick: number | null = null
  let timer: ReturnType<typeof setInterval> | null = null
  let sweepTimer: ReturnType<typeof setInterval> | null = null
  let ticking: Promise<void> | null = null
  const running = new Map<string, Promise<void>>()
  const wakeTimers = new Set<ReturnType<typeof setTimeout>>()
  /** The last pass found more due deliveries than it had slots for: a freed slot looks again at once. */
  let backlog = false

  function run(key: string, work: () => Promise<unknown>): void {
    if (running.has(key)) return
    const task = work()
      .then(() => undefined)
      .catch((error: unknown) => console.error('scheduled work failed; the next tick retries it', key, error))
      .finally(() => {
        running.delete(key)
        // Without this a backlog drains at `concurrency` per interval (8 a second), not as fast
        // as the target answers.
        if (backlog && !stopped) setImmediate(() => void tick())
      })
    running.set(key, task)
  }

  async function pass(current: Deps): Promise<void> {
    const now = current.now()
    lastTick = now
    const free = concurrency - running.size
    if (free > 0) {
      const ids = await current.deliveries.listOverdue(now, 0, free + running.size + 1)
      const startable = ids.filter((i) => !running.has(`d:${i}`))
      backlog = startable.length > free
      for (const id of startable.slice(0, free)) {
        run(`d:${id}`, () => attemptDelivery(current, id))
      }
    }
    for (const check of await current.sla.listDue(now, 0, 50)) {
      run(`s:${check.leadId}:${check.round}`, () => checkSla(current, check))
    }
  }

  function tick(): Promise<void> {
    if (stopped || !deps) return Promise.resolve()
    // One pass at a time; a wake-up during a pass is covered by that pass or the next tick.
    ticking ??= pass(deps)
      .catch((error: unknown) => console.error('scheduler tick failed', error))
      .finally(() => {
        ticking = null
      })
    return ticking
  }

  function wakeIn(delaySeconds: number): void {
    if (stopped) return
    const ms = Math.max(0, delaySeconds * 1000)
    if (ms > MAX_WAKE_DELAY_MS) return
    const t = setTimeout(() => {
      wakeTimers.delete(t)
      void tick()
    }, ms)
    t.unref()
    wakeTimers.add(t)
  }

  async function sweep(current: Deps): Promise<void> {
    const now = current.now()
    // Quality notices need no background send here: the next tick reads their deliveries as due.
    const quiet = (task: Promise<unknown>) => void task.catch((error: unknown) => console.error('quality notice failed', error))
    await Promise.all([
      sweepRetention(current),
      current.limiter.cleanup(now),
      current.calls.prune(now),
      current.consoleSessions.pruneExpired(now),
      sweepQuality(current, { now, baseUrl: publicUrl ?? null, background: quiet }),
      sweepDigests(current, { now, baseUrl: publicUrl ?? null }),
    ]).catch((error: unknown) => console.error('sweep failed; it runs again later', error))
  }

  return {
    queue: {
      // A burst of leads must not open one request per lead at once: the attempts under way are
      // what a crash can repeat, and each may wait for a slow target up to its timeout. Beyond
      // the bound, the next tick (SCHEDULER_INTERVAL_MS) takes them.
      async attemptNow(ids) {
        const started: Promise<void>[] = []
        for (const id of ids) {
          if (stopped || !deps || running.size >= concurrency) break
          const current = deps
          run(`d:${id}`, () => attemptDelivery(current, id))
          const task = running.get(`d:${id}`)
          if (task) started.push(task)
        }
        await Promise.all(started)
      },
      async wake(ids, delaySeconds) {
        if (ids.length > 0) wakeIn(delaySeconds)
      },
      async scheduleSla(_check, delaySeconds) {
        wakeIn(delaySeconds)
      },
    },
    start(d) {
      deps = d
      stopped = false
      timer = setInterval(() => void tick(), intervalMs)
      sweepTimer = setInterval(() => void sweep(d), sweepEveryMs)
      sweepTimer.unref()
      void tick()
      void sweep(d)
    },
    async stop(graceMs) {
      stopped = true
      if (timer) clearInterval(timer)
      if (sweepTimer) clearInterval(sweepTimer)
      for (const t of wakeTimers) clearTimeout(t)
      wakeTimers.clear()
      const all = Promise.all([ticking, ...running.values()]).then(() => true)
      const late = new Promise<boolean>((resolve) => setTimeout(() => resolve(false), graceMs).unref())
      return Promise.race([all, late])
    },
    lastTickAt: () => lastTick,
    busy: () => running.size,
    tick,
  }
}
