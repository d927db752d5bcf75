// What the e2e files do with a page again and again: collect its errors, save a screenshot when a
// test fails, fill the callback form at a person's pace, find the leads that reached the inbox, and
// sign in to the console.
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import type { AxeResults } from 'axe-core'
import type { Browser, BrowserContext, BrowserContextOptions, Locator, Page } from 'playwright-core'
import { onTestFailed } from 'vitest'
import type { Locale } from '../../shared/locales'
import { STRINGS } from '../../widget/console/src/i18n'
import { getJson, inboxEvents, pollUntil, tail, type InboxEvent, type LeadEventData, type Stack } from './harness'
import { ARTIFACTS } from './suite'

/** Desktop defaults of the existing tests: a Russian visitor in Moscow. */
export const DESKTOP: BrowserContextOptions = {
  locale: 'ru-RU',
  timezoneId: 'Europe/Moscow',
  viewport: { width: 1280, height: 860 },
}

/** The worker flags forms sent sooner than spam.minFillMs (1500 ms) after they appeared. */
export const HUMAN_TYPING_DELAY_MS = 90
export const HUMAN_PAUSE_MS = 1600

export interface WatchedPage {
  page: Page
  /** Uncaught exceptions and console errors, in order. */
  errors: string[]
}

/**
 * A page in a fresh context (own localStorage, so the interruption budget and the outbox start
 * empty) whose failure leaves `artifacts/e2e/<name>-failure.png` and the stack's output.
 */
export async function openPage(browser: Browser, stack: Stack, name: string, options: BrowserContextOptions = DESKTOP): Promise<WatchedPage> {
  const page = await browser.newPage(options)
  const errors: string[] = []
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`))
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`)
  })
  onTestFailed(async () => {
    await page.screenshot({ path: join(ARTIFACTS, `${name}-failure.png`) }).catch(() => {})
    console.error(`Browser errors: ${JSON.stringify(errors)}\nStack output:\n${tail(stack.output())}`)
  })
  return { page, errors }
}

/** Types into a field at a person's pace (the spam rules count the time from form shown to submit). */
export async function typeSlowly(_page: Page, field: Locator, text: string) {
  await field.click()
  await field.pressSequentially(text, { delay: HUMAN_TYPING_DELAY_MS })
}

export const isVerifiedLead = (event: InboxEvent): boolean => event.verified && event.type === 'lead.created' && event.payload?.data !== undefined

/** The verified `lead.created` webhooks the inbox got for `site` with this phone or email. */
export async function leadsFor(stack: Stack, match: { site?: string; phone?: string; email?: string }): Promise<LeadEventData[]> {
  const { site = stack.site, phone, email } = match
  return (await inboxEvents(stack))
    .filter(isVerifiedLead)
    .map((event) => event.payload!.data!)
    .filter((lead) => lead.site === site && (phone === undefined || lead.contact.phone === phone) && (email === undefined || lead.contact.email === email))
}

/** A lead as the worker stored it, through the inbox's proxy of `GET /v1/admin/leads` (demo site). */
export interface StoredLead {
  id: string
  source: string
  status: string
  flags: { code: string }[]
  contact?: { phone?: string; email?: string }
  deliveries: { targetId: string; status: string }[]
}

export async function storedLeads(stack: Stack): Promise<StoredLead[]> {
  return (await getJson<{ leads: StoredLead[] }>(new URL('api/leads', stack.inbox).href)).leads
}

/**
 * The element's box once it is on screen. The launcher facade of widget.js is swapped for the
 * app's launcher when app.js arrives; a box read during the swap is null, so this waits it out.
 */
export async function boxOf(locator: Locator): Promise<{ x: number; y: number; width: number; height: number }> {
  const box = await pollUntil(
    () => locator.boundingBox(),
    (value) => value !== null,
    {
      timeoutMs: 10_000,
      intervalMs: 100,
      what: `a bounding box for ${String(locator)}`,
    },
  )
  return box!
}

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')

interface AxeFinding {
  id: string
  impact: string | null | undefined
  help: string
  targets: unknown[]
}

/**
 * Runs axe-core inside the page on the widget (its open shadow root included) and returns the
 * serious and critical violations, plus how many checks passed inside the shadow root (so an axe
 * that never looked inside cannot pass the test).
 */
export async function axeWidget(page: Page): Promise<{ serious: AxeFinding[]; shadowPasses: number }> {
  await page.addScriptTag({ content: AXE_SOURCE })
  const results = await page.evaluate(async () => {
    const { axe } = window as unknown as { axe: { run(context: unknown, options: unknown): Promise<AxeResults> } }
    return axe.run({ include: [['leadcatcher-widget']] }, { resultTypes: ['violations'] })
  })
  const serious = results.violations
    .filter((rule) => rule.impact === 'serious' || rule.impact === 'critical')
    .map((rule) => ({ id: rule.id, impact: rule.impact, help: rule.help, targets: rule.nodes.map((node) => node.target) }))
  // A target inside a shadow root is a list of selectors: host first, then the node within.
  const shadowPasses = results.passes.filter((rule) => rule.nodes.some((node) => Array.isArray(node.target[0]))).length
  return { serious, shadowPasses }
}

/**
 * Runs axe-core on the whole page and returns its serious and critical violations. axe is
 * evaluated through the DevTools protocol rather than added as a script tag, so a page whose CSP
 * allows no inline script (the console) is checked as it is served.
 */
