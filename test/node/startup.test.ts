// The self-hosted server's start-up, as an operator meets it: the built server.mjs in a real
// process; every bad setting stops it with one clear message and exit code 2, touching nothing.
import { createHash } from 'node:crypto'
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  ORIGIN,
  WEBHOOK_SECRET,
  adminFetch,
  builtServer,
  freePort,
  killAll,
  leadBody,
  mobileFrom,
  putSite,
  removeTemporary,
  runToExit,
  serverEnv,
  startListening,
  startServerProcess,
  tempDir,
} from './server-process'

beforeAll(() => {
  builtServer()
})

afterAll(async () => {
  await killAll()
  removeTemporary()
})

/** Table name → row count, and the schema, of a database file (opened only to read). */
function snapshotOf(path: string) {
  const db = new DatabaseSync(path, { readOnly: true })
  try {
    const tables = db.prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'table' ORDER BY name`).all() as { name: string; sql: string }[]
    const counts = Object.fromEntries(tables.map((t) => [t.name, Number((db.prepare(`SELECT COUNT(*) AS n FROM "${t.name}"`).get() as { n: number }).n)]))
    const migrations = (db.prepare('SELECT name FROM d1_migrations ORDER BY id').all() as { name: string }[]).map((r) => r.name)
    return { schema: tables.map((t) => t.sql), counts, migrations }
  } finally {
    db.close()
  }
}

const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex')

describe('settings the server refuses', () => {
  async function withoutAdminToken() {
    const dataDir = join(tempDir(), 'data')
    const { ADMIN_TOKEN: _, ...env } = serverEnv(dataDir, await freePort())
    return { dataDir, result: await runToExit(env) }
  }

  it('refuses to start without ADMIN_TOKEN, names it, and creates nothing', async () => {
    const { dataDir, result } = await withoutAdminToken()
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('The server cannot start with these settings')
    expect(result.stderr).toMatch(/^\s+- ADMIN_TOKEN /m)
    expect(result.stdout).not.toMatch(/listening/)
    expect(existsSync(dataDir)).toBe(false)
  })

  it('says how to make an ADMIN_TOKEN when it is missing', async () => {
    const { result } = await withoutAdminToken()
    expect(result.stderr).toContain('ADMIN_TOKEN is required: set a long random string (for example: openssl rand -base64 32)')
  })

  it('refuses an ADMIN_TOKEN shorter than 16 characters', async () => {
    const dataDir = join(tempDir(), 'data')
    const result = await runToExit(serverEnv(dataDir, await freePort(), { ADMIN_TOKEN: 'fifteen-chars!!' }))
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('ADMIN_TOKEN must be at least 16 characters')
    expect(existsSync(dataDir)).toBe(false)
  })

  it('names every bad value at once: PORT not a number, PORT out of range, TRUST_PROXY=true', async () => {
    const dataDir = join(tempDir(), 'data')
    const notNumber = await runToExit(serverEnv(dataDir, 0, { PORT: '80a', TRUST_PROXY: 'true' }))
    expect(notNumber.code).toBe(2)
    expect(notNumber.stderr).toContain('The server cannot start with these settings')
    expect(notNumber.stderr).toContain('PORT must be a whole number from 1 to 65535')
    // Trusting every hop would let any client pick its IP (and its rate limit) by X-Forwarded-For.
    expect(notNumber.stderr).toMatch(/TRUST_PROXY "true" is refused/)

    const tooHigh = await runToExit(serverEnv(dataDir, 0, { PORT: '70000' }))
    expect(tooHigh.code).toBe(2)
    expect(tooHigh.stderr).toContain('PORT must be at most 65535')

    const zero = await runToExit(serverEnv(dataDir, 0, { PORT: '0' }))
    expect(zero.code).toBe(2)
    expect(zero.stderr).toContain('PORT must be at least 1')

    const badProxy = await runToExit(serverEnv(dataDir, await freePort(), { TRUST_PROXY: 'loopback, 10.0.0.300' }))
    expect(badProxy.code).toBe(2)
    expect(badProxy.stderr).toContain('TRUST_PROXY "10.0.0.300" is not an IP address')
    // Settings are read before anything is touched.
    expect(existsSync(dataDir)).toBe(false)
  })

  it('says so when the port is already taken', async () => {
    const dataDir = join(tempDir(), 'data')
    const port = await freePort()
    const first = await startListening(serverEnv(join(tempDir(), 'data'), port))
    const second = await runToExit(serverEnv(dataDir, port))
    expect(second.code).toBe(2)
    expect(second.stderr).toContain(`Port ${port} on 127.0.0.1 is already in use`)
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200)
    await first.kill('SIGTERM')
  })
})

describe('the data folder', () => {
  it('refuses a data folder that cannot be created (its parent is a file), naming the folder, and leaves the file alone', async () => {
    const dir = tempDir()
    const file = join(dir, 'not-a-folder')
    writeFileSync(file, 'keep me\n')
    const dataDir = join(file, 'data')
    const result = await runToExit(serverEnv(dataDir, await freePort()))
    expect(result.code).toBe(2)
    expect(result.stderr).toContain(`The data folder ${dataDir} cannot be created or written`)
    expect(result.stderr).toMatch(/ENOTDIR|EEXIST/)
    expect(readFileSync(file, 'utf8')).toBe('keep me\n')
  })

  it('refuses a data folder it cannot write (a read-only mount as root, a read-only folder otherwise)', async (ctx) => {
    const dir = tempDir()
    const dataDir = join(dir, 'data')
    mkdirSync(dataDir)
    writeFileSync(join(dataDir, 'marker'), 'x')
    let command: string[] | undefined
    if (process.getuid?.() === 0) {
      // Root writes through chmod; a read-only bind mount in a mount namespace of the child's own
      // (unshare -m) stops even root and needs no clean-up here.
      const probe = await runToExit({}, 10_000, {
        command: ['unshare', '-m', 'sh', '-c', `mount --bind "${dataDir}" "${dataDir}" && mount -o remount,ro,bind "${dataDir}" && exit 0; exit 97`, '--'],
      })
      if (probe.code !== 0) ctx.skip()
      command = ['unshare', '-m', 'sh', '-c', `mount --bind "${dataDir}" "${dataDir}" && mount -o remount,ro,bind "${dataDir}" && exec "$@"`, '--']
    } else {
      chmodSync(dataDir, 0o555)
    }
    const result = await runToExit(serverEnv(dataDir, await freePort()), 15_000, command ? { command } : {})
    if (!command) chmodSync(dataDir, 0o755)
    expect(result.code).toBe(2)
    expect(result.stderr).toContain(`The data folder ${dataDir} cannot be created or written`)
    expect(result.stderr).toMatch(/EROFS|EACCES/)
    expect(existsSync(join(dataDir, 'leadcatcher.db'))).toBe(false)
  })
})

describe('the database', () => {
  it('refuses a database migrated by a newer version and leaves it as it was', async () => {
    const dataDir = join(tempDir(), 'data')
    const port = await freePort()
    const env = serverEnv(dataDir, port)
    const first = await startListening(env)
    expect(first.stdout()).toMatch(/migrations applied: 0001_initial\.sql, /)
    const base = `http://127.0.0.1:${port}`
    await putSite(base, 'shop', { origins: [ORIGIN], targets: [] })
    const posted = await fetch(`${base}/v1/leads`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Origin: ORIGIN },
      body: JSON.stringify(leadBody('shop', crypto.randomUUID(), mobileFrom(1234567))),
    })
    expect(posted.status).toBe(201)
    expect(await first.kill('SIGTERM')).toBe(0)

    const path = join(dataDir, 'leadcatcher.db')
    const db = new DatabaseSync(path)
    db.prepare(`INSERT INTO d1_migrations (name) VALUES ('9999_future.sql')`).run()
    db.close()
    const before = snapshotOf(path)
    const hash = sha256(path)
    expect(before.counts.leads).toBe(1)
    expect(before.counts.sites).toBe(1)

    const second = await runToExit(env)
    expect(second.code).toBe(2)
    expect(second.stderr).toContain('The database was migrated by a newer version of Leadcatcher')
    expect(second.stderr).toContain('9999_future.sql')
    expect(second.stdout).not.toMatch(/listening|migrations applied/)
    expect(snapshotOf(path)).toEqual(before)
    expect(sha256(path)).toBe(hash)
  })

  it('refuses a second server on the same database while the first runs; the first keeps serving', async () => {
    const dataDir = join(tempDir(), 'data')
    const port = await freePort()
    const first = await startListening(serverEnv(dataDir, port))
    const second = await runToExit(serverEnv(dataDir, await freePort()))
    expect(second.code).toBe(2)
    expect(second.stderr).toContain(`Another Leadcatcher server is already using ${join(dataDir, 'leadcatcher.db')}`)
    expect(second.stdout).not.toMatch(/listening/)

    const base = `http://127.0.0.1:${port}`
    const health = await fetch(`${base}/healthz`)
    expect(health.status).toBe(200)
    // Still writable: the refused start took no lock of the database itself.
    await putSite(base, 'shop', { origins: [ORIGIN] })
    const posted = await fetch(`${base}/v1/leads`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Origin: ORIGIN },
      body: JSON.stringify(leadBody('shop', crypto.randomUUID(), mobileFrom(7654321))),
    })
    expect(posted.status).toBe(201)
    expect(await first.kill('SIGTERM')).toBe(0)
  })
})

