// Real server processes for the Node runtime's tests: the built dist/server/server.mjs run with
// process.execPath, its output collected, its exit awaited, every wait bounded in time.
import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { freePort } from '../free-port.ts'

export const ROOT = join(import.meta.dirname, '..', '..')
export const BUILT_SERVER = join(ROOT, 'dist', 'server', 'server.mjs')
export const ADMIN_TOKEN = 'node-test-admin-token-0123456789'
export const ORIGIN = 'https://shop.example'
/** The Standard Webhooks test key (24 bytes), as in test/worker/helpers.ts. */
export const WEBHOOK_SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'

let snapshot: string | null = null

/** Temp folders of this test file, removed by {@link removeTemporary} in its afterAll. */
const temporary: string[] = []

/** Removes this file's temp folders (the build snapshot included); call after the servers stopped. */
export function removeTemporary(): void {
  for (const dir of temporary.splice(0)) rmSync(dir, { recursive: true, force: true })
  snapshot = null
}

/**
 * A copy of the build (server.mjs, the widget, the migrations) in a folder of its own, laid out as
 * the repository is, so the server finds its assets the same way. `npm run build` empties
 * dist/server and dist/widget while it runs, and other suites build while these run: a restart in
 * the middle of a test must not find a half-written dist/.
 */
export function builtServer(): string {
  if (snapshot) return snapshot
  if (!existsSync(BUILT_SERVER) || !existsSync(join(ROOT, 'dist', 'widget', 'widget.js'))) {
    throw new Error(`${BUILT_SERVER} (or dist/widget) is missing: run "npm run build" before these tests (npm test does).`)
  }
  const dir = tempDir('leadcatcher-build-')
  mkdirSync(join(dir, 'dist', 'server'), { recursive: true })
  cpSync(BUILT_SERVER, join(dir, 'dist', 'server', 'server.mjs'))
  cpSync(join(ROOT, 'dist', 'widget'), join(dir, 'dist', 'widget'), { recursive: true })
  cpSync(join(ROOT, 'worker', 'migrations'), join(dir, 'worker', 'migrations'), { recursive: true })
  if (statSync(join(dir, 'dist', 'server', 'server.mjs')).size === 0) throw new Error(`${BUILT_SERVER} is empty: run "npm run build".`)
  snapshot = join(dir, 'dist', 'server', 'server.mjs')
  return snapshot
}

export { freePort }

export function tempDir(prefix = 'leadcatcher-node-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  temporary.push(dir)
  return dir
}

export interface ServerProcess {
  child: ChildProcess
  stdout(): string
  stderr(): string
  /** The exit code (or the signal's name), once the process has exited. */
  exited: Promise<number | string>
  /** Resolves once stdout or stderr matches; rejects on exit or after `timeoutMs`. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<void>
  /** Sends a signal and waits (bounded) for the exit. */
  kill(signal?: NodeJS.Signals, timeoutMs?: number): Promise<number | string>
}

/** Every process started here, so a failing test cannot leave one running. */
const started = new Set<ChildProcess>()

/**
 * Starts `node dist/server/server.mjs` with exactly `env` (plus PATH), never the test's own
 * environment: a stray ADMIN_TOKEN or PORT there must not change what a test checks.
 */
