// The Node runtime's stand-in for the Worker bindings the shared worker suites use: `env.DB` is the
// node:sqlite SqlDatabase (one migrated file per vitest worker, shared by the files it runs, as
// the workerd files share their D1; a file that calls vi.resetModules() gets a new one), the vars
// are the same as in vitest.config.ts's workerd project. Only the tests see this; the server builds its deps itself.
import { join } from 'node:path'
import { applyMigrations } from '../../worker/src/node/migrate'
import { openSqlite, sqliteDatabase } from '../../worker/src/node/sqlite-database'
import type { SqlDatabase } from '../../worker/src/storage/sql-database'
import { tempDir } from './temp-dir'

/** The part of a Queue binding the shared code sends to (recorded or dropped in tests). */
export interface QueueLike {
  send(body: unknown, options?: { delaySeconds?: number }): Promise<void>
  sendBatch(messages: Iterable<{ body: unknown; delaySeconds?: number }>): Promise<void>
}

export interface TestEnv {
  DB: SqlDatabase
  DELIVERY_QUEUE: QueueLike
  ADMIN_TOKEN: string
  ALLOW_PRIVATE_TARGETS: string
  RESOLVE_TARGET_HOSTS: string
  FUZZ_RUNS: string
  FUZZ_SEED: string | undefined
  TEST_MIGRATIONS: never[]
  /** Which runtime the shared suites run on, for the few tests of one runtime's own bindings. */
  TEST_RUNTIME: 'workerd' | 'node'
  [key: string]: unknown
}

const ROOT = join(import.meta.dirname, '..', '..')
const sqlite = openSqlite(join(tempDir('leadcatcher-node-test-'), 'test.db'))
applyMigrations(sqlite, join(ROOT, 'worker', 'migrations'))

/** Wake-ups go nowhere: on Node the scheduler's tick finds due work in the database anyway. */
const droppedQueue: QueueLike = { send: async () => {}, sendBatch: async () => {} }

export const env: TestEnv = {
  DB: sqliteDatabase(sqlite),
  DELIVERY_QUEUE: droppedQueue,
  ADMIN_TOKEN: 'test-admin-token-0123456789',
  ALLOW_PRIVATE_TARGETS: 'false',
  RESOLVE_TARGET_HOSTS: 'false',
  FUZZ_RUNS: process.env.FUZZ_RUNS ?? '10000',
  FUZZ_SEED: process.env.FUZZ_SEED,
  TEST_MIGRATIONS: [],
  TEST_RUNTIME: 'node',
}
