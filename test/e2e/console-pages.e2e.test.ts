// End to end on the Node runtime: one sweep over every console page (issue 15, "axe on every page;
// 360x640 screenshots"). Signed in once per language, the operator visits each route and state in
// Russian and in English, at 360x640 and at 1280x800: the inbox (and its filters), a lead card and
// a missing one, the report (chart and table), deliveries, Settings (live preview, versions),
// Targets, Team, Chatbot, Embed, Sites, the "choose a site" page, each step of the new-site wizard
// (with a refused first and third step), and the sign-in page after signing out. On each: the h1
// shows, axe finds nothing serious, nothing is wider than the phone, no uncaught error, and a
// screenshot lands in artifacts/e2e/console-pages/<page>-<lang>-<size>.png.
import { randomBytes } from 'node:crypto'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import type { Locale } from '../../shared/locales'
import { adminRequest, freePort, type Stack, patchSite } from './harness'
import { axePage, settledConsolePage, signInConsole } from './page-helpers'
import { ARTIFACTS, useStackAndBrowser } from './suite'

const env = useStackAndBrowser({ runtime: 'node' })

const OUT = join(ARTIFACTS, 'console-pages')
const SIZES = [
  { width: 360, height: 640 },
  { width: 1280, height: 800 },
] as const
type Size = (typeof SIZES)[number]
const CAMPAIGN = 'e2e-pages'
/** A site whose only target is down, for a deliveries page with deliveries on it. */
const DOWN_SITE = 'e2e-pages-down'

interface Seeded {
  /** A lead with a history (taken, then marked junk with a note). */
  leadId: string
}
let seeded: Seeded

/** A lead posted to the ingest API as a non-browser client may. */
async function postLead(stack: Stack, lead: Record<string, unknown>): Promise<string> {
  const id = crypto.randomUUID()
  const response = await fetch(new URL('/v1/leads', stack.worker), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ id, site: stack.site, source: 'callback', consent: { given: true, text: 'Согласен.' }, elapsedMs: 6000, ...lead }),
    signal: AbortSignal.timeout(10_000),
  })
  expect(response.status, await response.text()).toBe(201)
  return id
}

/** A merge patch of the site the admin API takes (200). */
async function patchedSite(stack: Stack, patch: unknown): Promise<void> {
  const { status, body } = await patchSite(stack, patch)
  expect(status, JSON.stringify(body)).toBe(200)
}

/** Pages with something on them: leads (one with a history, one a test lead), a routing rule, versions, spend. */
async function seed(stack: Stack): Promise<Seeded> {
  const utm = { source: 'yandex', campaign: CAMPAIGN }
  const leadId = await postLead(stack, { source: 'callback', contact: { name: 'Анна Петрова', phone: '+79161234501' }, context: { utm } })
  await postLead(stack, { source: 'form', contact: { name: 'Boris', email: 'boris@example.com', phone: '+79161234502' }, message: 'Нужна двушка у метро', context: { utm } })
  await postLead(stack, { source: 'exit_intent', contact: { phone: '+79161234503' } })
  expect((await adminRequest(stack, 'POST', `/v1/admin/leads/${leadId}/take`, { managerId: 'olga' })).status).toBe(200)
  expect((await adminRequest(stack, 'PATCH', `/v1/admin/leads/${leadId}`, { status: 'junk', reason: 'wrong_number', note: 'Номер не существует' })).status).toBe(200)
  const test = await adminRequest<{ leadId: string }>(stack, 'POST', `/v1/admin/sites/${stack.site}/test-leads`, { targetId: 'crm-inbox' })
  expect(test.status).toBe(201)
  await patchedSite(stack, {
    routing: { rules: [{ when: { temperature: ['hot'] }, managers: ['olga'] }], sla: { minutes: { hot: 5, warm: 30, cold: 120 }, headOfSales: 'pavel' } },
  })
  await patchedSite(stack, { brand: { launcher: { text: 'Перезвоним за 30 секунд' } } })
  const today = new Date().toISOString().slice(0, 10)
  const spend = await adminRequest(stack, 'POST', `/v1/admin/sites/${stack.site}/spend`, {
    rows: [{ date: today, utmSource: 'yandex', utmCampaign: CAMPAIGN, cost: '1500.00', currency: 'RUB' }],
  })
  expect(spend.status).toBe(200)
  const down = await adminRequest(stack, 'PUT', `/v1/admin/sites/${DOWN_SITE}`, {
    origins: [new URL(stack.demo).origin],
    country: 'RU',
    locale: 'ru',
    // Nobody listens there: its deliveries stay pending.
    targets: [{ type: 'webhook', id: 'crm-down', url: `http://127.0.0.1:${await freePort()}/hook`, secret: `whsec_${randomBytes(32).toString('base64')}` }],
  })
  expect(down.status).toBe(201)
  await postLead(stack, { site: DOWN_SITE, contact: { name: 'Вера', phone: '+79161234504' } })
  return { leadId }
}

