// End to end on the Node runtime: the console's Team page and the Embed page's "Is the tag live?"
// in Chromium. The operator adds two managers, a rule, the SLA and a head of sales, saves, and the
// admin API has them; removing a manager a rule names gets the message at the rule and stores
// nothing; the demo page loads the widget, and Embed shows that origin as live. axe and 360x640
// screenshots of both pages.
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import type { Routing } from '../../shared/schemas/routing'
import { adminRequest, type Stack, patchSite } from './harness'
import { DESKTOP, axePage, signInConsole, describedText, settledConsolePage } from './page-helpers'
import { ARTIFACTS, useStackAndBrowser } from './suite'

const env = useStackAndBrowser({ runtime: 'node' })

interface SiteView {
  config: { routing?: Routing; origins: string[] }
  updatedAt: string
}

/** A merge patch of the site the admin API takes (200). */
async function patchedSite(stack: Stack, patch: unknown): Promise<void> {
  const { status, body } = await patchSite(stack, patch)
  expect(status, JSON.stringify(body)).toBe(200)
}

const signedInConsole = (stack: Stack, viewport = { width: 1280, height: 900 }) => signInConsole(env.browser(), stack, { name: 'console-team', viewport })

async function openTeam(page: Page, stack: Stack) {
  await page.goto(new URL(`/console/#/team?site=${stack.site}`, stack.worker).href)
  await page.getByRole('heading', { level: 1, name: `Team · ${stack.site}` }).waitFor({ state: 'visible' })
  await page.getByRole('button', { name: 'Add a manager' }).waitFor({ state: 'visible' })
}

const storedSite = async (stack: Stack) => {
  const { status, body } = await adminRequest<SiteView>(stack, 'GET', `/v1/admin/sites/${stack.site}`)
  expect(status).toBe(200)
  return body
}

