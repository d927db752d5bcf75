// GET /healthz: database reachable, migrations current, scheduler alive, and how late the most
// overdue delivery is. 200 when the first three hold, 503 otherwise; both runtimes.
import { Hono } from 'hono'
import type { AppEnv } from '../deps'
import { migrationState } from '../storage/migrations'

/** A scheduler that has not ticked for this long is stuck (it ticks every second or so). */
const SCHEDULER_STALE_MS = 30_000

export const healthzRoute = new Hono<AppEnv>()

healthzRoute.get('/', async (c) => {
  const { deps } = c.var
  const now = deps.now()
  const database = await deps.health.ping().then(
    () => 'ok' as const,
    (error: unknown) => {
      console.error('healthz: database unreachable', error)
      return 'unreachable' as const
    },
  )
  const migrations = database === 'ok' ? await deps.health.appliedMigrations().then(migrationState, () => null) : null
  const lastTick = deps.runtime.schedulerLastTickAt()
  const scheduler =
    deps.runtime.name === 'cloudflare'
      ? { kind: 'cloudflare-queues' as const, alive: true }
      : { kind: 'in-process' as const, alive: lastTick !== null && now - lastTick < SCHEDULER_STALE_MS, lastTickMsAgo: lastTick === null ? null : now - lastTick }
  const oldestOverdueDeliveryMs = database === 'ok' ? await deps.health.oldestOverdueDeliveryMs(now).catch(() => null) : null
  const migrationsCurrent = migrations !== null && migrations.missing.length === 0 && migrations.unknown.length === 0
  const ok = database === 'ok' && migrationsCurrent && scheduler.alive
  c.header('Cache-Control', 'no-store')
  return c.json(
    {
      ok,
      runtime: deps.runtime.name,
      database,
      migrations: migrations ? { current: migrationsCurrent, ...migrations } : { current: false },
      scheduler,
      oldestOverdueDeliveryMs,
    },
    ok ? 200 : 503,
  )
})
