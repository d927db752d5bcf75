// End to end on the Node runtime: the console's Targets page in Chromium. The operator adds a
// webhook target pointing at the local CRM inbox, sends it a test lead and sees "delivered" with a
// 2xx status and the time it took; the inbox got the lead signed (Standard Webhooks, verified with
// the target's secret) and marked test: true; the secret never came back to the browser in any
// response the page received; the page passes axe at a phone's size (360x640).
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { adminRequest, devVar, inboxEvents, pollUntil, type Stack } from './harness'
import { axePage, signInConsoleRecording, settledConsolePage } from './page-helpers'
import { ARTIFACTS, useStackAndBrowser } from './suite'

const env = useStackAndBrowser({ runtime: 'node' })

const signedInConsole = (stack: Stack, viewport?: { width: number; height: number }) =>
  signInConsoleRecording(env.browser(), stack, { name: 'console-targets', ...(viewport && { viewport }) })

async function openTargets(page: Page, stack: Stack) {
  await page.goto(new URL(`/console/#/targets?site=${stack.site}`, stack.worker).href)
  await page.getByRole('heading', { level: 1, name: `Targets · ${stack.site}` }).waitFor({ state: 'visible' })
  await page.getByRole('button', { name: 'Add a target' }).waitFor({ state: 'visible' })
}

describe('the console’s Targets page on the Node runtime', () => {
  it('adds a webhook to the CRM inbox, sends it a signed test lead and never shows its secret again', async () => {
    const s = env.stack()
    const secret = devVar('CRM_INBOX_SECRET')
    const hook = new URL(`hooks/${s.site}-targets-e2e`, s.inbox).href
    const { page, errors, bodies, settled } = await signedInConsole(s)
    await openTargets(page, s)

    await page.getByLabel('Type of the new target').selectOption('webhook')
    await page.getByRole('button', { name: 'Add a target' }).click()
    await page.getByLabel('Target id').fill('e2e-inbox')
    await page.getByLabel('URL').fill(hook)
    await page.getByLabel('Signing secret').fill(secret)
    await page.getByRole('button', { name: 'Save target' }).click()
    await page.getByText('Saved.').waitFor({ state: 'visible' })
    const stored = await adminRequest<{ config: { targets: { id?: string; url?: string; secret?: string }[] } }>(s, 'GET', `/v1/admin/sites/${s.site}`)
    expect(stored.body.config.targets.find((t) => t.id === 'e2e-inbox')).toMatchObject({ url: hook, secret: expect.stringMatching(/^whsec_•••/) })

    const item = page.getByRole('listitem').filter({ has: page.getByRole('heading', { level: 2, name: /e2e-inbox/ }) })
    await item.getByRole('button', { name: 'Send a test lead' }).click()
    const outcome = item.getByRole('region', { name: 'Test lead outcome' })
    await outcome.waitFor({ state: 'visible', timeout: 30_000 })
    const facts = await outcome.locator('dd').allTextContents()
    // Status, HTTP status, time.
    expect(facts[0]).toBe('delivered')
    expect(facts[1]).toMatch(/^2\d\d$/)
    expect(facts[2]).toMatch(/^\d+ ms$/)

    const events = await pollUntil(
      async () => (await inboxEvents(s)).filter((e) => e.hook.includes(`${s.site}-targets-e2e`)),
      (found) => found.length > 0,
      { timeoutMs: 10_000, what: 'the test lead in the CRM inbox' },
    )
    const event = events[0]!
    expect(event.verified).toBe(true)
    expect(event.type).toBe('lead.created')
    expect(event.payload?.data).toMatchObject({ site: s.site, test: true, contact: { name: 'Тест Тестов (Leadcatcher)' } })

    // Secrets never come back to the browser: not the one typed, nor the key inside it.
    await openTargets(page, s)
    await settledConsolePage(page)
    await settled()
    const api = bodies.filter((b) => new URL(b.url).pathname.startsWith('/v1/'))
    expect(api.some((b) => b.url.includes('/test-leads'))).toBe(true)
    const leaks = bodies.filter((b) => b.text.includes(secret) || b.text.includes(secret.replace(/^whsec_/, ''))).map((b) => b.url)
    expect(leaks).toEqual([])
    expect(errors).toEqual([])
  })

  it('puts the message at a bad URL, and the stored config does not change', async () => {
    const s = env.stack()
    const stored = async () => (await adminRequest<{ config: unknown; updatedAt: string }>(s, 'GET', `/v1/admin/sites/${s.site}`)).body
    const before = await stored()
    const { page, errors } = await signedInConsole(s)
    await openTargets(page, s)
    await page.getByLabel('Type of the new target').selectOption('webhook')
    await page.getByRole('button', { name: 'Add a target' }).click()
    await page.getByLabel('Target id').fill('e2e-bad-url')
    await page.getByLabel('URL').fill('not a url')
    await page.getByRole('button', { name: 'Save target' }).click()
    const url = page.getByLabel('URL')
    await expect.poll(() => url.getAttribute('aria-invalid')).toBe('true')
    const message = await page.locator(`[id="${await url.getAttribute('id')}-error"]`).textContent()
    expect(message?.trim()).not.toBe('')
    await expect(url.inputValue()).resolves.toBe('not a url')
    expect(await stored()).toEqual(before)
    expect(errors).toEqual([])
  })

  it('passes axe on Targets at 360x640, with a test lead’s outcome shown', async () => {
    const s = env.stack()
    const { page, errors } = await signedInConsole(s, { width: 360, height: 640 })
    await openTargets(page, s)
    const first = page.locator('.target-item').first()
    await first.getByRole('button', { name: 'Send a test lead' }).click()
    await first.getByRole('region', { name: 'Test lead outcome' }).waitFor({ state: 'visible', timeout: 30_000 })
    await page.getByRole('button', { name: 'Add a target' }).click()
    await page.getByLabel('URL').waitFor({ state: 'visible' })
    await settledConsolePage(page)
    expect(await axePage(page)).toEqual([])
    await page.screenshot({ path: join(ARTIFACTS, 'console-targets-360x640.png'), fullPage: true })
    const wide = await page.evaluate(() =>
      [...document.querySelectorAll('body *')]
        .filter((el) => el.getBoundingClientRect().right > 361 && !el.closest('.table-scroll'))
        .map((el) => `${el.tagName}.${el.className}#${el.id} ${Math.round(el.getBoundingClientRect().right)}`)
        .slice(0, 15),
    )
    expect(wide).toEqual([])
    expect(errors).toEqual([])
  })
})
