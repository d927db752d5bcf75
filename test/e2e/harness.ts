// Shared helpers for end-to-end tests: the whole local stack (scripts/start.mjs) on free ports with its own state, on either runtime, and Debian's Chromium driven by playwright-core.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium, type Browser } from 'playwright-core'
import { freePort } from '../free-port.ts'

export { freePort }

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..')

/** What answers the widget: the Node server (`npm run serve`) or `wrangler dev`. */
export type Runtime = 'node' | 'cloudflare'

/** Every runtime, for `describe.each(RUNTIMES)`. */
export const RUNTIMES: readonly Runtime[] = ['node', 'cloudflare']

/** What start.mjs prints on its `LEADCATCHER_READY {json}` line. */
export interface ReadyInfo {
  runtime: Runtime
  worker: string
  demo: string
  inbox: string
  site: string
  reply: string
  /** The demo site's reply to its exit offer (`reply.exitIntent`). */
  exitReply: string
  stateDir: string
  pids: { worker: number; inbox: number }
}

export interface Stack extends ReadyInfo {
  /**
   * The operator token the server runs with: start.mjs gives it ADMIN_TOKEN from `.dev.vars`
   * (creating it on a first run) and keeps it off its ready line, so it is read from there.
   */
  adminToken: string
  /** Everything the stack printed so far (for failure messages). */
  output(): string
  /** Stops every process of the stack and removes its temporary state. Safe to call twice. */
  stop(): Promise<void>
}

export interface StartStackOptions {
  /** Passed to start.mjs as LEADCATCHER_RUNTIME; `node` (its default too) unless a test needs wrangler. */
  runtime?: Runtime
  /** Milliseconds to wait for the ready line; the first start builds the widget and bundles the worker. */
  timeoutMs?: number
  env?: Record<string, string>
}

const READY_PREFIX = 'LEADCATCHER_READY '
// Kept bounded: wrangler can be chatty over a long test run.
const MAX_OUTPUT_CHARS = 200_000

/**
 * Runs `node scripts/start.mjs` on free ports with a temporary state directory (SQLite for node,
 * D1/Queues for cloudflare) and waits for its ready line.
 * @example
 * const stack = await startStack({ runtime: 'cloudflare' })
 * await page.goto(stack.demo)
 * await stack.stop()
 */
export async function startStack({ timeoutMs = 150_000, ...options }: StartStackOptions = {}): Promise<Stack> {
  // Another test's server can still take one of the three ports before start.mjs binds it; such a
  // start exits with EADDRINUSE (or start.mjs's own "is in use") and is tried again on other
  // ports, within the one deadline, so no attempt outlives the caller's hook timeout.
  const deadline = Date.now() + timeoutMs
  for (let attempt = 1; ; attempt++) {
    try {
      return await startStackOnce({ ...options, timeoutMs: deadline - Date.now() })
    } catch (error) {
      if (attempt === 3 || !(error instanceof PortTaken) || deadline - Date.now() < 10_000) throw error
    }
  }
}

/** start.mjs exited because a port it was given was taken by the time it bound it. */
class PortTaken extends Error {}

