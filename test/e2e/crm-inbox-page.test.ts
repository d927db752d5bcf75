// The CRM inbox page of `npm start` in Chromium, against a stand-in worker: it shows the webhook URL
// and secret a new site needs, and a skipped auto-reply as skipped (grey), not delivered (green).
import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { createServer } from 'node:http'
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ROOT, launchChromium } from './harness'

const SECRET = `whsec_${Buffer.from('trial-inbox-secret-32-bytes-long').toString('base64')}`
let worker: Server
let inbox: ChildProcess
let inboxUrl = ''
let browser: Browser

/** The admin leads list as the worker answers it: one lead, its webhook delivered, its email auto-reply skipped. */
function fakeWorker(): Promise<string> {
  worker = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' })
    res.end(
      JSON.stringify({
        leads: [
          {
            id: 'lead-1',
            createdAt: new Date().toISOString(),
            source: 'callback',
            status: 'new',
            contact: { phone: '+79123456789' },
            deliveries: [
              { targetId: 'crm-inbox', status: 'delivered', attempts: 1, lastError: null },
              { targetId: 'email-reply', status: 'skipped', attempts: 1, lastError: 'the visitor left no address for this auto-reply' },
            ],
          },
        ],
      }),
    )
  })
  return new Promise((resolve) => worker.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(worker.address() as AddressInfo).port}`)))
}

beforeAll(async () => {
  const workerUrl = await fakeWorker()
  const port = 18_000 + Math.floor(Math.random() * 2000)
  inbox = spawn(process.execPath, [join(ROOT, 'scripts', 'crm-inbox.mjs')], {
    env: { ...process.env, LEADCATCHER_INBOX_PORT: String(port), LEADCATCHER_WEBHOOK_SECRET: SECRET, LEADCATCHER_ADMIN_TOKEN: 'token', LEADCATCHER_WORKER_URL: workerUrl },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  await new Promise<void>((resolve, reject) => {
    inbox.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('listening on') && resolve())
    inbox.once('exit', (code) => reject(new Error(`crm-inbox exited with ${code}`)))
  })
  inboxUrl = `http://127.0.0.1:${port}/`
  browser = await launchChromium()
})

afterAll(async () => {
  await browser?.close()
  inbox?.kill('SIGTERM')
  worker?.close()
})

describe('the CRM inbox page', () => {
  it('shows the hook URL and the secret for a new site, and a skipped auto-reply as skipped', async () => {
    const page = await browser.newPage()
    const errors: string[] = []
    page.on('pageerror', (error) => errors.push(error.message))
    await page.goto(inboxUrl)
    await page.waitForSelector('#setup dl')
    const setup = (await page.textContent('#setup')) ?? ''
    expect(setup).toContain(`${inboxUrl}hooks/<your-site>`)
    expect(setup).toContain(SECRET)

    const skipped = page.locator('.delivery.skipped')
    await skipped.waitFor()
    expect(await skipped.textContent()).toBe('email-reply: skipped, not sent — the visitor left no address for this auto-reply')
    const colour = (selector: string) => page.$eval(selector, (node) => getComputedStyle(node).color)
    expect(await colour('.delivery.skipped')).not.toBe(await colour('.delivery.delivered'))
    expect(await page.locator('.delivery.delivered').textContent()).toBe('crm-inbox: delivered, 1 attempt(s)')
    expect(errors).toEqual([])
    await page.close()
  })
})