/**
 * A console page is done loading: no `.loading` left (lazy chunks and their data), the live
 * preview's widget up where the page has one (its launcher shown), fonts in, one frame laid out.
 * Waiting for the network to go quiet instead can wait forever: a page whose live preview or
 * polling keeps a request going never reaches 'networkidle' on a busy machine.
 */
export async function settledConsolePage(page: Page): Promise<void> {
  await page.waitForFunction(() => document.querySelector('.loading') === null, undefined, { timeout: 15_000 })
  if ((await page.locator('.live-preview iframe').count()) > 0) {
    await page.frameLocator('.live-preview iframe').locator('button').first().waitFor({ state: 'visible', timeout: 15_000 })
  }
  await page.evaluate(() => document.fonts.ready.then(() => new Promise((resolve) => requestAnimationFrame(resolve))))
}

export async function axePage(page: Page): Promise<AxeFinding[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE)
  const results = await page.evaluate(async () => {
    const { axe } = window as unknown as { axe: { run(context: unknown, options: unknown): Promise<AxeResults> } }
    return axe.run(document, { resultTypes: ['violations'] })
  })
  return results.violations
    .filter((rule) => rule.impact === 'serious' || rule.impact === 'critical')
    .map((rule) => ({ id: rule.id, impact: rule.impact, help: rule.help, targets: rule.nodes.map((node) => node.target) }))
}

/** The browser locale that makes the console pick each of its languages (i18n.ts pickLanguage). */
const BROWSER_LOCALE: Record<Locale, string> = { en: 'en-US', ru: 'ru-RU' }

export interface ConsoleSignInOptions {
  /** The failure screenshot is `artifacts/e2e/<name>-failure.png`. */
  name: string
  /** 1280x800 unless told. */
  viewport?: { width: number; height: number }
  /** The console's language, from the browser's; English unless told, so assertions read the English strings. */
  locale?: Locale
  /** The operator's token unless told (a site token `lct_…` signs in the same way). */
  token?: string
  /** Console errors count too from the sign-in on (before it the session check's 401 is logged as one). */
  consoleErrors?: boolean
  /** Runs on the new page before the console loads, e.g. to record every response it gets. */
  onPage?: (page: Page) => void
}

export interface RecordedBodies {
  /** Every response body the page received, as text (filled as responses finish). */
  bodies: { url: string; text: string }[]
  /** Resolves once every response seen so far has its body in `bodies`. */
  settled: () => Promise<void>
}

/** Records the body of every response `page` gets, e.g. to show no secret ever reached the browser. */
export function recordBodies(page: Page): RecordedBodies {
  const bodies: RecordedBodies['bodies'] = []
  const pending: Promise<void>[] = []
  page.on('response', (response) => {
    pending.push(
      response.text().then(
        (text) => void bodies.push({ url: response.url(), text }),
        () => {},
      ),
    )
  })
  return { bodies, settled: async () => void (await Promise.all(pending)) }
}

export interface SignedInConsole {
  context: BrowserContext
  page: Page
  /** Uncaught exceptions (and console errors with `consoleErrors`), in order. */
  errors: string[]
}

/**
 * A new context signed in to the console through its own form, on the inbox ("Leads" heading
 * shown). A failure of the calling test leaves a full-page screenshot and the stack's output.
 * @example
 * const { page, errors } = await signInConsole(env.browser(), s, { name: 'console-team', viewport: { width: 360, height: 640 } })
 */
export async function signInConsole(browser: Browser, stack: Stack, options: ConsoleSignInOptions): Promise<SignedInConsole> {
  const { name, viewport = { width: 1280, height: 800 }, locale = 'en', token = stack.adminToken, consoleErrors = false, onPage } = options
  const t = STRINGS[locale]
  const context = await browser.newContext({ locale: BROWSER_LOCALE[locale], timezoneId: 'Europe/Moscow', viewport })
  const page = await context.newPage()
  const errors: string[] = []
  let signedIn = false
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`))
  if (consoleErrors) page.on('console', (message) => signedIn && message.type() === 'error' && errors.push(`console: ${message.text()}`))
  onPage?.(page)
  onTestFailed(async () => {
    await page.screenshot({ path: join(ARTIFACTS, `${name}-failure.png`), fullPage: true }).catch(() => {})
    console.error(`Browser errors: ${JSON.stringify(errors)}\nStack output:\n${tail(stack.output())}`)
  })
  await page.goto(new URL('/console/', stack.worker).href)
  await page.locator('#token').fill(token)
  await page.getByRole('button', { name: t.signIn, exact: true }).click()
  await page.getByRole('heading', { level: 1, name: t.leadsTitle }).waitFor({ state: 'visible', timeout: 10_000 })
  signedIn = true
  return { context, page, errors }
}

/** The text of the elements `ids` (an aria-describedby value) names, joined by spaces: a field's messages. */
export const describedText = (page: Page, ids: string): Promise<string> =>
  page.evaluate(
    (list) =>
      list
        .split(' ')
        .map((id) => document.getElementById(id)?.textContent ?? '')
        .join(' '),
    ids,
  )

/** signInConsole with every response body the page gets recorded, from its first request on. */
export async function signInConsoleRecording(browser: Browser, stack: Stack, options: ConsoleSignInOptions): Promise<SignedInConsole & RecordedBodies> {
  let recorded: RecordedBodies | undefined
  const signedIn = await signInConsole(browser, stack, {
    ...options,
    onPage: (page) => {
      recorded = recordBodies(page)
      options.onPage?.(page)
    },
  })
  if (!recorded) throw new Error('signInConsole did not hand over its page')
  return { ...signedIn, ...recorded }
}
