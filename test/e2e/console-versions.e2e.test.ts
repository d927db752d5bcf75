// End to end on the Node runtime: config versions in the console, in Chromium. The operator changes
// the launcher text twice, saving each time; the Versions panel shows the change between the two;
// restoring the first makes it the site's config again (the admin API reads the same config as that
// version, the demo page's widget shows its text). Through the whole session every response body
// the console receives is recorded, and no configured secret is in any of them. Bad values in the
// new sections (rate limits, captcha, retention) get the API's messages at their fields and change
// nothing. The panel passes axe at 360x640, with a screenshot.
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { adminRequest, devVar, type Stack } from './harness'
import { DESKTOP, axePage, signInConsoleRecording, describedText, settledConsolePage } from './page-helpers'
import { ARTIFACTS, useStackAndBrowser } from './suite'

const env = useStackAndBrowser({ runtime: 'node' })

/** A telegram target added for this test: its token is a secret the console must never get back. */
const E2E_BOT_TOKEN = '424242:e2e-secret-token-never-in-the-browser'

const signedInConsole = (stack: Stack, viewport?: { width: number; height: number }) =>
  signInConsoleRecording(env.browser(), stack, { name: 'console-versions', ...(viewport && { viewport }) })

async function openSettings(page: Page, stack: Stack) {
  await page.goto(new URL(`/console/#/settings?site=${stack.site}`, stack.worker).href)
  await page.getByRole('heading', { level: 1, name: `Settings · ${stack.site}` }).waitFor({ state: 'visible' })
  await page.getByLabel('Launcher text').waitFor({ state: 'visible' })
}

async function saveLauncherText(page: Page, text: string) {
  await page.getByLabel('Launcher text').fill(text)
  await page.getByRole('button', { name: 'Save' }).click()
  await page.getByText('Saved.').waitFor({ state: 'visible' })
}

async function openVersions(page: Page) {
  await page.getByRole('button', { name: 'Show versions' }).click()
  await page.getByRole('table', { name: 'Versions' }).waitFor({ state: 'visible' })
}

type Config = Record<string, unknown> & { targets: Record<string, unknown>[] }

/** Adds a telegram target with a known token, sent back with the others' secrets redacted as read. */
async function addSecretTarget(stack: Stack) {
  const read = await adminRequest<{ config: Config }>(stack, 'GET', `/v1/admin/sites/${stack.site}`)
  expect(read.status).toBe(200)
  const telegram = read.body.config.targets.find((t) => t.type === 'telegram')!
  const config = {
    ...read.body.config,
    targets: [...read.body.config.targets, { type: 'telegram', id: 'e2e-secret', botToken: E2E_BOT_TOKEN, chatId: -1000000000002, apiUrl: telegram.apiUrl }],
  }
  const put = await adminRequest(stack, 'PUT', `/v1/admin/sites/${stack.site}`, config)
  expect(put.status, JSON.stringify(put.body)).toBe(200)
}