beforeAll(async () => {
  mkdirSync(OUT, { recursive: true })
  seeded = await seed(env.stack())
})

interface Visit {
  name: string
  /** Opens the page (or changes its state) and waits for what shows it is ready. */
  open(page: Page): Promise<void>
}

const visible = (page: Page, selector: string) => page.locator(selector).first().waitFor({ state: 'visible', timeout: 15_000 })

function visits(stack: Stack, lang: Locale, size: Size): Visit[] {
  const at = (hash: string) => new URL(`/console/${hash}`, stack.worker).href
  const site = `site=${stack.site}`
  const step = async (page: Page, n: number) => visible(page, `ol.wizard-steps li:nth-child(${n})[aria-current="step"]`)
  const submit = (page: Page) => page.locator('.wizard-actions button[type="submit"]').click()
  return [
    {
      name: 'inbox',
      open: async (page) => {
        await page.goto(at(`#/leads?${site}`))
        await expect.poll(() => page.locator('ul.lead-list a.lead-row').count()).toBeGreaterThanOrEqual(4)
      },
    },
    // A desktop shows the filters beside the list; a phone behind a button.
    ...(size.width === 360
      ? [
          {
            name: 'inbox-filters',
            open: async (page: Page) => {
              await page.locator('.filters-toggle').click()
              await visible(page, '#filters-panel.open')
            },
          },
        ]
      : []),
    {
      name: 'lead-card',
      open: async (page) => {
        await page.goto(at(`#/leads/${seeded.leadId}?${site}`))
        await expect.poll(() => page.locator('.lead-card .history li').count()).toBeGreaterThanOrEqual(2)
      },
    },
    {
      name: 'lead-missing',
      open: async (page) => {
        await page.goto(at(`#/leads/00000000-0000-4000-8000-000000000000?${site}`))
        await visible(page, 'main .notice')
      },
    },
    {
      name: 'report-chart',
      open: async (page) => {
        await page.goto(at(`#/report?${site}&by=utm_campaign`))
        await visible(page, 'table.quality')
        await visible(page, 'svg.chart-svg')
      },
    },
    {
      name: 'report-table',
      open: async (page) => {
        await page.locator('.trend .segmented').first().locator('button').nth(1).click()
        await visible(page, 'table.trend-table')
      },
    },
    {
      name: 'deliveries',
      open: async (page) => {
        await page.goto(at(`#/deliveries?site=${DOWN_SITE}`))
        await visible(page, 'main a[href^="#/leads/"]')
      },
    },
    {
      name: 'settings',
      open: async (page) => {
        await page.goto(at(`#/settings?${site}`))
        await visible(page, '.settings-versions button')
      },
    },
    {
      name: 'settings-versions',
      open: async (page) => {
        await page.locator('button[aria-controls="settings-versions"]').click()
        await visible(page, '#settings-versions .versions table')
      },
    },
    {
      name: 'targets',
      open: async (page) => {
        await page.goto(at(`#/targets?${site}`))
        await visible(page, '.target-list .target-item')
      },
    },
    {
      name: 'team',
      open: async (page) => {
        await page.goto(at(`#/team?${site}`))
        await visible(page, 'form.routing .team-manager')
      },
    },
    {
      name: 'chatbot',
      open: async (page) => {
        await page.goto(at(`#/chatbot?${site}`))
        await visible(page, '.chatbot-editor textarea')
      },
    },
    {
      name: 'embed',
      open: async (page) => {
        await page.goto(at(`#/embed?${site}`))
        await visible(page, '.tag-origins li')
      },
    },
    {
      name: 'sites',
      open: async (page) => {
        await page.goto(at('#/sites'))
        await visible(page, `.sites table a[href="#/settings?${site}"]`)
      },
    },
    {
      name: 'no-site',
      open: async (page) => {
        await page.goto(at('#/settings'))
        await visible(page, 'main .notice.info')
      },
    },
    {
      name: 'wizard-1',
      open: async (page) => {
        await page.goto(at('#/sites/new'))
        await step(page, 1)
      },
    },
    {
      name: 'wizard-1-refused',
      open: async (page) => {
        await submit(page)
        await visible(page, '#new-site-key[aria-invalid="true"]')
      },
    },
    {
      name: 'wizard-2',
      open: async (page) => {
        await page.locator('#new-site-key').fill(`pages-${lang}-${size.width}`)
        await page.locator('#new-site-origins').fill('https://pages.example')
        await submit(page)
        await step(page, 2)
      },
    },
    {
      name: 'wizard-3',
      open: async (page) => {
        await submit(page)
        await step(page, 3)
      },
    },
    {
      name: 'wizard-3-refused',
      open: async (page) => {
        await submit(page)
        await visible(page, '.wizard [role="alert"]')
      },
    },
    {
      name: 'wizard-4',
      open: async (page) => {
        // Without a target: the site is created as it is.
        await page.locator('.wizard-body > button.secondary').click()
        await submit(page)
        await step(page, 4)
      },
    },
    {
      name: 'wizard-5',
      open: async (page) => {
        await submit(page)
        await step(page, 5)
      },
    },
  ]
}