describe('a good start', () => {
  it('prints where it listens, and /healthz says ok on the node runtime with current migrations and a live scheduler', async () => {
    const dataDir = join(tempDir(), 'data')
    const port = await freePort()
    const server = await startListening(serverEnv(dataDir, port, { SCHEDULER_INTERVAL_MS: '200' }))
    // The lines after the first one may come in a later chunk.
    await server.waitFor(/health: +http:\/\/\S+\/healthz/)
    expect(server.stdout()).toContain(`Leadcatcher (self-hosted) listening on http://127.0.0.1:${port}`)
    expect(server.stdout()).toContain(`database:   ${join(dataDir, 'leadcatcher.db')}`)
    expect(server.stderr()).toBe('')
    const response = await fetch(`http://127.0.0.1:${port}/healthz`)
    expect(response.status).toBe(200)
    const body = (await response.json()) as {
      ok: boolean
      runtime: string
      database: string
      migrations: { current: boolean; missing: string[]; unknown: string[] }
      scheduler: { kind: string; alive: boolean }
    }
    expect(body).toMatchObject({
      ok: true,
      runtime: 'node',
      database: 'ok',
      migrations: { current: true, missing: [], unknown: [] },
      scheduler: { kind: 'in-process', alive: true },
    })
    // The widget is served from the same origin.
    expect((await fetch(`http://127.0.0.1:${port}/widget.js`)).status).toBe(200)
    expect(await server.kill('SIGTERM')).toBe(0)
    expect(server.stdout()).toContain('SIGTERM: shutting down')
  })

  it('starts again at once on the same data folder after kill -9, with what the killed one stored', async () => {
    const dataDir = join(tempDir(), 'data')
    const port = await freePort()
    const env = serverEnv(dataDir, port)
    const base = `http://127.0.0.1:${port}`
    const first = await startListening(env)
    await putSite(base, 'shop', { origins: [ORIGIN], targets: [{ type: 'webhook', id: 'crm', url: 'https://crm.example/hook', secret: WEBHOOK_SECRET }] })
    expect(await first.kill('SIGKILL')).toBe('SIGKILL')

    const restartedAt = Date.now()
    const second = startServerProcess(env)
    await second.waitFor(/listening on http:\/\//, 20_000)
    // The lock is a transaction the OS dropped with the process: nothing stale to wait out or remove.
    const tookMs = Date.now() - restartedAt
    expect(second.stderr()).not.toContain('Another Leadcatcher server')
    expect(tookMs).toBeLessThan(10_000)
    expect((await fetch(`${base}/healthz`)).status).toBe(200)
    const site = await adminFetch(base, 'GET', '/v1/admin/sites/shop')
    expect(site.status).toBe(200)
    expect(await second.kill('SIGTERM')).toBe(0)
  })
})