export function startServerProcess(env: Record<string, string>, { command }: { command?: string[] } = {}): ServerProcess {
  const argv = [...(command ?? []), process.execPath, '--disable-warning=ExperimentalWarning', builtServer()]
  const child = spawn(argv[0]!, argv.slice(1), {
    cwd: tmpdir(),
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  started.add(child)
  let out = ''
  let err = ''
  const listeners = new Set<() => void>()
  child.stdout!.on('data', (chunk: Buffer) => {
    out += chunk.toString()
    for (const l of listeners) l()
  })
  child.stderr!.on('data', (chunk: Buffer) => {
    err += chunk.toString()
    for (const l of listeners) l()
  })
  const exited = new Promise<number | string>((resolve) => {
    child.once('exit', (code, signal) => {
      started.delete(child)
      // Let the last output chunks arrive before anyone reads them.
      setImmediate(() => resolve(code ?? signal ?? 'unknown'))
    })
  })
  const handle: ServerProcess = {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    waitFor(pattern, timeoutMs = 15_000) {
      return new Promise<void>((resolve, reject) => {
        const check = () => {
          if (pattern.test(out) || pattern.test(err)) {
            done()
            resolve()
          }
        }
        const timer = setTimeout(() => {
          done()
          reject(new Error(`no ${pattern} within ${timeoutMs} ms\nstdout:\n${out}\nstderr:\n${err}`))
        }, timeoutMs)
        const done = () => {
          clearTimeout(timer)
          listeners.delete(check)
        }
        listeners.add(check)
        void exited.then((code) => {
          if (!listeners.has(check)) return
          check()
          if (!listeners.has(check)) return
          done()
          reject(new Error(`the server exited (${code}) before ${pattern}\nstdout:\n${out}\nstderr:\n${err}`))
        })
        check()
      })
    },
    async kill(signal = 'SIGKILL', timeoutMs = 15_000) {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal)
      const timer = new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`pid ${child.pid} still running ${timeoutMs} ms after ${signal}`)), timeoutMs).unref())
      return Promise.race([exited, timer])
    },
  }
  return handle
}

/** Runs a server that is expected to refuse to start; bounded, then killed. */
export async function runToExit(env: Record<string, string>, timeoutMs = 15_000, options: { command?: string[] } = {}) {
  const server = startServerProcess(env, options)
  const timer = setTimeout(() => server.child.kill('SIGKILL'), timeoutMs)
  const code = await server.exited
  clearTimeout(timer)
  return { code, stdout: server.stdout(), stderr: server.stderr() }
}

/** Kills (SIGKILL) what the tests started and did not stop; for afterAll/afterEach. */
export async function killAll(): Promise<void> {
  await Promise.all(
    [...started].map(
      (child) =>
        new Promise<void>((resolve) => {
          child.once('exit', () => resolve())
          child.kill('SIGKILL')
          setTimeout(resolve, 5000).unref()
        }),
    ),
  )
}

/** The environment of a server on loopback that can start: a data folder, a token, a port. */
export function serverEnv(dataDir: string, port: number, extra: Record<string, string> = {}): Record<string, string> {
  return { DATA_DIR: dataDir, ADMIN_TOKEN, PORT: String(port), HOST: '127.0.0.1', ...extra }
}

/** Starts a server and waits for its listening line. */
export async function startListening(env: Record<string, string>, timeoutMs = 20_000): Promise<ServerProcess> {
  const server = startServerProcess(env)
  await server.waitFor(/listening on http:\/\//, timeoutMs)
  return server
}

/** A Russian mobile in the `8 9xx …` habit from a number, so a run's leads never repeat a phone. */
export function mobileFrom(n: number): string {
  const digits = String(n % 1e7).padStart(7, '0')
  return `8 912 ${digits.slice(0, 3)}-${digits.slice(3, 5)}-${digits.slice(5)}`
}

export function leadBody(site: string, id: string, phone: string) {
  return {
    id,
    site,
    source: 'callback',
    contact: { name: 'Анна', phone },
    consent: { given: true, text: 'Я согласен на обработку персональных данных.' },
    context: { page: 'https://shop.example/flats?utm_source=yandex', utm: { source: 'yandex', campaign: 'spring' }, locale: 'ru-RU', timezone: 'Europe/Moscow' },
    elapsedMs: 5400,
  }
}

export async function adminFetch(base: string, method: string, path: string, body?: unknown): Promise<Response> {
  return fetch(`${base}${path}`, {
    method,
    headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, ...(body !== undefined && { 'Content-Type': 'application/json' }) },
    ...(body !== undefined && { body: JSON.stringify(body) }),
    signal: AbortSignal.timeout(10_000),
  })
}

export async function putSite(base: string, site: string, config: unknown): Promise<void> {
  const response = await adminFetch(base, 'PUT', `/v1/admin/sites/${site}`, config)
  if (response.status !== 201 && response.status !== 200) throw new Error(`PUT site failed: ${response.status} ${await response.text()}`)
}

/** Polls until `predicate` holds; fails after `timeoutMs` (every wait in these tests is bounded). */
export async function until(predicate: () => boolean | Promise<boolean>, timeoutMs: number, what: string, stepMs = 20): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, stepMs))
  }
}
