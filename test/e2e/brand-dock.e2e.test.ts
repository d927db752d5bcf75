// End to end in Chromium: the widget in the site's brand and the docked chat. On a 1280×800
// desktop the chat docks in the corner and a click on the page beside it lands; the conversation
// is still there after closing and reopening it. On a 360×640 phone the launcher is a round icon
// clear of the page, the callback form a bottom sheet and the chat a full-height sheet. A site with
// a light accent gets dark text on it (the contrast rule); axe finds nothing serious; screenshots
// of each state go to artifacts/e2e/brand-*.png.
import { join } from 'node:path'
import type { BrowserContextOptions, Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { adminRequest } from './harness'
import { DESKTOP, axeWidget, boxOf, openPage } from './page-helpers'
import { ARTIFACTS, useStackAndBrowser } from './suite'

const env = useStackAndBrowser()

const WIDE: BrowserContextOptions = { ...DESKTOP, viewport: { width: 1280, height: 800 } }
const PHONE: BrowserContextOptions = {
  ...DESKTOP,
  viewport: { width: 360, height: 640 },
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true,
}

/** A button of the host page's own, in the bottom-right area where the widget sits. */
async function addPageButton(page: Page, style: string): Promise<void> {
  await page.evaluate((css) => {
    const button = document.createElement('button')
    button.id = 'page-own'
    button.textContent = 'The page’s own button'
    button.setAttribute('style', css)
    button.dataset.clicks = '0'
    button.addEventListener('click', () => (button.dataset.clicks = String(Number(button.dataset.clicks) + 1)))
    document.body.append(button)
  }, style)
}

/** WCAG contrast of two computed `rgb(…)` colours, in the page. */
async function contrastOf(page: Page, selector: string): Promise<number> {
  const [fg, bg] = await page.locator(selector).evaluate((node) => {
    const style = getComputedStyle(node)
    return [style.color, style.backgroundColor]
  })
  const luminance = (rgb: string) => {
    const [r, g, b] = (rgb.match(/\d+(\.\d+)?/g) ?? []).slice(0, 3).map((c) => {
      const v = Number(c) / 255
      return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4
    }) as [number, number, number]
    return 0.2126 * r + 0.7152 * g + 0.0722 * b
  }
  const [a, b] = [luminance(fg!), luminance(bg!)].sort((x, y) => y - x) as [number, number]
  return (a + 0.05) / (b + 0.05)
}

describe('on a 1280×800 desktop', () => {
  it('docks the chat in the corner, leaves the page usable beside it and keeps the conversation', async () => {
    const s = env.stack()
    const { page, errors } = await openPage(env.browser(), s, 'brand-dock-desktop', WIDE)
    await page.goto(s.demo)
    // The app's launcher (.root), not the facade it replaces at idle time.
    const launcher = page.locator('.root .launcher')
    await launcher.waitFor()
    // The realty site's navy (scripts/start.mjs), white on it.
    expect(await launcher.evaluate((node) => getComputedStyle(node).backgroundColor)).toBe('rgb(15, 76, 129)')
    await page.screenshot({ path: join(ARTIFACTS, 'brand-desktop.png') })

    await page.getByRole('button', { name: 'Написать в чат' }).click()
    const chat = page.getByRole('dialog', { name: 'Чат' })
    await chat.waitFor({ state: 'visible' })
    expect(await chat.getAttribute('aria-modal')).toBeNull()
    const dock = await boxOf(chat)
    // In the bottom-right corner, above the launchers, not a centred box.
    expect(dock.x + dock.width).toBeGreaterThan(1280 - 40)
    expect(dock.width).toBeLessThanOrEqual(380)
    expect(dock.y + dock.height).toBeLessThan((await boxOf(launcher)).y)
    // No backdrop: the page is not dimmed and takes a real click right beside the chat.
    await addPageButton(page, `position:fixed;right:${dock.width + 40}px;bottom:20px;padding:10px`)
    await page.locator('#page-own').click({ timeout: 5000 })
    expect(await page.locator('#page-own').getAttribute('data-clicks')).toBe('1')
    await expect.poll(() => chat.isVisible()).toBe(true)

    await chat.getByRole('button', { name: 'Купить', exact: true }).click()
    await chat.locator('.msg.visitor', { hasText: 'Купить' }).waitFor()
    // The conversation sits at the bottom of the dock, by the field, as in a messenger.
    const log = await boxOf(chat.locator('.chat-log'))
    const answer = await boxOf(chat.locator('.msg.visitor', { hasText: 'Купить' }))
    expect(answer.y).toBeGreaterThan(log.y + log.height / 2)
    await page.screenshot({ path: join(ARTIFACTS, 'brand-desktop-chat.png') })
    const axe = await axeWidget(page)
    expect(axe.serious).toEqual([])
    expect(axe.shadowPasses).toBeGreaterThan(0)

    await chat.getByRole('button', { name: 'Закрыть' }).click()
    await chat.waitFor({ state: 'hidden' })
    await page.getByRole('button', { name: 'Написать в чат' }).click()
    await chat.waitFor({ state: 'visible' })
    expect(await chat.locator('.msg.visitor').allTextContents()).toEqual(['Купить'])
    expect(errors).toEqual([])
  })

  it('gives a light accent dark text, so the launcher and the buttons keep 4.5:1', async () => {
    const s = env.stack()
    const site = `bright-${Date.now()}`
    const origin = new URL(s.demo).origin
    const put = await adminRequest(s, 'PUT', `/v1/admin/sites/${site}`, {
      origins: [origin],
      consent: { required: true, text: 'Согласен на обработку персональных данных.' },
      brand: { accent: '#f2b705', launcher: { text: 'Жду звонка' } },
    })
    expect(put.status).toBeLessThan(300)
    const { page, errors } = await openPage(env.browser(), s, 'brand-contrast', WIDE)
    await page.goto(new URL('privacy.html', s.demo).href)
    await page.evaluate(
      ([src, key]) => {
        const script = document.createElement('script')
        script.src = src!
        script.dataset.site = key!
        document.body.append(script)
      },
      [new URL('widget.js', s.worker).href, site],
    )
    const launcher = page.locator('.root').getByRole('button', { name: 'Жду звонка' })
    await launcher.waitFor()
    expect(await launcher.evaluate((node) => getComputedStyle(node).backgroundColor)).toBe('rgb(242, 183, 5)')
    // White on this yellow is 1.9:1; the worker chose the dark text instead.
    expect(await contrastOf(page, '.launcher')).toBeGreaterThanOrEqual(4.5)
    await launcher.click()
    await page.getByRole('dialog').waitFor()
    expect(await contrastOf(page, '.submit')).toBeGreaterThanOrEqual(4.5)
    // The consent box is ticked in the accent's readable shade (shared/brand.ts inkOf), not the browser's blue.
    expect(await page.locator('.consent input').evaluate((node) => getComputedStyle(node).accentColor)).toBe('rgb(145, 110, 3)')
    await page.screenshot({ path: join(ARTIFACTS, 'brand-contrast.png') })
    expect((await axeWidget(page)).serious).toEqual([])
    expect(errors).toEqual([])
  })

  it('moves subtly, and not at all for a visitor who asks for reduced motion', async () => {
    const s = env.stack()
    const motion = async (reducedMotion: 'reduce' | 'no-preference') => {
      const { page } = await openPage(env.browser(), s, `brand-motion-${reducedMotion}`, { ...WIDE, reducedMotion })
      await page.goto(s.demo)
      await page.locator('.root .chat-launcher').click()
      const dock = page.getByRole('dialog', { name: 'Чат' })
      await dock.waitFor({ state: 'visible' })
      const result = {
        dock: await dock.evaluate((node) => getComputedStyle(node).animationName),
        launcher: await page.locator('.root .launcher').evaluate((node) => getComputedStyle(node).transitionDuration),
      }
      await page.close()
      return result
    }
    expect(await motion('no-preference')).toEqual({ dock: 'lc-in', launcher: '0.2s' })
    expect(await motion('reduce')).toEqual({ dock: 'none', launcher: '0s' })
  })
})

describe('on a 360×640 phone', () => {
  it('takes no room on the page: it lays out the same with and without the widget', async () => {
    const s = env.stack()
    const layout = async (withWidget: boolean) => {
      const { page } = await openPage(env.browser(), s, `brand-layout-${withWidget}`, PHONE)
      if (!withWidget) await page.route('**/widget.js', (route) => route.abort())
      await page.goto(new URL('travel.html', s.demo).href)
      if (withWidget) await page.locator('.root .launcher').waitFor()
      else await page.waitForLoadState('networkidle')
      const result = await page.evaluate(() => {
        const footer = document.querySelector('footer')?.getBoundingClientRect()
        return { height: document.documentElement.scrollHeight, width: document.documentElement.scrollWidth, footer: footer && [footer.top, footer.height] }
      })
      await page.close()
      return result
    }
    const bare = await layout(false)
    expect(bare.footer).toBeDefined()
    expect(await layout(true)).toEqual(bare)
  })

  it('shows round launchers clear of the page, the form as a bottom sheet and the chat full height', async () => {
    const s = env.stack()
    const { page, errors } = await openPage(env.browser(), s, 'brand-phone', PHONE)
    await page.goto(new URL('travel.html', s.demo).href)
    // The app's launcher (.root), not the facade it replaces at idle time.
    const launcher = page.locator('.root .launcher')
    await launcher.waitFor()
    const round = await boxOf(launcher)
    expect(round.width).toBe(56)
    expect(round.height).toBe(56)
    // Travel is in the left corner (scripts/start.mjs), 16 px from the edges.
    const chatLauncher = await boxOf(page.locator('.chat-launcher'))
    expect(Math.min(round.x, chatLauncher.x)).toBe(16)
    expect(round.y + round.height).toBe(640 - 16)
    // The launchers take two icons' width, not half the screen, and their name is still the text.
    expect(Math.max(round.x + round.width, chatLauncher.x + chatLauncher.width)).toBeLessThan(160)
    await page.getByRole('button', { name: 'Перезвоните мне' }).waitFor()
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360)
    await page.screenshot({ path: join(ARTIFACTS, 'brand-phone.png') })

    await launcher.tap()
    const form = page.getByRole('dialog', { name: 'Обратный звонок' })
    await form.waitFor({ state: 'visible' })
    await page.waitForTimeout(400)
    const sheet = await boxOf(form)
    expect(sheet.x).toBe(0)
    expect(sheet.width).toBe(360)
    expect(Math.round(sheet.y + sheet.height)).toBe(640)
    await page.screenshot({ path: join(ARTIFACTS, 'brand-phone-callback.png') })
    expect((await axeWidget(page)).serious).toEqual([])
    await form.getByRole('button', { name: 'Закрыть' }).tap()

    await page.locator('.chat-launcher').tap()
    const chat = page.getByRole('dialog', { name: 'Чат' })
    await chat.waitFor({ state: 'visible' })
    await page.waitForTimeout(400)
    expect(await boxOf(chat)).toEqual({ x: 0, y: 0, width: 360, height: 640 })
    // The sheet covers the launchers too: what is at the bottom corner now is the chat's own.
    const corner = await page.evaluate(() => {
      const host = document.querySelector('leadcatcher-widget')
      return host?.shadowRoot?.elementFromPoint(40, 600)?.closest('.dock, .launchers')?.className
    })
    expect(corner).toBe('dock')
    await page.screenshot({ path: join(ARTIFACTS, 'brand-phone-chat.png') })
    expect((await axeWidget(page)).serious).toEqual([])
    expect(errors).toEqual([])
  })
})