async function startStackOnce({ runtime = 'node', timeoutMs = 150_000, env = {} }: StartStackOptions): Promise<Stack> {
  const stateDir = mkdtempSync(join(tmpdir(), 'leadcatcher-e2e-'))
  const [worker, demo, inbox] = await distinctFreePorts(3)
  let output = ''
  const child = spawn(process.execPath, [join(ROOT, 'scripts', 'start.mjs')], {
    cwd: ROOT,
    // Its own process group, so stop() can signal start.mjs and nothing else of ours.
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ''}`,
      CI: 'true',
      WRANGLER_SEND_METRICS: 'false',
      CLOUDFLARE_CF_FETCH_ENABLED: 'false',
      LEADCATCHER_WORKER_PORT: String(worker),
      LEADCATCHER_DEMO_PORT: String(demo),
      LEADCATCHER_INBOX_PORT: String(inbox),
      LEADCATCHER_STATE_DIR: stateDir,
      // Built once for the run by build-once.ts (the e2e project's global setup).
      LEADCATCHER_SKIP_BUILD: '1',
      ...env,
      LEADCATCHER_RUNTIME: runtime,
    },
  })
  const append = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-MAX_OUTPUT_CHARS)
  }
  child.stdout?.on('data', append)
  child.stderr?.on('data', append)
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))

  let ready: ReadyInfo | null = null
  const stop = async () => {
    await stopStartScript(child, exited, ready)
    rmSync(stateDir, { recursive: true, force: true })
  }

  try {
    ready = await waitForReady(child, () => output, timeoutMs)
    if (ready.runtime !== runtime) throw new Error(`Asked for the ${runtime} runtime, start.mjs started ${ready.runtime}`)
  } catch (error) {
    await stop()
    throw error
  }
  return { ...ready, adminToken: devVar('ADMIN_TOKEN'), output: () => output, stop }
}

/** A value of the repository's `.dev.vars` (dotenv, as start.mjs writes it). */
export function devVar(name: string): string {
  const text = readFileSync(join(ROOT, '.dev.vars'), 'utf8')
  for (const line of text.split(/\r?\n/)) {
    const match = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line)
    if (match?.[1] === name) return match[2]!.replace(/^(['"])(.*)\1$/, '$2')
  }
  throw new Error(`${name} is not in .dev.vars`)
}

/** An admin API request with the operator's bearer token; the JSON answer (null when none). */
export async function adminRequest<T = unknown>(
  stack: Pick<Stack, 'worker' | 'adminToken'>,
  method: string,
  path: string,
  body?: unknown,
  { contentType = 'application/json' } = {},
): Promise<{ status: number; body: T }> {
  const response = await fetch(new URL(path, stack.worker), {
    method,
    headers: { authorization: `Bearer ${stack.adminToken}`, ...(body !== undefined && { 'content-type': contentType }) },
    ...(body !== undefined && { body: JSON.stringify(body) }),
    signal: AbortSignal.timeout(10_000),
  })
  const text = await response.text()
  return { status: response.status, body: (text === '' ? null : JSON.parse(text)) as T }
}

/** A JSON Merge Patch of the stack's site config, as the console sends one (each one is a version). */
export function patchSite<T = unknown>(stack: Pick<Stack, 'worker' | 'adminToken' | 'site'>, patch: unknown): Promise<{ status: number; body: T }> {
  return adminRequest<T>(stack, 'PATCH', `/v1/admin/sites/${stack.site}`, patch, { contentType: 'application/merge-patch+json' })
}

async function distinctFreePorts(count: number): Promise<number[]> {
  const ports = new Set<number>()
  while (ports.size < count) ports.add(await freePort())
  return [...ports]
}

function waitForReady(child: ChildProcess, output: () => string, timeoutMs: number): Promise<ReadyInfo> {
  return new Promise((resolve, reject) => {
    let buffered = ''
    const onData = (chunk: Buffer) => {
      buffered += chunk.toString('utf8')
      const lines = buffered.split('\n')
      buffered = lines.pop() ?? ''
      for (const line of lines) {
        if (!line.startsWith(READY_PREFIX)) continue
        cleanup()
        try {
          resolve(JSON.parse(line.slice(READY_PREFIX.length)) as ReadyInfo)
        } catch (error) {
          reject(new Error(`Unreadable ready line: ${line}\n${String(error)}`))
        }
        return
      }
    }
    const onExit = (code: number | null, signal: string | null) => {
      cleanup()
      const message = `scripts/start.mjs exited (${signal ?? code}) before it was ready. Output:\n${tail(output())}`
      // start.mjs's own check, or a child's refusal: wrangler's and the inbox's EADDRINUSE, the Node
      // server's "Port N on H is already in use" (worker/src/node/server.ts).
      const portTaken =
        /^\[leadcatcher\] (?:listen EADDRINUSE|Port \d+ on \S+ \(\w+\) is in use)|^\[(?:worker|crm-inbox)\].*(?:EADDRINUSE|address already in use|Port \d+ on \S+ is already in use)/im.test(
          output(),
        )
      reject(portTaken ? new PortTaken(message) : new Error(message))
    }
    const timer = setTimeout(() => {
      cleanup()
      reject(new Error(`scripts/start.mjs was not ready within ${timeoutMs / 1000} s. Output:\n${tail(output())}`))
    }, timeoutMs)
    const cleanup = () => {
      clearTimeout(timer)
      child.stdout?.off('data', onData)
      child.off('exit', onExit)
    }
    child.stdout?.on('data', onData)
    child.once('exit', onExit)
  })
}

/**
 * SIGTERM to start.mjs's group lets it stop its children in order; if it does not finish in time,
 * SIGKILL its group and the groups of the children it reported (they lead their own groups).
 */
async function stopStartScript(child: ChildProcess, exited: Promise<void>, ready: ReadyInfo | null) {
  const pgid = child.pid
  if (pgid === undefined) return
  const stillRunning = child.exitCode === null && child.signalCode === null
  if (stillRunning) signalGroup(pgid, 'SIGTERM')
  const finished = await Promise.race([exited.then(() => true), delay(15_000).then(() => false)])
  if (!finished) signalGroup(pgid, 'SIGKILL')
  for (const pid of Object.values(ready?.pids ?? {})) signalGroup(pid, 'SIGKILL')
}

function signalGroup(pgid: number, signal: NodeJS.Signals) {
  try {
    process.kill(-pgid, signal)
  } catch {
    // ESRCH: already gone.
  }
}

export function tail(text: string, chars = 8000): string {
  return text.length > chars ? `…${text.slice(-chars)}` : text
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

/** The browser to drive: scripts/ensure-chromium.mjs (CHROMIUM_PATH, /usr/bin/chromium, or apt-get). */
export function chromiumPath(): string {
  return execFileSync(process.execPath, [join(ROOT, 'scripts', 'ensure-chromium.mjs')], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  }).trim()
}

// This machine has no outside network: without the background-networking flags Chromium keeps
// trying Google's hosts and gets connections refused.
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-quic',
  '--disable-sync',
  '--no-first-run',
]

/** Headless Chromium with a fresh profile (playwright's launch() uses a new temporary user-data-dir). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath(), headless: true, args: CHROMIUM_ARGS })
}

/** Calls `read` until `done` accepts its value, or throws after `timeoutMs` with the last value seen. */
export async function pollUntil<T>(read: () => Promise<T>, done: (value: T) => boolean, { timeoutMs = 30_000, intervalMs = 250, what = 'condition' } = {}): Promise<T> {
  const deadline = Date.now() + timeoutMs
  let last: T | undefined
  let lastError: unknown
  while (Date.now() < deadline) {
    try {
      last = await read()
      if (done(last)) return last
    } catch (error) {
      lastError = error
    }
    await delay(intervalMs)
  }
  const detail = last !== undefined ? JSON.stringify(last, null, 2) : String(lastError)
  throw new Error(`Timed out after ${timeoutMs / 1000} s waiting for ${what}. Last value:\n${tail(detail, 4000)}`)
}

export async function getJson<T>(url: string): Promise<T> {
  const response = await fetch(url, { signal: AbortSignal.timeout(5000) })
  if (!response.ok) throw new Error(`GET ${url} answered ${response.status}: ${await response.text()}`)
  return (await response.json()) as T
}

/** One entry of the CRM inbox's `GET /api/events` (scripts/crm-inbox.mjs). */
export interface InboxEvent {
  seq: number
  hook: string
  receivedAt: string
  deliveries: number
  verified: boolean
  error: string | null
  webhookId: string | null
  type: string | null
  payload: { type?: string; timestamp?: string; data?: LeadEventData } | null
}

export interface LeadEventData {
  id: string
  site: string
  source: string
  contact: { name?: string; phone?: string; email?: string }
  consent?: { given: boolean; text: string }
  context?: { page?: string; referrer?: string; utm?: Record<string, string>; locale?: string; timezone?: string }
  createdAt: string
  duplicate: boolean
}

export async function inboxEvents(stack: Pick<Stack, 'inbox'>): Promise<InboxEvent[]> {
  return (await getJson<{ events: InboxEvent[] }>(new URL('api/events', stack.inbox).href)).events
}
