// Only the worker, for e2e tests that need no demo site, inbox or browser: `wrangler dev` on a free
// loopback port with fresh local D1 state and an admin token of the test's choosing.
import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { ROOT, delay, freePort, tail } from './harness'

export interface DevWorker {
  url: string
  output(): string
  /** Stops wrangler and workerd and removes the state. Safe to call twice. */
  stop(): Promise<void>
}

export interface StartDevWorkerOptions {
  /** Entry module instead of wrangler.toml's `main` (a test wrapper around the real worker). */
  script?: string
  /** Extra `--var NAME:VALUE` bindings; they win over `.dev.vars`. */
  vars?: Record<string, string>
  timeoutMs?: number
}

const WRANGLER = join(ROOT, 'node_modules', 'wrangler', 'bin', 'wrangler.js')

/**
 * @example
 * const worker = await startDevWorker({ vars: { ADMIN_TOKEN: token } })
 * await fetch(`${worker.url}/v1/admin/sites`, { headers: { authorization: `Bearer ${token}` } })
 * await worker.stop()
 */
export async function startDevWorker({ script, vars = {}, timeoutMs = 90_000 }: StartDevWorkerOptions = {}): Promise<DevWorker> {
  const stateDir = mkdtempSync(join(tmpdir(), 'leadcatcher-dev-worker-'))
  const env = {
    ...process.env,
    PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ''}`,
    CI: 'true',
    WRANGLER_SEND_METRICS: 'false',
    CLOUDFLARE_CF_FETCH_ENABLED: 'false',
  }
  const persist = ['--persist-to', stateDir]
  const migrations = spawnSync(process.execPath, [WRANGLER, 'd1', 'migrations', 'apply', 'DB', '--local', ...persist], {
    cwd: ROOT,
    env,
    encoding: 'utf8',
  })
  if (migrations.status !== 0) {
    rmSync(stateDir, { recursive: true, force: true })
    throw new Error(`D1 migrations failed:\n${tail(migrations.stdout + migrations.stderr)}`)
  }

  const port = await freePort()
  const url = `http://127.0.0.1:${port}`
  const args = [WRANGLER, 'dev', ...(script ? [script] : []), '--config', join(ROOT, 'wrangler.toml')]
  args.push('--ip', '127.0.0.1', '--port', String(port), '--local', ...persist, '--show-interactive-dev-session=false')
  for (const [name, value] of Object.entries(vars)) args.push('--var', `${name}:${value}`)
  // Its own process group, so stop() reaches workerd too and nothing else of ours.
  const child = spawn(process.execPath, args, { cwd: ROOT, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  const append = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-100_000)
  }
  child.stdout.on('data', append)
  child.stderr.on('data', append)
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))

  let stopped = false
  const stop = async () => {
    if (stopped) return
    stopped = true
    const signal = (name: NodeJS.Signals) => {
      try {
        if (child.pid) process.kill(-child.pid, name)
      } catch {
        // ESRCH: already gone.
      }
    }
    if (child.exitCode === null && child.signalCode === null) signal('SIGTERM')
    const finished = await Promise.race([exited.then(() => true), delay(10_000).then(() => false)])
    // workerd may outlive wrangler in the group.
    signal('SIGKILL')
    if (!finished) await exited
    rmSync(stateDir, { recursive: true, force: true })
  }

  const deadline = Date.now() + timeoutMs
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      await stop()
      throw new Error(`wrangler dev exited before it answered:\n${tail(output)}`)
    }
    try {
      // Any answer at all means the worker is serving.
      await fetch(`${url}/v1/admin/sites`, { signal: AbortSignal.timeout(2000) })
      break
    } catch {
      if (Date.now() > deadline) {
        await stop()
        throw new Error(`wrangler dev did not answer within ${timeoutMs / 1000} s:\n${tail(output)}`)
      }
      await delay(200)
    }
  }
  return { url, output: () => output, stop }
}
