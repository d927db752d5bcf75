// End to end on the Node runtime: the console's Settings page and its live preview, in Chromium.
// The real widget.js runs in a sandboxed frame on the unsaved draft: a launcher text typed in
// Settings shows there before it is saved, and on the demo page after Save; the exit offer opens on
// demand; the preview's language switch changes the widget's; at phone width the callback form
// opens from the preview's button and its lead is stored as a test lead, which the stats do not
// count. A bad accent colour gets the API's message at the field and the stored config does not
// change; Settings, Embed and Team pass axe at 360x640, with screenshots. (One file, one stack: the
// Settings e2e's save-and-reload steps were the preview's own.)
import { join } from 'node:path'
import type { FrameLocator, Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { adminRequest, type Stack } from './harness'
import { DESKTOP, HUMAN_PAUSE_MS, axePage, settledConsolePage, signInConsole } from './page-helpers'
import { ARTIFACTS, useStackAndBrowser } from './suite'

const env = useStackAndBrowser({ runtime: 'node' })

interface SiteView {
  config: { brand?: { accent?: string; launcher?: { text?: string } } }
  updatedAt: string
}

async function signedInSettings(stack: Stack, name: string, viewport = { width: 1280, height: 900 }): Promise<{ page: Page; errors: string[]; preview: FrameLocator }> {
  // CSP refusals show as console errors: the frame's scripts must all be allowed.
  const { page, errors } = await signInConsole(env.browser(), stack, { name: `console-preview-${name}`, viewport, consoleErrors: true })
  await page.goto(new URL(`/console/#/settings?site=${stack.site}`, stack.worker).href)
  await page.getByRole('heading', { level: 1, name: `Settings · ${stack.site}` }).waitFor({ state: 'visible' })
  await page.getByRole('heading', { level: 2, name: 'Live preview' }).waitFor({ state: 'visible' })
  const preview = page.frameLocator('iframe[title="Widget preview"]')
  return { page, errors, preview }
}

const storedSite = async (stack: Stack) => {
  const { status, body } = await adminRequest<SiteView>(stack, 'GET', `/v1/admin/sites/${stack.site}`)
  expect(status).toBe(200)
  return body
}

describe('the live preview on the console’s Settings page (Node runtime)', () => {
  it('switches the widget’s language, and passes axe at 360x640', async () => {
    const s = env.stack()
    const { page, errors, preview } = await signedInSettings(s, 'language', { width: 360, height: 640 })
    // The demo site is Russian and has no launcher text of its own: the widget's default shows.
    await preview.getByRole('button', { name: 'Перезвоните мне' }).waitFor({ state: 'visible', timeout: 15_000 })
    await page.getByRole('group', { name: 'Widget language' }).getByRole('button', { name: 'English' }).click()
    await preview.getByRole('button', { name: 'Call me back' }).waitFor({ state: 'visible', timeout: 10_000 })
    await expect(preview.getByRole('button', { name: 'Перезвоните мне' }).count()).resolves.toBe(0)

    await page.getByRole('heading', { level: 2, name: 'Live preview' }).scrollIntoViewIfNeeded()
    await settledConsolePage(page)
    expect(await axePage(page)).toEqual([])
    await page.screenshot({ path: join(ARTIFACTS, 'console-preview-360x640.png') })
    // Nothing wider than the phone (the frame scales to the column): the page never scrolls sideways.
    const wide = await page.evaluate(() =>
      [...document.querySelectorAll('body *')].filter((e) => e.getBoundingClientRect().right > 361).map((e) => `${e.localName}.${e.className}`),
    )
    expect(await page.evaluate(() => document.documentElement.scrollWidth), `wider than the phone: ${wide.join(', ')}`).toBeLessThanOrEqual(360)
    expect(errors).toEqual([])
  })

  it('shows a text changed in Settings before it is saved, and on the demo page after', async () => {
    const s = env.stack()
    const before = await storedSite(s)
    const { page, errors, preview } = await signedInSettings(s, 'text')
    await preview.getByRole('button', { name: 'Перезвоните мне' }).waitFor({ state: 'visible', timeout: 15_000 })
    const text = `Позвоните нам ${Date.now() % 10_000}`
    await page.getByLabel('Launcher text').fill(text)
    await expect(page.getByRole('status').filter({ hasText: 'unsaved' }).textContent()).resolves.toBe('You have unsaved changes.')
    await preview.getByRole('button', { name: text }).waitFor({ state: 'visible', timeout: 10_000 })
    // Not saved: the stored config is as it was.
    const unsaved = await storedSite(s)
    expect(unsaved.updatedAt).toBe(before.updatedAt)
    expect(unsaved.config.brand?.launcher?.text).toBeUndefined()
    // The exit offer opens on demand (Leadcatcher.open('exit')), with no exit gesture and no wait.
    await page.getByRole('group', { name: 'Open' }).getByRole('button', { name: 'Exit offer' }).click()
    await preview.getByRole('heading', { name: 'Подождите! Подборка со скидкой' }).waitFor({ state: 'visible', timeout: 10_000 })
    await page.screenshot({ path: join(ARTIFACTS, 'console-preview-desktop.png') })

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

  it('opens the callback form at phone width, and its lead is stored as a test lead the stats do not count', async () => {
    const s = env.stack()
    const range = 'from=2000-01-01&to=2100-01-01'
    const stats = async () => (await adminRequest(s, 'GET', `/v1/admin/stats?site=${s.site}&by=campaign&${range}`)).body
    const statsBefore = await stats()
    const { page, errors, preview } = await signedInSettings(s, 'lead')
    await page.getByRole('group', { name: 'Size' }).getByRole('button', { name: 'Phone (360 px)' }).click()
    const frame = page.locator('iframe[title="Widget preview"]')
    await expect(frame.getAttribute('width')).resolves.toBe('360')
    await page.getByRole('group', { name: 'Open' }).getByRole('button', { name: 'Callback form' }).click()
    const phone = preview.locator('input[type="tel"]')
    await phone.waitFor({ state: 'visible', timeout: 15_000 })
    // The frame is 360 px wide: the form is the phone's bottom sheet, within the width.
    const sheet = await preview.locator('form').boundingBox()
    const frameBox = await frame.boundingBox()
    expect(sheet && frameBox && sheet.width <= frameBox.width + 1).toBe(true)
    await phone.click()
    await phone.pressSequentially('8 (912) 765-43-21', { delay: 90 })
    await preview.getByRole('checkbox').check()
    await page.waitForTimeout(HUMAN_PAUSE_MS)
    await preview.locator('form [type="submit"]').click()

    // Stored or refused, the console says so; a refusal (or neither) fails with what the page and
    // the frame show, not a bare timeout.
    const settled = page.getByRole('status').filter({ hasText: /Test lead [0-9a-f-]{36} stored\.|The test lead was not stored/ })
    const shown = await settled.waitFor({ state: 'visible', timeout: 40_000 }).then(
      () => settled.textContent(),
      async (error: unknown) => {
        const statuses = await page.getByRole('status').allTextContents()
        throw new Error(
          `no test lead outcome: statuses ${JSON.stringify(statuses)}, the frame's form and alerts ${JSON.stringify(await preview.locator('form, [role="alert"]').allTextContents())}`,
          {
            cause: error,
          },
        )
      },
    )
    expect(shown).toMatch(/Test lead [0-9a-f-]{36} stored\./)
    const stored = page.getByRole('status').filter({ hasText: /Test lead [0-9a-f-]{36} stored\./ })
    const leadId = /Test lead ([0-9a-f-]{36}) stored\./.exec((await stored.textContent()) ?? '')?.[1]
    expect(leadId).toBeDefined()
    // The widget in the frame shows the reply the worker would give, as after any lead.
    await preview.getByText(s.reply).waitFor({ state: 'visible', timeout: 10_000 })

    const lead = await adminRequest<{ test?: boolean; contact: { phone?: string } }>(s, 'GET', `/v1/admin/leads/${leadId}`)
    expect(lead.status).toBe(200)
    expect(lead.body.test).toBe(true)
    expect(lead.body.contact.phone).toBe('+79127654321')
    expect(await stats()).toEqual(statsBefore)
    expect(errors).toEqual([])
  })

  it('puts the API’s message at a bad field, and the stored config does not change', async () => {
    const s = env.stack()
    const before = await storedSite(s)
    // The refused PUT's 400 is logged by Chromium as a console error: this test reads the page, not `errors`.
    const { page } = await signedInSettings(s, 'bad-field')
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
    const { page, errors } = await signedInSettings(s, 'pages', { width: 360, height: 640 })
    const findings: Record<string, unknown> = {}
    for (const [name, heading] of [
      ['settings', `Settings · ${s.site}`],
      ['embed', `Embed · ${s.site}`],
      ['team', `Team · ${s.site}`],
    ] as const) {
      await page.goto(new URL(`/console/#/${name}?site=${s.site}`, s.worker).href)
      await page.getByRole('heading', { level: 1, name: heading }).waitFor({ state: 'visible' })
      await settledConsolePage(page)
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
