// End to end on the Node runtime: the site owner's console (/console) in Chromium. A site token signs
// in through the form, a lead from the demo page appears in the open inbox by itself, is taken and
// marked junk / wrong_number, and the report shows it; another site's lead stays out of reach; the
// demo origin's cross-site posts are refused; a revoked session goes back to sign-in and says so;
// hostile lead text stays text; axe and screenshots at a phone's and a desktop's size.
import { randomBytes } from 'node:crypto'
import { join } from 'node:path'
import * as fc from 'fast-check'
import type { BrowserContext, CDPSession, Page } from 'playwright-core'
import { describe, expect, it, onTestFailed } from 'vitest'
import { MARKER, hostileText } from '../../shared/testing/hostile-text'
import { adminRequest, freePort, pollUntil, tail, type Stack } from './harness'
import { DESKTOP, HUMAN_PAUSE_MS, axePage, leadsFor, typeSlowly } from './page-helpers'
import { ARTIFACTS, useStackAndBrowser } from './suite'

const env = useStackAndBrowser({ runtime: 'node' })

/** The console in English, so the assertions read the English strings (i18n.ts). */
const CONSOLE_CONTEXT = { locale: 'en-US', timezoneId: 'Europe/Moscow', viewport: { width: 1280, height: 800 } }
const SIZES = [
  { width: 360, height: 640 },
  { width: 1280, height: 800 },
] as const
const CAMPAIGN = 'e2e-console'
const UTM_SOURCE = 'e2e-ads'
const SITE_B = 'e2e-site-b'
/** Elements no console page renders inside a lead's card or row; one there means input became markup. */
const FOREIGN = `script, img, iframe, svg, math, style, object, embed, link, meta, base, b, i, u, s, pre, hr, br, tg-spoiler, blockquote, mtext, mglyph, ${MARKER}-tag, ${MARKER}-el`

interface Lead {
  id: string
  site: string
  status: string
  junkReason: string | null
  takenBy: string | null
  spam: boolean
  flags: { code: string }[]
  contact: { name?: string; phone?: string }
  message?: string
  answers?: Record<string, unknown>
  context?: { utm?: Record<string, string> }
  firstActionAt?: string | null
  history?: { kind: string; from: string | null; to: string | null; reason: string | null }[]
}

interface StatsGroup {
  group: string | null
  junk: number
  junkPercent: number
  junkByReason: Record<string, number>
}

/** What the file's tests share: the signed-in console (site A = the demo site) and what they made. */
const shared: {
  context?: BrowserContext
  console?: Page
  errors: string[]
  siteToken?: string
  demoLead?: Lead
  siteBLead?: string
} = { errors: [] }

/**
 * A console tab that records uncaught errors, CSP violations and console errors. A 401 or 404
 * answer the test provokes is logged by Chromium as "Failed to load resource", which says nothing
 * about the page, so those are left out.
 */
async function consoleTab(context: BrowserContext, name: string): Promise<Page> {
  const page = await context.newPage()
  await page.addInitScript(() => {
    const seen: string[] = []
    Object.assign(window, { cspViolations: seen })
    document.addEventListener('securitypolicyviolation', (event) => seen.push(`${event.violatedDirective} ${event.blockedURI}`))
  })
  page.on('pageerror', (error) => shared.errors.push(`${name} pageerror: ${error.message}`))
  page.on('console', (message) => {
    if (message.type() === 'error' && !/^Failed to load resource: the server responded with a status of (401|404)\b/.test(message.text()))
      shared.errors.push(`${name} console: ${message.text()}`)
  })
  page.on('dialog', (dialog) => {
    shared.errors.push(`${name} dialog: ${dialog.message()}`)
    void dialog.dismiss()
  })
  return page
}

function onFailureShoot(page: Page, name: string) {
  onTestFailed(async () => {
    await page.screenshot({ path: join(ARTIFACTS, `console-${name}-failure.png`), fullPage: true }).catch(() => {})
    console.error(`Browser errors: ${JSON.stringify(shared.errors)}\nStack output:\n${tail(env.stack().output())}`)
  })
}

const cspViolations = (page: Page) => page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations)

async function signIn(page: Page, stack: Stack, token: string) {
  await page.goto(new URL('/console/', stack.worker).href)
  const field = page.locator('#token')
  await field.waitFor({ state: 'visible' })
  await field.fill(token)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.getByRole('heading', { level: 1, name: 'Leads' }).waitFor({ state: 'visible', timeout: 10_000 })
}

