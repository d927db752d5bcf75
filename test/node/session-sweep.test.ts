// The Node scheduler's sweep prunes expired console sessions, as the Worker's cron does
// (test/worker/console-session.test.ts covers the cron on both runtimes' shared path).
import { join } from 'node:path'
import { afterAll, expect, it } from 'vitest'
import { applyMigrations } from '../../worker/src/node/migrate'
import { createNodeDeps } from '../../worker/src/node/node-deps'
import { createScheduler } from '../../worker/src/node/scheduler'
import { openSqlite, sqliteDatabase } from '../../worker/src/node/sqlite-database'
import { ADMIN_TOKEN, ROOT, removeTemporary, tempDir, until } from './server-process'

afterAll(() => removeTemporary())

it('deletes expired console sessions in its sweep and keeps live ones', async () => {
  const sqlite = openSqlite(join(tempDir('leadcatcher-session-sweep-'), 'test.db'))
  applyMigrations(sqlite, join(ROOT, 'worker', 'migrations'))
  const scheduler = createScheduler({ intervalMs: 60_000 })
  const deps = createNodeDeps({
    db: sqliteDatabase(sqlite),
    queue: scheduler.queue,
    adminToken: ADMIN_TOKEN,
    allowPrivateTargets: false,
    resolveTargetHosts: false,
    schedulerLastTickAt: scheduler.lastTickAt,
  })
  const now = Date.now()
  const session = { scope: { kind: 'operator' } as const, sourceHash: 'x', csrfHash: 'y', createdAt: now - 13 * 3_600_000 }
  await deps.consoleSessions.create({ ...session, idHash: 'expired', expiresAt: now - 3_600_000 })
  await deps.consoleSessions.create({ ...session, idHash: 'live', expiresAt: now + 3_600_000 })
  try {
    // start() runs one sweep at once, then every sweepEveryMs.
    scheduler.start(deps)
    await until(async () => (await deps.consoleSessions.find('expired')) === null, 5000, 'the expired session to be pruned')
    expect(await deps.consoleSessions.find('live')).not.toBeNull()
  } finally {
    await scheduler.stop(1000)
    sqlite.close()
  }
})
