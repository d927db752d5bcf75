// End to end on the Node runtime: from an empty deployment (a server with no sites, and the local
// CRM inbox) to a signed test lead in that inbox, through the console's new-site wizard in
// Chromium at a phone's size (360x640). Every click, fill and key press goes through a counter,
// and the whole way takes at most 25 of them; axe passes on the Sites page and on each step, a
// screenshot of each lands in artifacts/e2e/, and an empty first step is refused at the field with
// nothing created.
import { type ChildProcess, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import type { Browser, Locator, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest'
import { ROOT, freePort, inboxEvents, launchChromium, pollUntil, tail, type InboxEvent } from './harness'
import { axePage, settledConsolePage } from './page-helpers'
import { ARTIFACTS } from './suite'

const HOST = '127.0.0.1'
const SITE = 'first-shop'
/** The most user actions the wizard may take, from the sign-in page to the test lead's outcome (issue 15). */
const MAX_ACTIONS = 25

interface EmptyStack {
  worker: string
  inbox: string
  adminToken: string
  webhookSecret: string
  output(): string
  stop(): Promise<void>
}

/** The Node server on SQLite with nothing seeded, and the CRM inbox verifying with its own secret. */
async function startEmptyStack(): Promise<EmptyStack> {
  const stateDir = mkdtempSync(join(tmpdir(), 'leadcatcher-wizard-'))
  const [workerPort, inboxPort] = [await freePort(), await freePort()]
  const worker = `http://${HOST}:${workerPort}`
  const inbox = `http://${HOST}:${inboxPort}/`
  const adminToken = randomBytes(24).toString('hex')
  const webhookSecret = `whsec_${randomBytes(32).toString('base64')}`
  let output = ''
  const children: ChildProcess[] = []
  const run = (name: string, script: string, env: Record<string, string>) => {
    const child = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', join(ROOT, script)], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ''}`, HOME: process.env.HOME ?? tmpdir(), ...env },
    })
    const append = (chunk: Buffer) => {
      output = `${output}[${name}] ${chunk.toString('utf8')}`.slice(-100_000)
    }
    child.stdout?.on('data', append)
    child.stderr?.on('data', append)
    children.push(child)
  }
  run('inbox', 'scripts/crm-inbox.mjs', {
    LEADCATCHER_INBOX_PORT: String(inboxPort),
    LEADCATCHER_WORKER_URL: worker,
    LEADCATCHER_SITE: SITE,
    LEADCATCHER_WEBHOOK_SECRET: webhookSecret,
    LEADCATCHER_ADMIN_TOKEN: adminToken,
  })
  run('server', 'dist/server/server.mjs', {
    HOST,
    PORT: String(workerPort),
    PUBLIC_URL: worker,
    DATA_DIR: stateDir,
    STATIC_DIR: join(ROOT, 'dist', 'widget'),
    ADMIN_TOKEN: adminToken,
    // The CRM inbox is on loopback.
    ALLOW_PRIVATE_TARGETS: 'true',
    SHUTDOWN_GRACE_MS: '1000',
  })
  const stop = async () => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGTERM')
    await Promise.all(children.map((child) => (child.exitCode === null ? new Promise((resolve) => child.once('exit', resolve)) : null)))
    rmSync(stateDir, { recursive: true, force: true })
  }
  try {
    await pollUntil(
      async () => [(await fetch(`${worker}/healthz`)).status, (await fetch(`${inbox}api/events`)).status],
      ([server, crm]) => server === 200 && crm === 200,
      { timeoutMs: 30_000, what: 'the server and the CRM inbox' },
    )
  } catch (error) {
    await stop()
    throw new Error(`${String(error)}\n${tail(output)}`)
  }
  return { worker, inbox, adminToken, webhookSecret, output: () => output, stop }
}

/** The page's user actions, counted: what a person would do with the mouse and keyboard. */
function countingActions(page: Page) {
  let count = 0
  return {
    get count() {
      return count
    },
    goto: async (url: string) => {
      count += 1
      await page.goto(url)
    },
    click: async (target: Locator) => {
      count += 1
      await target.click()
    },
    fill: async (target: Locator, value: string) => {
      count += 1
      await target.fill(value)
    },
    select: async (target: Locator, value: string) => {
      count += 1
      await target.selectOption(value)
    },
    press: async (target: Locator, key: string) => {
      count += 1
      await target.press(key)
    },
  }
}

async function sitesOf(stack: EmptyStack): Promise<string[]> {
  const response = await fetch(`${stack.worker}/v1/admin/sites`, { headers: { authorization: `Bearer ${stack.adminToken}` } })
  return ((await response.json()) as { sites: { site: string }[] }).sites.map((s) => s.site)
}