async function createSiteToken(stack: Stack, site: string, label: string): Promise<string> {
  const created = await adminRequest<{ token: string }>(stack, 'POST', `/v1/admin/sites/${site}/tokens`, { label })
  expect(created.status).toBe(201)
  expect(created.body.token).toMatch(/^lct_/)
  return created.body.token
}

async function adminLead(stack: Stack, id: string): Promise<Lead> {
  const { status, body } = await adminRequest<Lead>(stack, 'GET', `/v1/admin/leads/${id}`)
  expect(status).toBe(200)
  return body
}

/** A lead posted straight to the ingest API, as a non-browser client may; the worker's answer. */
async function postLead(stack: Stack, lead: Record<string, unknown>): Promise<{ status: number; body: { id?: string } }> {
  const response = await fetch(new URL('/v1/leads', stack.worker), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ consent: { given: true, text: 'I agree.' }, elapsedMs: 6000, ...lead }),
  })
  return { status: response.status, body: (await response.json()) as { id?: string } }
}

const rowOf = (page: Page, id: string) => page.locator(`ul.lead-list a.lead-row[href="#/leads/${id}"]`)

describe('the console on the Node runtime', () => {
  it('signs in with a site token typed into the form, and a lead from the demo page appears in the open inbox without a reload', async () => {
    const s = env.stack()
    shared.context = await env.browser().newContext(CONSOLE_CONTEXT)
    const page = (shared.console = await consoleTab(shared.context, 'inbox'))
    onFailureShoot(page, 'inbox')
    shared.siteToken = await createSiteToken(s, s.site, 'e2e console')

    await signIn(page, s, shared.siteToken)
    await expect(page.locator('.who').textContent()).resolves.toBe(`Site ${s.site}`)
    await page.getByText('No leads match these filters.').waitFor({ state: 'visible' })
    // The token went into the cookie exchange and nowhere the page keeps: not the address, not storage.
    expect(page.url()).not.toContain(shared.siteToken)
    const stored = await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }) + document.cookie)
    expect(stored).not.toContain(shared.siteToken)
    const cookie = (await shared.context.cookies(s.worker)).find((c) => c.name === 'lc_session')
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' })
    // Survives in the page only if the page is never reloaded.
    await page.evaluate(() => Object.assign(window, { sameDocument: true }))

    // A visitor, in a browser of their own, asks for a call back on the demo page with UTM tags.
    const visitor = await env.browser().newPage(DESKTOP)
    try {
      await visitor.goto(`${s.demo}?utm_source=${UTM_SOURCE}&utm_campaign=${CAMPAIGN}`)
      await visitor.getByRole('button', { name: 'Перезвоните мне' }).click()
      const dialog = visitor.getByRole('dialog', { name: 'Обратный звонок' })
      await typeSlowly(visitor, dialog.getByRole('textbox', { name: 'Телефон', exact: true }), '8 (912) 345-67-89')
      await dialog.getByRole('checkbox', { name: /Я даю согласие/ }).check()
      await visitor.waitForTimeout(HUMAN_PAUSE_MS)
      await dialog.getByRole('button', { name: 'Жду звонка' }).click()
      await visitor.getByText(s.reply).waitFor({ state: 'visible', timeout: 20_000 })
    } finally {
      await visitor.close()
    }
    const [sent] = await pollUntil(
      () => leadsFor(s, { phone: '+79123456789' }),
      (list) => list.length > 0,
      {
        timeoutMs: 20_000,
        what: 'the demo lead in the CRM inbox',
      },
    )
    const lead = (shared.demoLead = await adminLead(s, sent!.id))
    expect(lead.context?.utm).toMatchObject({ source: UTM_SOURCE, campaign: CAMPAIGN })
    expect(lead.status).toBe('new')

    // The inbox polls every 5 s: the row comes within one or two polls, marked as new and announced.
    const row = rowOf(page, lead.id)
    await row.waitFor({ state: 'visible', timeout: 15_000 })
    await expect(row.locator('.lead-phone').textContent()).resolves.toBe('+7 912 345-67-89')
    await expect(row.textContent()).resolves.toContain(`${UTM_SOURCE} · ${CAMPAIGN}`)
    await expect(row.getAttribute('class')).resolves.toContain('fresh')
    await expect(page.locator('[aria-live="polite"]').textContent()).resolves.toBe('1 new lead')
    expect(await page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument)).toBe(true)
    expect(await cspViolations(page)).toEqual([])
    expect(shared.errors).toEqual([])
  })

  it('takes the lead, marks it junk / wrong_number through the status form, and the report shows it under its campaign', async () => {
    const s = env.stack()
    const page = shared.console!
    const lead = shared.demoLead!
    onFailureShoot(page, 'card')

    await rowOf(page, lead.id).click()
    await page.getByRole('heading', { level: 1, name: 'No name' }).waitFor({ state: 'visible' })
    await expect(page.locator('.s-where .utm').first().textContent()).resolves.toBe(`source=${UTM_SOURCE}campaign=${CAMPAIGN}`)
    // A site token that is no manager's takes the lead as the manager chosen in "Take it as".
    await expect(page.locator('#take-as').inputValue()).resolves.toBe('olga')
    await page.getByRole('button', { name: 'Take it' }).click()
    await page.getByText('Taken by Ольга').waitFor({ state: 'visible' })

    await page.locator('#status-select').selectOption('junk')
    // Junk without a reason is stopped in the form, before anything is sent.
    await page.getByRole('button', { name: 'Save' }).click()
    await page.getByText('A junk lead needs a reason.').waitFor({ state: 'visible' })
    await page.locator('#status-reason').selectOption('wrong_number')
    await page.getByRole('button', { name: 'Save' }).click()
    await page.getByText('Saved.').waitFor({ state: 'visible' })
    await page.locator('.s-status .history li').nth(1).waitFor({ state: 'visible' })
    await expect(page.locator('.lead-card-head .status-junk').textContent()).resolves.toBe('Junk: wrong number')

    const changed = await adminLead(s, lead.id)
    expect(changed).toMatchObject({ status: 'junk', junkReason: 'wrong_number', takenBy: 'olga' })
    expect(changed.history?.map((h) => [h.kind, h.from, h.to, h.reason])).toEqual([
      ['take', 'new', 'in_work', null],
      ['status', 'in_work', 'junk', 'wrong_number'],
    ])

    await page.getByRole('navigation').getByRole('link', { name: 'Report' }).click()
    const row = page.locator('table.quality tbody tr').filter({ has: page.locator('th', { hasText: CAMPAIGN }) })
    await row.waitFor({ state: 'visible', timeout: 10_000 })
    await expect(row.locator('td.junk > a').first().textContent()).resolves.toBe('100 %')
    await expect(row.locator('td.junk .reasons-split').textContent()).resolves.toBe('Wrong number: 1')
    // What the table shows is what GET /v1/admin/stats says, through the page's own session.
    const stats = await page.evaluate(async () => {
      const response = await fetch('/v1/admin/stats?by=utm_campaign&site=demo')
      return (await response.json()) as { groups: StatsGroup[] }
    })
    expect(stats.groups.find((g) => g.group === CAMPAIGN)).toMatchObject({ junk: 1, junkPercent: 100, junkByReason: { wrong_number: 1 } })
    // The drill-down from the reason opens the inbox filtered to that lead.
    await row.locator('td.junk .reasons-split a').click()
    await rowOf(page, lead.id).waitFor({ state: 'visible' })
    await expect(page.locator('ul.lead-list > li').count()).resolves.toBe(1)
    expect(shared.errors).toEqual([])
  })

  it("keeps site B's lead from site A's session, in the UI and through the API", async () => {
    const s = env.stack()
    const page = shared.console!
    onFailureShoot(page, 'isolation')
    const downPort = await freePort()
    const put = await adminRequest(s, 'PUT', `/v1/admin/sites/${SITE_B}`, {
      origins: [new URL(s.demo).origin],
      country: 'RU',
      locale: 'ru',
      // Nobody listens there: its deliveries stay pending, for the deliveries page below.
      targets: [{ type: 'webhook', id: 'down', url: `http://127.0.0.1:${downPort}/hook`, secret: `whsec_${randomBytes(32).toString('base64')}` }],
    })
    expect(put.status).toBeLessThan(300)
    const id = crypto.randomUUID()
    const posted = await postLead(s, { id, site: SITE_B, source: 'callback', contact: { name: 'Site B Secret', phone: '+79127770001' } })
    expect(posted.status).toBe(201)
    shared.siteBLead = id

    await page.goto(new URL(`/console/#/leads/${id}`, s.worker).href)
    await page.getByText('There is no such lead, or it belongs to another site.').waitFor({ state: 'visible' })
    await expect(page.locator('main').textContent()).resolves.not.toContain('Site B Secret')
    // A site token's console ignores another site in the address and lists its own site only.
    await page.goto(new URL(`/console/#/leads?site=${SITE_B}`, s.worker).href)
    await rowOf(page, shared.demoLead!.id).waitFor({ state: 'visible' })
    await expect(rowOf(page, id).count()).resolves.toBe(0)

    const answers = await page.evaluate(
      async ({ id, site }) => {
        const ask = async (path: string, init?: RequestInit) => {
          const response = await fetch(path, init)
          return { path, status: response.status, code: ((await response.json()) as { error?: { code: string } }).error?.code ?? null }
        }
        const { csrfToken } = (await (await fetch('/v1/console/session')).json()) as { csrfToken: string }
        const change = { 'content-type': 'application/json', 'x-csrf-token': csrfToken }
        return [
          await ask(`/v1/admin/leads/${id}`),
          await ask(`/v1/admin/leads?site=${site}`),
          await ask(`/v1/admin/stats?site=${site}`),
          await ask(`/v1/admin/deliveries?site=${site}`),
          // With a valid CSRF token too: another site's lead is not there to change.
          await ask(`/v1/admin/leads/${id}`, { method: 'PATCH', headers: change, body: JSON.stringify({ status: 'won' }) }),
          await ask(`/v1/admin/leads/${id}/take`, { method: 'POST', headers: change, body: JSON.stringify({ managerId: 'olga' }) }),
        ]
      },
      { id, site: SITE_B },
    )
    for (const answer of answers) expect(answer, answer.path).toMatchObject({ status: 404, code: 'not_found' })
    expect((await adminLead(s, id)).status).toBe('new')
    expect(shared.errors).toEqual([])
  })

  it('refuses cross-site form posts and credentialed fetches from the demo origin (CSRF)', async () => {
    const s = env.stack()
    const context = shared.context!
    const id = crypto.randomUUID()
    expect((await postLead(s, { id, site: s.site, source: 'callback', contact: { phone: '+79127770002' } })).status).toBe(201)
    const before = await adminLead(s, id)

    // The attacker's page is on the demo origin, a different origin (another port) from the server,
    // in the same browser as the signed-in console. Same host, so the same site: SameSite=Strict
    // does not keep the cookie off, and what refuses these is the server's CSRF check.
    const attacker = await context.newPage()
    onFailureShoot(attacker, 'csrf')
    const cdp = await context.newCDPSession(attacker)
    const seen = await recordRequests(cdp, (url) => url.startsWith(`${s.worker}/v1/admin/`) || url.startsWith(`${s.worker}/v1/console/`))
    const formAnswers: Promise<{ url: string; status: number; body: string }>[] = []
    attacker.on('response', (response) => {
      if (response.request().resourceType() === 'document' && response.url().startsWith(s.worker))
        formAnswers.push(response.text().then((body) => ({ url: response.url(), status: response.status(), body })))
    })
    await attacker.goto(s.demo)

    const forms = [
      { action: `/v1/admin/leads/${id}/take`, enctype: 'application/x-www-form-urlencoded', fields: { managerId: 'olga' } },
      { action: `/v1/admin/leads/${id}`, enctype: 'application/x-www-form-urlencoded', fields: { status: 'won', _method: 'PATCH' } },
      // The JSON-in-text/plain trick: the body reads `{"managerId":"olga","x":"="}`.
      { action: `/v1/admin/leads/${id}/take`, enctype: 'text/plain', fields: { '{"managerId":"olga","x":"': '"}' } },
      { action: `/v1/admin/sites/${s.site}/replay-failed`, enctype: 'application/x-www-form-urlencoded', fields: {} },
    ]
    const fetched = await attacker.evaluate(
      async ({ worker, forms, id }) => {
        // Each form into a frame of its own, as a hidden attack would.
        for (const [i, { action, enctype, fields }] of forms.entries()) {
          const frame = Object.assign(document.createElement('iframe'), { name: `sink-${i}` })
          const form = Object.assign(document.createElement('form'), { method: 'POST', action: worker + action, enctype, target: frame.name })
          for (const [name, value] of Object.entries(fields)) form.append(Object.assign(document.createElement('input'), { type: 'hidden', name, value }))
          document.body.append(frame, form)
          form.submit()
        }
        const attempts: [string, string, RequestInit][] = [
          ['PATCH', `/v1/admin/leads/${id}`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: '{"status":"won"}' }],
          ['POST take text/plain', `/v1/admin/leads/${id}/take`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{"managerId":"olga"}' }],
          [
            'POST take no-cors',
            `/v1/admin/leads/${id}/take`,
            { method: 'POST', mode: 'no-cors', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'managerId=olga' },
          ],
          ['DELETE session', '/v1/console/session', { method: 'DELETE' }],
        ]
        const results: { what: string; outcome: string }[] = []
        for (const [what, path, init] of attempts) {
          try {
            const response = await fetch(worker + path, { ...init, credentials: 'include' })
            results.push({ what, outcome: `${response.type} ${response.status}` })
          } catch (error) {
            results.push({ what, outcome: String(error) })
          }
        }
        return results
      },
      { worker: s.worker, forms, id },
    )
    // No script on another origin may read an answer: a CORS error, or an opaque no-cors answer.
    expect(fetched).toEqual([
      { what: 'PATCH', outcome: 'TypeError: Failed to fetch' },
      { what: 'POST take text/plain', outcome: 'TypeError: Failed to fetch' },
      { what: 'POST take no-cors', outcome: 'opaque 0' },
      { what: 'DELETE session', outcome: 'TypeError: Failed to fetch' },
    ])
    await pollUntil(
      async () => formAnswers.length,
      (n) => n >= forms.length,
      { timeoutMs: 10_000, what: 'the four form posts to be answered' },
    )
    const answers = await Promise.all(formAnswers)
    // Each form post went out with the session cookie and was refused before any route ran.
    for (const answer of answers) {
      expect(answer.status, answer.url).toBe(403)
      expect(JSON.parse(answer.body), answer.url).toMatchObject({ error: { code: 'csrf_failed' } })
    }
    // The last fetch's failure can reach the protocol a moment after the page saw it.
    const sent = await pollUntil(
      async () => seen(),
      (list) => list.filter((r) => r.corsError?.startsWith('Preflight')).length >= 2,
      {
        timeoutMs: 5000,
        what: 'both refused preflights to be recorded',
      },
    )
    const byMethod = (method: string) => sent.filter((r) => r.method === method)
    // 4 form posts + the text/plain and no-cors fetches reached the server, all with the cookie, all 403.
    expect(byMethod('POST').map((r) => [r.cookie, r.status])).toEqual(Array(6).fill([true, 403]))
    // The PATCH and the DELETE need a preflight, which is refused: they were never sent.
    expect(byMethod('PATCH').map((r) => [r.status, r.corsError])).toEqual([[undefined, 'PreflightMissingAllowOriginHeader']])
    expect(byMethod('DELETE').map((r) => [r.status, r.corsError])).toEqual([[undefined, 'PreflightMissingAllowOriginHeader']])
    expect(byMethod('OPTIONS').every((r) => r.status !== undefined && r.status >= 400)).toBe(true)
    await attacker.close()

    const after = await adminLead(s, id)
    expect({ status: after.status, takenBy: after.takenBy, history: after.history }).toEqual({ status: 'new', takenBy: null, history: [] })
    expect(after.firstActionAt).toBe(before.firstActionAt)
    // The console's session outlived the attempt to sign it out, and still makes changes.
    const page = shared.console!
    const still = await page.evaluate(async () => (await fetch('/v1/console/session')).status)
    expect(still).toBe(200)
  })

  it('finds nothing serious with axe on any page, at 360×640 and 1280×800, and screenshots each', async () => {
    const s = env.stack()
    const browser = env.browser()
    const page = shared.console!
    onFailureShoot(page, 'axe')
    const findings: Record<string, unknown[]> = {}
    const check = async (tab: Page, name: string, size: (typeof SIZES)[number]) => {
      // The layout settles (fonts, wrapped tables) before axe measures contrast and overlap.
      await tab.evaluate(() => document.fonts.ready.then(() => new Promise((resolve) => requestAnimationFrame(resolve))))
      const found = await axePage(tab)
      if (found.length > 0) findings[`${name} ${size.width}x${size.height}`] = found
      await tab.screenshot({ path: join(ARTIFACTS, `console-${name}-${size.width}x${size.height}.png`), fullPage: true })
    }

    // Sign-in, in a browser with no session.
    const fresh = await browser.newContext({ ...CONSOLE_CONTEXT })
    const signInPage = await consoleTab(fresh, 'sign-in')
    await signInPage.goto(new URL('/console/', s.worker).href)
    await signInPage.locator('#token').waitFor({ state: 'visible' })
    for (const size of SIZES) {
      await signInPage.setViewportSize(size)
      await check(signInPage, 'sign-in', size)
    }

    // Site B's owner, for a deliveries page with deliveries on it (its target is down).
    const bToken = await createSiteToken(s, SITE_B, 'e2e deliveries')
    await signIn(signInPage, s, bToken)

    const card = `/console/#/leads/${shared.demoLead!.id}`
    for (const size of SIZES) {
      await page.setViewportSize(size)
      await page.goto(new URL('/console/#/leads', s.worker).href)
      await rowOf(page, shared.demoLead!.id).waitFor({ state: 'visible' })
      await check(page, 'inbox', size)

      await page.goto(new URL(card, s.worker).href)
      await page.locator('.s-status .history li').nth(1).waitFor({ state: 'visible' })
      await check(page, 'lead-card', size)

      await page.goto(new URL('/console/#/report', s.worker).href)
      await page.locator('table.quality').waitFor({ state: 'visible' })
      await page.locator('svg.chart-svg').waitFor({ state: 'visible' })
      await check(page, 'report-chart', size)
      await page.getByRole('button', { name: 'Table', exact: true }).click()
      await page.locator('table.trend-table').waitFor({ state: 'visible' })
      await check(page, 'report-table', size)

      await signInPage.setViewportSize(size)
      await signInPage.goto(new URL('/console/#/deliveries', s.worker).href)
      await signInPage.locator('main').getByRole('link', { name: 'Open the lead' }).first().waitFor({ state: 'visible', timeout: 15_000 })
      await check(signInPage, 'deliveries', size)
    }
    await fresh.close()
    await page.setViewportSize(CONSOLE_CONTEXT.viewport)
    expect(findings).toEqual({})
    expect(shared.errors).toEqual([])
  })

  it('shows hostile lead text as text in the lead card and the inbox row', async () => {
    const s = env.stack()
    const page = shared.console!
    onFailureShoot(page, 'hostile')
    const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/
    // What ingest keeps as sent: trimmed (it trims), no lone surrogates (stored as UTF-8, one comes back as U+FFFD).
    const kept = ({ minLength = 1, maxLength }: { minLength?: number; maxLength: number }) =>
      hostileText({ minLength, maxLength })
        .map((text) => text.trim())
        .filter((text) => text.length >= minLength && !loneSurrogate.test(text))
    const samples = fc.sample(
      fc.record({
        name: kept({ maxLength: 200 }),
        message: kept({ maxLength: 1000 }),
        answer: kept({ maxLength: 300 }),
        choice: kept({ maxLength: 200 }),
        campaign: kept({ maxLength: 200 }),
      }),
      { numRuns: 4, seed: 14 },
    )
    // Known payloads too, one per field, beside the random ones (a fixed seed: the same leads every run).
    samples.push({
      name: '<img src=x onerror=alert(1)>',
      message: '</b><script>alert(1)</script><x-fz-tag x-fz-attr="1">marker</x-fz-tag>',
      answer: '"><iframe srcdoc="<script>parent.alert(1)</script>">',
      choice: "'><a href='javascript:alert(1)'>click</a>",
      campaign: '<svg onload=alert(1)>',
    })

    for (const [i, text] of samples.entries()) {
      const id = crypto.randomUUID()
      const posted = await postLead(s, {
        id,
        site: s.site,
        source: 'form',
        contact: { name: text.name, phone: `+7912888000${i}` },
        message: text.message,
        answers: { budget: text.answer, rooms: [text.choice, 'x'] },
        context: { page: 'https://demo.example/flats', utm: { source: 'hostile', campaign: text.campaign } },
      })
      expect(posted.status, JSON.stringify(posted.body)).toBe(201)
      const lead = await adminLead(s, id)
      // Ingest takes the values as they are: what the console must show is what was sent.
      expect(lead.contact.name).toBe(text.name)
      expect(lead.message).toBe(text.message)
      expect(lead.answers).toEqual({ budget: text.answer, rooms: [text.choice, 'x'] })
      expect(lead.context?.utm?.campaign).toBe(text.campaign)

      await page.goto(new URL(`/console/#/leads/${id}`, s.worker).href)
      const card = page.locator('article.lead-card')
      await card.waitFor({ state: 'visible' })
      const shown = await card.evaluate(
        (root, [foreign, marker]) => {
          const dd = (label: string, scope: Element = root) => [...scope.querySelectorAll('dt')].find((dt) => dt.textContent === label)?.nextElementSibling?.textContent ?? null
          const answers = root.querySelector('dl.answers')!
          return {
            heading: root.querySelector('h1')?.textContent,
            name: dd('Name'),
            message: root.querySelector('.s-said p.said')?.textContent,
            // The demo site's flow asks budget and rooms: the card shows its questions, in the lead's Russian.
            budget: dd('Какой у вас бюджет?', answers),
            rooms: dd('Сколько комнат нужно?', answers),
            campaign: [...root.querySelectorAll('.s-where .utm-part')].find((part) => part.textContent?.startsWith('campaign='))?.textContent,
            foreign: root.querySelector(foreign)?.outerHTML ?? null,
            codes: root.querySelectorAll('code').length,
            markers: [...root.querySelectorAll('*')].flatMap((el) => [el.localName, ...el.getAttributeNames()]).filter((n) => n.startsWith(marker) || n.startsWith('on')),
            links: [...root.querySelectorAll('a')].map((a) => a.getAttribute('href') ?? ''),
          }
        },
        [FOREIGN, MARKER] as const,
      )
      expect(shown).toMatchObject({
        heading: text.name,
        name: text.name,
        message: text.message,
        budget: text.answer,
        rooms: `${text.choice}, x`,
        campaign: `campaign=${text.campaign}`,
        foreign: null,
        markers: [],
      })
      // The only code elements are the console's own, one per spam flag.
      expect(shown.codes).toBe(lead.spam ? lead.flags.length : 0)
      for (const href of shown.links) expect(href).toMatch(/^(tel:\+\d+$|mailto:|#\/|https?:\/\/)/)
      if (i === samples.length - 1) await page.screenshot({ path: join(ARTIFACTS, 'console-hostile-card-1280x800.png'), fullPage: true })

      // The inbox row shows the name and the campaign as text too.
      await page.goto(new URL('/console/#/leads', s.worker).href)
      const row = rowOf(page, id)
      await row.waitFor({ state: 'visible' })
      const inRow = await row.evaluate(
        (el, foreign) => ({
          name: el.querySelector('.lead-name')?.textContent,
          where: el.querySelector('.lead-where')?.textContent ?? '',
          foreign: el.querySelector(foreign)?.outerHTML ?? null,
        }),
        FOREIGN,
      )
      expect(inRow.name).toBe(text.name)
      expect(inRow.where.endsWith(`hostile · ${text.campaign}`)).toBe(true)
      expect(inRow.foreign).toBeNull()
    }
    expect(await page.locator('ul.lead-list').evaluate((list, foreign) => list.querySelector(foreign)?.outerHTML ?? null, FOREIGN)).toBeNull()
    // The report names each campaign in its table, as text too.
    await page.goto(new URL('/console/#/report', s.worker).href)
    const table = page.locator('table.quality')
    await table.waitFor({ state: 'visible' })
    const groups = await table.evaluate(
      (el, foreign) => ({
        names: [...el.querySelectorAll('tbody th')].map((th) => th.textContent),
        foreign: el.querySelector(foreign)?.outerHTML ?? null,
      }),
      FOREIGN,
    )
    expect(groups.foreign).toBeNull()
    expect(groups.names).toEqual(expect.arrayContaining(samples.map((text) => text.campaign)))
    expect(await cspViolations(page)).toEqual([])
    expect(shared.errors).toEqual([])
  })

  it('goes back to sign-in with "session expired" when the site token is revoked: at the next action, and at the next poll', async () => {
    const s = env.stack()
    const inbox = shared.console!
    onFailureShoot(inbox, 'expired')
    await inbox.goto(new URL('/console/#/leads', s.worker).href)
    await rowOf(inbox, shared.demoLead!.id).waitFor({ state: 'visible' })
    // A second tab of the same session, on a lead card (nothing polls there).
    const cardTab = await consoleTab(shared.context!, 'expired-card')
    await cardTab.goto(new URL(`/console/#/leads/${shared.demoLead!.id}`, s.worker).href)
    await cardTab.locator('#status-select').waitFor({ state: 'visible' })
    // The card's own reads (its history, deliveries, calls, the site's managers) done first: the
    // next request must be the status change, not one of them landing after the revocation.
    await cardTab.waitForLoadState('networkidle')

    const revoked = await adminRequest<{ revoked: number }>(s, 'DELETE', `/v1/admin/sites/${s.site}/tokens`)
    expect(revoked.status).toBe(200)
    expect(revoked.body.revoked).toBeGreaterThanOrEqual(1)

    // The next action: the change is refused and the tab shows sign-in, saying why.
    await cardTab.locator('#status-select').selectOption('qualified')
    await cardTab.getByRole('button', { name: 'Save' }).click()
    await cardTab.getByRole('status').filter({ hasText: 'Your session expired, sign in again.' }).waitFor({ state: 'visible', timeout: 5000 })
    await expect(cardTab.locator('#token').isVisible()).resolves.toBe(true)
    expect((await adminLead(s, shared.demoLead!.id)).status).toBe('junk')

    // The next poll of the open inbox (every 5 s): the same, without anyone touching it.
    await inbox.getByRole('status').filter({ hasText: 'Your session expired, sign in again.' }).waitFor({ state: 'visible', timeout: 8000 })
    await expect(inbox.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Sign in to the console')
    await expect(inbox.locator('ul.lead-list').count()).resolves.toBe(0)
    await inbox.screenshot({ path: join(ARTIFACTS, 'console-session-expired-1280x800.png') })

    // A new token signs in again from that page; signing out in one tab then ends the other's session.
    const token = await createSiteToken(s, s.site, 'e2e again')
    await inbox.locator('#token').fill(token)
    await inbox.getByRole('button', { name: 'Sign in' }).click()
    await rowOf(inbox, shared.demoLead!.id).waitFor({ state: 'visible' })
    await cardTab.reload()
    await cardTab.getByRole('button', { name: 'Sign out' }).click()
    await cardTab.getByText('You have signed out.').waitFor({ state: 'visible' })
    await inbox.getByRole('status').filter({ hasText: 'You are signed out. Sign in again.' }).waitFor({ state: 'visible', timeout: 8000 })
    await expect(inbox.locator('#token').isVisible()).resolves.toBe(true)
    expect(await cspViolations(inbox)).toEqual([])
    expect(shared.errors).toEqual([])
    await shared.context!.close()
  })
})

interface SeenRequest {
  method: string
  url: string
  cookie?: boolean
  status?: number
  corsError?: string
}

/**
 * Every request the tab makes to a URL `watched` accepts, as the DevTools protocol sees it: whether
 * the session cookie went with it, the status the server answered (also when CORS hides it from
 * the page), and the CORS error. Preflights show up as OPTIONS.
 */
async function recordRequests(cdp: CDPSession, watched: (url: string) => boolean): Promise<() => SeenRequest[]> {
  const seen = new Map<string, SeenRequest>()
  const entry = (id: string) => seen.get(id) ?? seen.set(id, { method: '', url: '' }).get(id)!
  cdp.on('Network.requestWillBeSent', (event) => {
    Object.assign(entry(event.requestId), { method: event.request.method, url: event.request.url })
  })
  cdp.on('Network.requestWillBeSentExtraInfo', (event) => {
    const cookie = Object.entries(event.headers).find(([name]) => name.toLowerCase() === 'cookie')?.[1]
    entry(event.requestId).cookie = /(^|;\s*)lc_session=/.test(String(cookie ?? ''))
  })
  cdp.on('Network.responseReceivedExtraInfo', (event) => {
    entry(event.requestId).status = event.statusCode
  })
  cdp.on('Network.loadingFailed', (event) => {
    if (event.corsErrorStatus) entry(event.requestId).corsError = event.corsErrorStatus.corsError
  })
  await cdp.send('Network.enable')
  return () => [...seen.values()].filter((request) => watched(request.url))
}