describe('config versions in the console on the Node runtime', () => {
  it('shows the change between two saves, restores the first, and the API and the demo page have it', async () => {
    const s = env.stack()
    await addSecretTarget(s)
    const { page, errors, bodies, settled } = await signedInConsole(s)
    await openSettings(page, s)
    const stamp = Date.now() % 10_000
    const first = `Call us ${stamp}`
    const second = `Ring us ${stamp}`
    await saveLauncherText(page, first)
    await saveLauncherText(page, second)

    await openVersions(page)
    const rows = page.getByRole('table', { name: 'Versions' }).getByRole('row')
    const newest = Number(/^v(\d+)/.exec((await rows.nth(1).getByRole('cell').first().textContent()) ?? '')![1])
    const firstSave = newest - 1
    await expect(rows.nth(1).textContent()).resolves.toContain('console')
    const change = page.locator('.diff-list li').filter({ hasText: 'brand.launcher.text' })
    await change.waitFor({ state: 'visible' })
    await expect(change.textContent()).resolves.toBe(`brand.launcher.text changed"${first}" → "${second}"`)

    page.once('dialog', (dialog) => void dialog.accept())
    await page.getByRole('button', { name: `Restore version ${firstSave}` }).click()
    await page.getByText(`Version ${firstSave} restored as version ${newest + 1}; the form shows it.`).waitFor({ state: 'visible' })
    await expect(page.getByLabel('Launcher text').inputValue()).resolves.toBe(first)

    const live = await adminRequest<{ config: Config }>(s, 'GET', `/v1/admin/sites/${s.site}`)
    const restoredFrom = await adminRequest<{ config: Config }>(s, 'GET', `/v1/admin/sites/${s.site}/versions/${firstSave}`)
    expect(live.body.config).toEqual(restoredFrom.body.config)
    expect((live.body.config.brand as { launcher: { text: string } }).launcher.text).toBe(first)
    const list = await adminRequest<{ versions: { version: number; restoredFrom: number | null }[] }>(s, 'GET', `/v1/admin/sites/${s.site}/versions?limit=1`)
    expect(list.body.versions[0]).toMatchObject({ version: newest + 1, restoredFrom: firstSave })

    const visitor = await env.browser().newPage(DESKTOP)
    try {
      await visitor.goto(s.demo)
      await visitor.getByRole('button', { name: first }).waitFor({ state: 'visible', timeout: 15_000 })
    } finally {
      await visitor.close()
    }

    // Secrets never come back to the browser: the pages that show the config, and the versions.
    for (const name of ['targets', 'settings']) {
      await page.goto(new URL(`/console/#/${name}?site=${s.site}`, s.worker).href)
      await page.getByRole('heading', { level: 1 }).first().waitFor({ state: 'visible' })
      await settledConsolePage(page)
    }
    await page.getByLabel('Launcher text').waitFor({ state: 'visible' })
    await openVersions(page)
    await page.getByLabel('Compare').selectOption(String(firstSave - 1))
    await page
      .locator('.versions-diff h3')
      .filter({ hasText: `From v${firstSave - 1}` })
      .waitFor({ state: 'visible' })
    await settledConsolePage(page)
    await settled()
    const secrets = [s.adminToken, devVar('CRM_INBOX_SECRET'), 'dev-token-for-the-local-inbox', E2E_BOT_TOKEN.split(':')[1]!, 'dev-mango-key-0001', 'dev-mango-salt-0001']
    const apiBodies = bodies.filter((b) => new URL(b.url).pathname.startsWith('/v1/'))
    expect(apiBodies.some((b) => b.url.includes('/versions/'))).toBe(true)
    expect(apiBodies.some((b) => b.text.includes('e2e-secret'))).toBe(true)
    const leaks = bodies.flatMap((b) => secrets.filter((secret) => b.text.includes(secret)).map((secret) => `${b.url}: ${secret.slice(0, 6)}…`))
    expect(leaks).toEqual([])
    expect(errors).toEqual([])
  })

  it('puts the API’s messages at bad fields of the new sections, and neither the config nor the versions change', async () => {
    const s = env.stack()
    const before = await adminRequest<{ config: Config }>(s, 'GET', `/v1/admin/sites/${s.site}`)
    const versionsBefore = await adminRequest<{ versions: { version: number }[] }>(s, 'GET', `/v1/admin/sites/${s.site}/versions?limit=1`)
    const { page, errors } = await signedInConsole(s)
    await openSettings(page, s)
    await page.getByLabel('Leads per phone number per hour').fill('0')
    await page.getByLabel('Provider').selectOption('smartcaptcha')
    await page.getByLabel('Site key (public)').fill('ysc2_server-key-by-mistake')
    await page.getByLabel('Secret key').fill('ysc2_the-server-key')
    await page.getByLabel('Erase personal data of leads older than (days)').fill('forever')
    await page.getByRole('button', { name: 'Save' }).click()
    await page.getByRole('alert').filter({ hasText: 'Nothing was saved' }).waitFor({ state: 'visible' })
    const messageAt = async (label: string) => {
      const field = page.getByLabel(label)
      await expect(field.getAttribute('aria-invalid')).resolves.toBe('true')
      return describedText(page, (await field.getAttribute('aria-describedby')) ?? '')
    }
    expect(await messageAt('Leads per phone number per hour')).toMatch(/1/)
    expect(await messageAt('Site key (public)')).toContain('ysc1_')
    expect(await messageAt('Erase personal data of leads older than (days)')).not.toBe('')
    const after = await adminRequest<{ config: Config }>(s, 'GET', `/v1/admin/sites/${s.site}`)
    expect(after.body.config).toEqual(before.body.config)
    const versionsAfter = await adminRequest<{ versions: { version: number }[] }>(s, 'GET', `/v1/admin/sites/${s.site}/versions?limit=1`)
    expect(versionsAfter.body.versions).toEqual(versionsBefore.body.versions)
    expect(errors).toEqual([])
  })

  it('passes axe on Settings with the Versions panel open at 360x640', async () => {
    const s = env.stack()
    const { page, errors } = await signedInConsole(s, { width: 360, height: 640 })
    await openSettings(page, s)
    await saveLauncherText(page, `Axe ${Date.now() % 10_000}`)
    await openVersions(page)
    await page.locator('.versions-diff').waitFor({ state: 'visible' })
    await settledConsolePage(page)
    expect(await axePage(page)).toEqual([])
    await page.getByRole('heading', { level: 2, name: 'Versions' }).scrollIntoViewIfNeeded()
    await page.screenshot({ path: join(ARTIFACTS, 'console-versions-360x640.png') })
    // Nothing wider than the phone: the versions table scrolls in its own box.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360)
    expect(errors).toEqual([])
  })
})
