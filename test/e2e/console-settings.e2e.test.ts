// End to end on the Node runtime: the console's site pages in Chromium. The operator changes the
// launcher text in Settings, saves, and the demo page's widget shows it after a reload; a bad accent
// colour gets its message at the field and the stored config does not change; Settings, Embed and
// Team pass axe at a phone's size (360x640), with screenshots.
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { describe, expect, it, onTestFailed } from 'vitest'
import { adminRequest, tail, type Stack } from './harness'
import { DESKTOP, axePage } from './page-helpers'
import { ARTIFACTS, useStackAndBrowser } from './suite'

const env = useStackAndBrowser({ runtime: 'node' })

/** The console in English, so the assertions read the English strings. */
const CONSOLE_CONTEXT = { locale: 'en-US', timezoneId: 'Europe/Moscow', viewport: { width: 1280, height: 800 } }

interface SiteView {
  config: { brand?: { accent?: string; launcher?: { text?: string } } }
  updatedAt: string
}

async function signedInConsole(stack: Stack, viewport = CONSOLE_CONTEXT.viewport): Promise<{ page: Page; errors: string[] }> {
  const context = await env.browser().newContext({ ...CONSOLE_CONTEXT, viewport })
  const page = await context.newPage()
  const errors: string[] = []
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`))
  onTestFailed(async () => {
    await page.screenshot({ path: join(ARTIFACTS, 'console-settings-failure.png'), fullPage: true }).catch(() => {})
    console.error(`Browser errors: ${JSON.stringify(errors)}\nStack output:\n${tail(stack.output())}`)
  })
  await page.goto(new URL('/console/', stack.worker).href)
  await page.locator('#token').fill(stack.adminToken)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.getByRole('heading', { level: 1, name: 'Leads' }).waitFor({ state: 'visible', timeout: 10_000 })
  return { page, errors }
}

async function openSettings(page: Page, stack: Stack) {
  await page.goto(new URL(`/console/#/settings?site=${stack.site}`, stack.worker).href)
  await page.getByRole('heading', { level: 1, name: `Settings · ${stack.site}` }).waitFor({ state: 'visible' })
  await page.getByLabel('Launcher text').waitFor({ state: 'visible' })
}

const storedSite = async (stack: Stack) => {
  const { status, body } = await adminRequest<SiteView>(stack, 'GET', `/v1/admin/sites/${stack.site}`)
  expect(status).toBe(200)
  return body
}

describe('the console’s site pages on the Node runtime', () => {
  it('saves a text changed in Settings, and the demo page’s widget shows it after a reload', async () => {
    const s = env.stack()
    const { page, errors } = await signedInConsole(s)
    await openSettings(page, s)
    const text = `Call us ${Date.now() % 10_000}`
    await page.getByLabel('Launcher text').fill(text)
    await expect(page.getByRole('status').filter({ hasText: 'unsaved' }).textContent()).resolves.toBe('You have unsaved changes.')
    await page.getByRole('button', { name: 'Save' }).click()
    await page.getByText('Saved.').waitFor({ state: 'visible' })
    expect((await storedSite(s)).config.brand?.launcher?.text).toBe(text)

    const visitor = await env.browser().newPage(DESKTOP)
    try {
      await visitor.goto(s.demo)
      await visitor.getByRole('button', { name: text }).waitFor({ state: 'visible', timeout: 15_000 })
    } finally {
      await visitor.close()
    }
    expect(errors).toEqual([])
  })

  it('puts the API’s message at a bad field, and the stored config does not change', async () => {
    const s = env.stack()
    const before = await storedSite(s)
    const { page } = await signedInConsole(s)
    await openSettings(page, s)
    await page.getByLabel('Accent colour').fill('blue')
    await page.getByLabel('Launcher text').fill('Never saved')
    await page.getByRole('button', { name: 'Save' }).click()
    await page.getByRole('alert').filter({ hasText: 'Nothing was saved' }).waitFor({ state: 'visible' })
    const accent = page.getByLabel('Accent colour')
    await expect(accent.getAttribute('aria-invalid')).resolves.toBe('true')
    const describedBy = (await accent.getAttribute('aria-describedby')) ?? ''
    const message = await page.evaluate(
      (ids) =>
        ids
          .split(' ')
          .map((id) => document.getElementById(id)?.textContent ?? '')
          .join(' '),
      describedBy,
    )
    expect(message).toContain('must be a colour like "#0b57d0"')
    await expect(accent.inputValue()).resolves.toBe('blue')
    const after = await storedSite(s)
    expect(after.config).toEqual(before.config)
    expect(after.updatedAt).toBe(before.updatedAt)
  })

  it('passes axe on Settings, Embed and Team at 360x640', async () => {
    const s = env.stack()
    const { page, errors } = await signedInConsole(s, { width: 360, height: 640 })
    const findings: Record<string, unknown> = {}
    for (const [name, heading] of [
      ['settings', `Settings · ${s.site}`],
      ['embed', `Embed · ${s.site}`],
      ['team', `Team · ${s.site}`],
    ] as const) {
      await page.goto(new URL(`/console/#/${name}?site=${s.site}`, s.worker).href)
      await page.getByRole('heading', { level: 1, name: heading }).waitFor({ state: 'visible' })
      await page.waitForLoadState('networkidle')
      const found = await axePage(page)
      if (found.length > 0) findings[name] = found
      await page.screenshot({ path: join(ARTIFACTS, `console-${name}-360x640.png`), fullPage: true })
      // Nothing wider than the phone: the page never scrolls sideways.
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360)
    }
    expect(findings).toEqual({})
    expect(errors).toEqual([])
  })
})