/** What one page broke, by `<page>-<lang>-<size>`. */
type Findings = Record<string, unknown>

async function check(page: Page, shot: string, lang: Locale, size: Size, findings: Findings) {
  await page.locator('h1').first().waitFor({ state: 'visible' })
  await settledConsolePage(page)
  expect(await page.evaluate(() => document.documentElement.lang), shot).toBe(lang)
  const found = await axePage(page)
  if (found.length > 0) findings[`${shot} axe`] = found
  if (size.width === 360) {
    const width = await page.evaluate(() => document.scrollingElement?.scrollWidth ?? 0)
    if (width > 360) findings[`${shot} scrollWidth`] = width
  }
  await page.screenshot({ path: join(OUT, `${shot}.png`), fullPage: true })
}

describe('every console page, in Russian and English, at 360x640 and 1280x800 (Node runtime)', () => {
  it.each(['ru', 'en'] as const)('passes axe, fits the phone and throws nothing, in %s', async (lang) => {
    const s = env.stack()
    const { page, errors } = await signInConsole(env.browser(), s, { name: `console-pages-${lang}`, locale: lang, viewport: SIZES[0], consoleErrors: true })
    const findings: Findings = {}
    for (const size of SIZES) {
      await page.setViewportSize(size)
      for (const visit of visits(s, lang, size)) {
        await visit.open(page)
        await check(page, `${visit.name}-${lang}-${size.width}x${size.height}`, lang, size, findings)
      }
    }
    // Signed out: the sign-in page, with its notice.
    await page.locator('.account button.secondary').click()
    await visible(page, '#token')
    for (const size of SIZES) {
      await page.setViewportSize(size)
      await check(page, `sign-in-${lang}-${size.width}x${size.height}`, lang, size, findings)
    }
    expect(findings).toEqual({})
    // The missing lead's 404 is logged by Chromium as a failed load; it says nothing about the page.
    expect(errors.filter((error) => !/^console: Failed to load resource: the server responded with a status of 404\b/.test(error))).toEqual([])
  })
})