describe('the console’s Team page and tag status on the Node runtime', () => {
  it('saves two new managers, a rule, the SLA and a head of sales, and the admin API has them', async () => {
    const s = env.stack()
    const { page, errors } = await signedInConsole(s)
    await openTeam(page, s)
    const before = (await storedSite(s)).config.routing!
    const count = before.managers.length

    await page.getByRole('button', { name: 'Add a manager' }).click()
    const irina = page.getByRole('group', { name: `Manager ${count + 1}` })
    await irina.getByLabel('Id', { exact: true }).fill('irina')
    await irina.getByLabel('Telegram user id', { exact: true }).fill('5550001')
    await irina.getByLabel('Name', { exact: true }).fill('Irina')
    await page.getByRole('button', { name: 'Add a manager' }).click()
    const sergei = page.getByRole('group', { name: `Manager ${count + 2}` })
    await sergei.getByLabel('Id', { exact: true }).fill('sergei')
    await sergei.getByLabel('Bitrix24 user id', { exact: true }).fill('42')
    await sergei.getByLabel('Name', { exact: true }).fill('Sergei')

    await page.getByRole('button', { name: 'Add a rule' }).click()
    const rule = page.getByRole('group', { name: 'Rule 1' })
    await rule.getByLabel('Hot', { exact: true }).check()
    await rule.getByRole('group', { name: 'Managers for this rule' }).getByLabel('Irina', { exact: true }).check()
    await page.getByLabel('Escalate leads nobody takes in time').check()
    await page.getByLabel('Minutes for a hot lead').fill('5')
    await page.getByLabel('Minutes for a warm lead').fill('30')
    await page.getByLabel('Minutes for a cold lead').fill('120')
    await page.getByLabel('Head of sales').selectOption('sergei')
    await page.getByText('You have unsaved changes.').waitFor({ state: 'visible' })
    await page.getByRole('button', { name: 'Save the team' }).click()
    await page.getByText('Saved.', { exact: true }).waitFor({ state: 'visible' })

    const routing = (await storedSite(s)).config.routing!
    expect(routing.managers).toEqual([...before.managers, { id: 'irina', name: 'Irina', telegramUserId: 5550001 }, { id: 'sergei', name: 'Sergei', bitrixUserId: 42 }])
    expect(routing.rules).toEqual([{ when: { temperature: ['hot'] }, managers: ['irina'] }])
    expect(routing.sla).toEqual({ minutes: { hot: 5, warm: 30, cold: 120 }, headOfSales: 'sergei' })
    // A manager just saved can own a token at once.
    await expect(page.getByLabel('Manager', { exact: true }).locator('option', { hasText: 'Irina' }).count()).resolves.toBe(1)
    expect(errors).toEqual([])
  })

  it('puts the message at the rule when its manager is removed, and the stored config does not change', async () => {
    const s = env.stack()
    const managers = [...(await storedSite(s)).config.routing!.managers.filter((m) => m.id !== 'irina'), { id: 'irina', name: 'Irina' }]
    await patchedSite(s, { routing: { managers, rules: [{ when: { temperature: ['hot'] }, managers: ['irina'] }] } })
    const before = await storedSite(s)
    const { page } = await signedInConsole(s)
    await openTeam(page, s)
    await page.getByRole('button', { name: 'Remove Irina' }).click()
    await page.getByRole('button', { name: 'Save the team' }).click()
    await page.getByRole('alert').filter({ hasText: 'Nothing was saved' }).waitFor({ state: 'visible' })
    const stale = page.getByRole('group', { name: 'Rule 1' }).getByLabel('irina (not in the list)')
    await expect(stale.getAttribute('aria-invalid')).resolves.toBe('true')
    await expect(describedText(page, (await stale.getAttribute('aria-describedby')) ?? '')).resolves.toBe('rules and sla.headOfSales may only name listed managers')
    const after = await storedSite(s)
    expect(after.config).toEqual(before.config)
    expect(after.updatedAt).toBe(before.updatedAt)
  })

  it('shows the demo page’s origin as live on the Embed page once the widget loaded there', async () => {
    const s = env.stack()
    const demoOrigin = new URL(s.demo).origin
    const { origins } = (await storedSite(s)).config
    expect(origins).toContain(demoOrigin)
    const { page, errors } = await signedInConsole(s)
    await page.goto(new URL(`/console/#/embed?site=${s.site}`, s.worker).href)
    const line = (origin: string) => page.locator('.tag-origins li').filter({ hasText: origin })
    await expect(line(demoOrigin).textContent()).resolves.toBe(`${demoOrigin} never loaded — check the tag`)

    const visitor = await env.browser().newPage(DESKTOP)
    try {
      const config = visitor.waitForResponse((r) => r.url().includes(`/v1/sites/${s.site}/config`) && r.status() === 200)
      await visitor.goto(s.demo)
      await config
    } finally {
      await visitor.close()
    }
    // The count is written in the background after the answer: refresh until it shows.
    await expect
      .poll(async () => {
        await page.getByRole('button', { name: 'Refresh' }).click()
        await page.getByRole('button', { name: 'Refresh' }).waitFor({ state: 'visible' })
        return line(demoOrigin).textContent()
      })
      .toMatch(/last loaded just now · 1 load today \(UTC\)$/)
    for (const other of origins.filter((o) => o !== demoOrigin)) await expect(line(other).textContent()).resolves.toContain('never loaded')
    expect(errors).toEqual([])
  })

  it('passes axe on Team and Embed at 360x640', async () => {
    const s = env.stack()
    const { page, errors } = await signedInConsole(s, { width: 360, height: 640 })
    const findings: Record<string, unknown> = {}
    for (const [name, heading, ready] of [
      ['team', `Team · ${s.site}`, 'Save the team'],
      ['embed', `Embed · ${s.site}`, 'Refresh'],
    ] as const) {
      await page.goto(new URL(`/console/#/${name}?site=${s.site}`, s.worker).href)
      await page.getByRole('heading', { level: 1, name: heading }).waitFor({ state: 'visible' })
      await page.getByRole('button', { name: ready }).waitFor({ state: 'visible' })
      await settledConsolePage(page)
      const found = await axePage(page)
      if (found.length > 0) findings[name] = found
      await page.screenshot({ path: join(ARTIFACTS, `console-${name === 'team' ? 'team-routing' : 'embed-tag-status'}-360x640.png`), fullPage: true })
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360)
    }
    expect(findings).toEqual({})
    expect(errors).toEqual([])
  })
})