describe('the new-site wizard on an empty deployment', () => {
  let stack: EmptyStack
  let browser: Browser
  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true })
    stack = await startEmptyStack()
    browser = await launchChromium()
  })
  afterAll(async () => {
    await browser?.close()
    await stack?.stop()
  })

  it('goes from no sites to a signed test lead in the CRM inbox in at most 25 actions, axe-clean at 360x640', async () => {
    expect(await sitesOf(stack)).toEqual([])
    const context = await browser.newContext({ locale: 'en-US', timezoneId: 'Europe/Moscow', viewport: { width: 360, height: 640 } })
    const page = await context.newPage()
    const errors: string[] = []
    page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`))
    onTestFailed(async () => {
      await page.screenshot({ path: join(ARTIFACTS, 'console-wizard-failure.png'), fullPage: true }).catch(() => {})
      console.error(`Browser errors: ${JSON.stringify(errors)}\nStack output:\n${tail(stack.output())}`)
    })
    const act = countingActions(page)
    const findings: Record<string, unknown> = {}
    const check = async (name: string) => {
      await settledConsolePage(page)
      const found = await axePage(page)
      if (found.length > 0) findings[name] = found
      await page.screenshot({ path: join(ARTIFACTS, `console-wizard-${name}-360x640.png`), fullPage: true })
      // Nothing wider than the phone: the page never scrolls sideways.
      expect(await page.evaluate(() => document.documentElement.scrollWidth), name).toBeLessThanOrEqual(360)
    }
    const step = (n: number, name: RegExp) =>
      page
        .getByRole('heading', { level: 2, name })
        .waitFor({ state: 'visible' })
        .then(() => expect(n).toBeGreaterThan(0))

    await act.goto(new URL('/console/', stack.worker).href)
    await act.fill(page.locator('#token'), stack.adminToken)
    await act.click(page.getByRole('button', { name: 'Sign in' }))
    await act.click(page.getByRole('link', { name: 'Sites' }))
    await page.getByText('No sites yet.', { exact: false }).waitFor({ state: 'visible' })
    await check('sites')
    await act.click(page.getByRole('link', { name: 'New site' }))
    await step(1, /The site/)
    await check('step-1')

    // An empty first step, sent from the keyboard (Enter in the key field), is refused at the
    // field, and nothing is created.
    const key = page.getByLabel('Site key')
    await act.press(key, 'Enter')
    await page.locator('#new-site-key[aria-invalid="true"]').waitFor({ state: 'visible' })
    await expect(page.locator('#new-site-key-error').textContent()).resolves.toContain('lowercase letters')
    expect(await sitesOf(stack)).toEqual([])

    await act.fill(key, SITE)
    await act.fill(page.getByLabel('Allowed origins'), 'https://first-shop.example')
    await act.click(page.getByRole('button', { name: 'Next' }))
    await step(2, /Texts, consent and hours/)
    await check('step-2')
    await act.fill(page.getByLabel('Callback and form'), 'Thanks! We will call you back within 5 minutes.')
    await act.click(page.getByRole('button', { name: 'Next' }))
    await step(3, /Where leads go/)
    await check('step-3')
    expect(await sitesOf(stack)).toEqual([])

    // A webhook to the CRM inbox, signed with the inbox's secret in place of the one generated.
    await act.fill(page.getByLabel('URL', { exact: true }), `${stack.inbox}hooks/${SITE}`)
    await act.fill(page.getByLabel('Signing secret'), stack.webhookSecret)
    await act.click(page.getByRole('button', { name: 'Create the site' }))
    await step(4, /The tag to paste/)
    await check('step-4')
    expect(await sitesOf(stack)).toEqual([SITE])
    await expect(page.getByRole('textbox', { name: 'The tag' }).inputValue()).resolves.toBe(`<script src="${stack.worker}/widget.js" data-site="${SITE}" async></script>`)

    await act.click(page.getByRole('button', { name: 'Next' }))
    await step(5, /A test lead/)
    await act.click(page.getByRole('button', { name: 'Send a test lead' }))
    // The outcome (the Targets page's TestLeadResult) is announced in the step's status region.
    const outcome = page.getByRole('status').filter({ hasText: 'Test lead' })
    await outcome.getByText('delivered', { exact: true }).waitFor({ state: 'visible', timeout: 20_000 })
    await expect(outcome.textContent()).resolves.toMatch(/20\d/)
    await check('step-5')

    const events = await pollUntil(
      () => inboxEvents(stack),
      (list) => list.some((event: InboxEvent) => event.hook === SITE),
      { what: `a webhook for ${SITE} in the CRM inbox` },
    )
    const received = events.find((event) => event.hook === SITE)!
    // The inbox checked the Standard Webhooks signature with the secret typed in step 3.
    expect(received.verified).toBe(true)
    expect(received.error).toBeNull()
    expect(received.payload?.data?.site).toBe(SITE)
    expect((received.payload?.data as { test?: boolean } | undefined)?.test).toBe(true)

    expect(act.count).toBeLessThanOrEqual(MAX_ACTIONS)
    console.info(`The wizard took ${act.count} actions (at most ${MAX_ACTIONS}).`)
    expect(findings).toEqual({})
    expect(errors).toEqual([])
    await context.close()
  })
})
