// The local trial of `npm start`: the CRM inbox's secret is kept across runs and shown, a site the
// owner creates can deliver to the inbox, and the start output says things once.
import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Webhook } from 'standardwebhooks'
import { afterAll, describe, expect, it } from 'vitest'
// @ts-expect-error -- plain ES modules of the scripts, without type declarations
import { ensureDevVars, parseDotenv } from '../../scripts/dev-vars.mjs'
// @ts-expect-error -- as above
import { createWranglerOutputFilter, inboxHowTo, summarizeMigrations } from '../../scripts/start-output.mjs'
import { freePort } from '../free-port.ts'
import { ROOT } from './server-process'

const dirs: string[] = []
const children: ChildProcess[] = []
afterAll(() => {
  for (const child of children) child.kill('SIGTERM')
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
})

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'lc-trial-'))
  dirs.push(dir)
  return dir
}

const quiet = { runtime: 'node', log: () => {}, warn: () => {} }

describe('.dev.vars', () => {
  it('gets a CRM inbox secret once and keeps it across starts, as an existing file gets one added', () => {
    const path = join(tempDir(), '.dev.vars')
    const first = ensureDevVars(path, quiet) as Record<string, string>
    expect(first.CRM_INBOX_SECRET).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/)
    expect(() => new Webhook(first.CRM_INBOX_SECRET!)).not.toThrow()
    const second = ensureDevVars(path, quiet) as Record<string, string>
    expect(second.CRM_INBOX_SECRET).toBe(first.CRM_INBOX_SECRET)
    expect(second.ADMIN_TOKEN).toBe(first.ADMIN_TOKEN)

    const older = join(tempDir(), '.dev.vars')
    writeFileSync(older, 'ADMIN_TOKEN=kept-token\nALLOW_PRIVATE_TARGETS=true\n')
    const added = ensureDevVars(older, quiet) as Record<string, string>
    expect(added.ADMIN_TOKEN).toBe('kept-token')
    expect((parseDotenv(readFileSync(older, 'utf8')) as Record<string, string>).CRM_INBOX_SECRET).toBe(added.CRM_INBOX_SECRET)
  })
})

describe('the start banner', () => {
  it('shows the inbox target with its URL and secret for a new site', () => {
    const lines = (
      inboxHowTo({ inboxOrigin: 'http://127.0.0.1:8790', workerOrigin: 'http://127.0.0.1:8787', secret: 'whsec_abc', secretSource: 'CRM_INBOX_SECRET in .dev.vars' }) as string[]
    ).join('\n')
    expect(lines).toContain('{"type":"webhook","id":"crm-inbox","url":"http://127.0.0.1:8790/hooks/YOUR-SITE","secret":"whsec_abc"}')
    expect(lines).toContain('http://127.0.0.1:8787/v1/admin/sites/YOUR-SITE')
    expect(lines).toContain('CRM_INBOX_SECRET in .dev.vars')
  })

  it('summarises the migration tables wrangler redraws in one line', () => {
    const table = (upTo: number) =>
      ['Migrations to be applied:', ...['0001_initial.sql', '0002_spam.sql', '0004_routing.sql'].slice(0, upTo).map((n) => `│ ${n} │ ✅ │`)].join('\n')
    const output = [1, 2, 3].map(table).join('\n')
    expect(summarizeMigrations(output)).toBe('D1 migrations applied: 0001_initial.sql, 0002_spam.sql, 0004_routing.sql')
    expect(summarizeMigrations('✅ No migrations to apply!')).toBe('D1 migrations are up to date.')
  })

  it('prints wrangler’s bindings table once, and a reload as one line', () => {
    const table = ['Your Worker has access to the following bindings:', 'Binding   Resource   Mode', 'env.DB (leadcatcher)   D1 Database   local', '']
    const output = [
      ...table,
      '❓ Your types might be out of date. Re-run `wrangler types` to ensure your types are correct.',
      '[wrangler:info] Ready on http://127.0.0.1:8787',
      '⎔ Reloading local server...',
      '⎔ Connection status updated',
      ...table,
      '⎔ Local server updated and ready',
      '[wrangler:info] GET /healthz 200 OK (3ms)',
    ]
    const filter = createWranglerOutputFilter() as (line: string) => string | null
    const kept = output.map(filter).filter((line): line is string => line !== null)
    expect(kept).toEqual([...table, '[wrangler:info] Ready on http://127.0.0.1:8787', 'Reloading after a file change …', '[wrangler:info] GET /healthz 200 OK (3ms)'])
  })
})

async function startInbox(secret: string): Promise<string> {
  const port = await freePort()
  const child = spawn(process.execPath, [join(ROOT, 'scripts', 'crm-inbox.mjs')], {
    env: { ...process.env, LEADCATCHER_INBOX_PORT: String(port), LEADCATCHER_WEBHOOK_SECRET: secret, LEADCATCHER_WORKER_URL: 'http://127.0.0.1:9' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  children.push(child)
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('listening on') && resolve())
    child.once('exit', (code) => reject(new Error(`crm-inbox exited with ${code}`)))
  })
  return `http://127.0.0.1:${port}`
}

describe('the CRM inbox', () => {
  it('shows its hook URL and secret, and verifies a webhook sent to a site name it never heard of', async () => {
    const secret = `whsec_${Buffer.from('a'.repeat(32)).toString('base64')}`
    const inbox = await startInbox(secret)
    const setup = (await (await fetch(`${inbox}/api/setup`)).json()) as { hookUrl: string; secret: string; target: { url: string; secret: string } }
    expect(setup.hookUrl).toBe(`${inbox}/hooks/<your-site>`)
    expect(setup.secret).toBe(secret)
    expect(setup.target).toMatchObject({ type: 'webhook', secret })

    const body = JSON.stringify({ type: 'lead.created', data: { id: 'lead-1', source: 'callback' } })
    const id = 'msg_trial'
    const timestamp = new Date()
    const signature = new Webhook(secret).sign(id, timestamp, body)
    const sent = await fetch(`${inbox}/hooks/owners-new-site`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'webhook-id': id, 'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1000)), 'webhook-signature': signature },
      body,
    })
    expect(sent.status).toBe(204)
    const { events } = (await (await fetch(`${inbox}/api/events`)).json()) as { events: { hook: string; verified: boolean }[] }
    expect(events).toEqual([expect.objectContaining({ hook: 'owners-new-site', verified: true })])
  })
})
