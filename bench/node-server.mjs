// The self-hosted server (dist/server/server.mjs, built by `npm run build`) started for a bench: its
// own process, a fresh data folder, free port, a random admin token; ready when /healthz is 200.
// Resident memory is read from /proc/<pid>/status, so nothing in the server changes for it.
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ROOT, delay, freePort } from '../test/e2e/harness.ts'

/** BENCH_NODE_SERVER: another build of it (a copy outside dist/, which a build elsewhere may empty mid-run). */
const SERVER = process.env.BENCH_NODE_SERVER ?? join(ROOT, 'dist', 'server', 'server.mjs')

/**
 * @param {{ nodeArgs?: string[], env?: Record<string, string>, dataRoot?: string, readyTimeoutMs?: number, server?: string }} [options]
 *   `dataRoot`: where the data folder is made (the system's temporary folder unless given);
 *   `server`: the server.mjs to start (BENCH_NODE_SERVER, else dist/server/server.mjs)
 * @example
 * const server = await startNodeServer()
 * await putSite(server.url, server.token, 'bench', OPEN_SITE)
 * console.log(server.memory().rssBytes)
 * await server.stop()
 */
export async function startNodeServer({ nodeArgs = [], env = {}, dataRoot = tmpdir(), readyTimeoutMs = 30_000, server = SERVER } = {}) {
  const dataDir = mkdtempSync(join(dataRoot, 'lc-bench-node-'))
  const port = await freePort()
  const token = `bench-${crypto.randomUUID()}`
  let output = ''
  const child = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', ...nodeArgs, server], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      DATA_DIR: dataDir,
      ADMIN_TOKEN: token,
      PORT: String(port),
      HOST: '127.0.0.1',
      // The bench's receiver is on loopback.
      ALLOW_PRIVATE_TARGETS: 'true',
      ...env,
    },
  })
  const keep = (chunk) => (output = (output + chunk).slice(-20_000))
  child.stdout.on('data', keep)
  child.stderr.on('data', keep)
  const exited = new Promise((resolve) => child.once('exit', resolve))
  const url = `http://127.0.0.1:${port}`

  async function stop() {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
    const done = await Promise.race([exited.then(() => true), delay(15_000).then(() => false)])
    if (!done) child.kill('SIGKILL')
    await exited
    rmSync(dataDir, { recursive: true, force: true })
  }

  const deadline = Date.now() + readyTimeoutMs
  for (;;) {
    if (child.exitCode !== null) {
      rmSync(dataDir, { recursive: true, force: true })
      throw new Error(`the Node server exited (${child.exitCode}) before it was ready:\n${output}`)
    }
    try {
      if ((await fetch(`${url}/healthz`)).status === 200) break
    } catch {}
    if (Date.now() > deadline) {
      await stop()
      throw new Error(`the Node server was not ready within ${readyTimeoutMs / 1000} s:\n${output}`)
    }
    await delay(100)
  }

  return {
    url,
    token,
    pid: child.pid,
    dataDir,
    output: () => output,
    cpuMs: () => readProcCpuMs(child.pid),
    /** VmRSS (now) and VmHWM (the peak so far) of the server process, in bytes. */
    memory: () => readProcMemory(child.pid),
    /** The SQLite database with its -wal and -shm files, in bytes. */
    databaseBytes: () => {
      const base = join(dataDir, 'leadcatcher.db')
      const size = (path) => {
        try {
          return statSync(path).size
        } catch {
          return 0
        }
      }
      return { db: size(base), wal: size(`${base}-wal`), shm: size(`${base}-shm`), total: size(base) + size(`${base}-wal`) + size(`${base}-shm`) }
    },
    stop,
  }
}

/** CPU time the process has used so far (from /proc/<pid>/stat), in milliseconds: user, system, both. */
export function readProcCpuMs(pid) {
  // Fields after the command name, which is in parentheses and may hold spaces: utime is the 14th
  // field of the line, stime the 15th, both in clock ticks (USER_HZ, 100 on Linux).
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8')
    .replace(/^.*\) /s, '')
    .split(' ')
  const user = (Number(fields[11]) * 1000) / 100
  const system = (Number(fields[12]) * 1000) / 100
  return { user, system, total: user + system }
}

/** @param {number} pid */
export function readProcMemory(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const kb = (key) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024
  return { rssBytes: kb('VmRSS'), peakRssBytes: kb('VmHWM') }
}

/** The bare Hono app on @hono/node-server (bench/bare-node-server.mjs) in a process of its own. */
export async function startBareNodeServer() {
  const port = await freePort()
  const child = spawn(process.execPath, [join(ROOT, 'bench', 'bare-node-server.mjs')], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { PATH: process.env.PATH ?? '', PORT: String(port), HOST: '127.0.0.1' },
  })
  const exited = new Promise((resolve) => child.once('exit', resolve))
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the bare Node server did not start within 10 s')), 10_000)
    child.stdout.on('data', (chunk) => {
      if (!String(chunk).includes('listening')) return
      clearTimeout(timer)
      resolve()
    })
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`the bare Node server exited (${code})`))
    })
  })
  return {
    url: `http://127.0.0.1:${port}`,
    pid: child.pid,
    cpuMs: () => readProcCpuMs(child.pid),
    memory: () => readProcMemory(child.pid),
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
      const done = await Promise.race([exited.then(() => true), delay(5_000).then(() => false)])
      if (!done) child.kill('SIGKILL')
      await exited
    },
  }
}
