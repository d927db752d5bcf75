// Self-hosted entry (`npm run serve`): the same app on Node 22 + SQLite, for a VPS inside Russia
// (152-FZ art. 18 p. 5) or anywhere without Cloudflare. Settings come from the environment
// (settings.ts); a bad one stops the start with a message and a non-zero exit.
import { accessSync, constants, existsSync, mkdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { serve } from '@hono/node-server'
import { applyMigrations } from './migrate'
import { createNodeApp } from './node-app'
import { createNodeDepsWithLeases } from './node-deps'
import { lockDatabaseFile } from './process-lock'
import { createScheduler } from './scheduler'
import { readSettings } from './settings'
import type { Settings } from './settings'
import { openSqlite, sqliteDatabase } from './sqlite-database'
import { StartupError } from './startup-error'
import { checkNodeSqlite } from './sqlite-binding-check'

/** The folder holding worker/migrations and dist/ (from the source tree or the built dist/server). */
function projectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url))
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, 'worker', 'migrations'))) return dir
    dir = dirname(dir)
  }
  return process.cwd()
}

function prepareDataDir(settings: Settings): void {
  const dir = dirname(settings.databasePath)
  try {
    mkdirSync(dir, { recursive: true })
    accessSync(dir, constants.W_OK)
  } catch (error) {
    const reason = error instanceof Error && 'code' in error ? String(error.code) : 'not writable'
    throw new StartupError('data_dir', `The data folder ${dir} cannot be created or written (${reason}). Create it and give the server's user write access, or set DATA_DIR.`)
  }
}

export async function startServer(env: Record<string, string | undefined> = process.env) {
  checkNodeSqlite()
  const settings = readSettings(env, { root: projectRoot() })
  prepareDataDir(settings)
  if (!existsSync(join(settings.staticDir, 'widget.js'))) {
    throw new StartupError('static_missing', `The built widget is missing from ${settings.staticDir}: run "npm run build" first, or set STATIC_DIR.`)
  }
  const lock = lockDatabaseFile(settings.databasePath)
  let sqlite: ReturnType<typeof openSqlite>
  try {
    sqlite = openSqlite(settings.databasePath)
  } catch (error) {
    lock.release()
    // Typically a file restored as another user (root) or with the wrong mode.
    throw new StartupError(
      'data_dir',
      `The database ${settings.databasePath} cannot be opened (${error instanceof Error ? error.message : String(error)}). Check that the server's user owns it and can read and write it, and its -wal and -shm files.`,
    )
  }
  try {
    const report = applyMigrations(sqlite, settings.migrationsDir)
    if (report.applied.length > 0) console.log(`migrations applied: ${report.applied.join(', ')}`)
  } catch (error) {
    sqlite.close()
    lock.release()
    throw error
  }

  const scheduler = createScheduler({ intervalMs: settings.schedulerIntervalMs, concurrency: settings.deliveryConcurrency, publicUrl: settings.publicUrl })
  const database = sqliteDatabase(sqlite)
  const { deps, leases } = createNodeDepsWithLeases({
    db: database,
    queue: scheduler.queue,
    adminToken: settings.adminToken,
    allowPrivateTargets: settings.allowPrivateTargets,
    resolveTargetHosts: settings.resolveTargetHosts,
    schedulerLastTickAt: scheduler.lastTickAt,
  })
  const inFlight = new Set<Promise<unknown>>()
  const app = createNodeApp({
    deps,
    trustProxy: settings.trustProxy,
    staticDir: settings.staticDir,
    background: (task) => {
      const tracked = task.catch((error: unknown) => console.error('background work failed; the scheduler retries it', error))
      inFlight.add(tracked)
      void tracked.finally(() => inFlight.delete(tracked))
    },
  })

  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port: settings.port, hostname: settings.host }, () => resolve(s))
    s.once('error', (error: NodeJS.ErrnoException) => {
      reject(error.code === 'EADDRINUSE' ? new StartupError('settings', `Port ${settings.port} on ${settings.host} is already in use: stop what uses it or set PORT.`) : error)
    })
  })
  scheduler.start(deps)

  let stopping: Promise<void> | null = null
  /** Stop accepting, let requests and attempts under way finish (or their leases expire), close. */
  function stop(): Promise<void> {
    stopping ??= (async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()))
      if ('closeIdleConnections' in server) server.closeIdleConnections()
      const deadline = Date.now() + settings.shutdownGraceMs
      const finished = await scheduler.stop(settings.shutdownGraceMs)
      const left = Math.max(0, deadline - Date.now())
      const backgroundDone = await Promise.race([Promise.all([...inFlight]).then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), left).unref())])
      await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, Math.max(0, deadline - Date.now())).unref())])
      if (!finished || !backgroundDone) {
        const released = await deps.deliveries.releaseLeases(leases.held(), Date.now()).catch(() => 0)
        console.log(`shutdown: ${released} attempt(s) still running after ${settings.shutdownGraceMs} ms; their leases were handed back and the next start retries them`)
      }
      // Commits the group still open first: no write a request issued is dropped at the close.
      database.close()
      lock.release()
    })()
    return stopping
  }
  return { settings, server, scheduler, stop, url: settings.publicUrl }
}

async function main() {
  try {
    const running = await startServer()
    const { settings } = running
    console.log(`Leadcatcher (self-hosted) listening on http://${settings.host.includes(':') ? `[${settings.host}]` : settings.host}:${settings.port}`)
    console.log(`  public URL: ${settings.publicUrl}   tag: <script src="${settings.publicUrl}/widget.js" data-site="your-site" async></script>`)
    console.log(`  database:   ${settings.databasePath}`)
    console.log(`  health:     ${settings.publicUrl}/healthz`)
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      process.once(signal, () => {
        console.log(`${signal}: shutting down`)
        void running.stop().then(() => process.exit(0))
      })
    }
  } catch (error) {
    if (error instanceof StartupError) {
      console.error(`leadcatcher: ${error.message}`)
      process.exit(2)
    }
    console.error('leadcatcher: failed to start', error)
    process.exit(1)
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) void main()
