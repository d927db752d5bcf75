// End to end on hard pages and for every visitor: a strict-CSP page and a hostile-CSS page (the
// widget renders, submits, and CSP reports nothing), a 360×640 phone (usable, no sideways scroll),
// axe-core on the open dialogs, and the callback form from the keyboard alone (English page).
import { join } from 'node:path'
import type { Locator, Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { pollUntil, type Stack } from './harness'
import { DESKTOP, HUMAN_PAUSE_MS, HUMAN_TYPING_DELAY_MS, axeWidget, boxOf, leadsFor, openPage, typeSlowly } from './page-helpers'
import { ARTIFACTS, useStackAndBrowser } from './suite'

const env = useStackAndBrowser()

/** Submits the demo site's (Russian) callback form at a person's pace and waits for the reply. */
async function requestCallback(page: Page, stack: Stack, phone: string) {
  const dialog = page.getByRole('dialog', { name: 'Обратный звонок' })
  await typeSlowly(page, dialog.getByRole('textbox', { name: 'Телефон', exact: true }), phone)
  await dialog.getByRole('checkbox', { name: /Я даю согласие/ }).check()
  await page.waitForTimeout(HUMAN_PAUSE_MS)
  await dialog.getByRole('button', { name: 'Жду звонка' }).click()
  await page.getByText(stack.reply).waitFor({ state: 'visible', timeout: 20_000 })
}

async function oneLead(stack: Stack, match: { site?: string; phone: string }) {
  const leads = await pollUntil(
    () => leadsFor(stack, match),
    (list) => list.length > 0,
    {
      timeoutMs: 30_000,
      what: `a verified lead with ${match.phone} in the CRM inbox`,
    },
  )
  expect(leads).toHaveLength(1)
  return leads[0]!
}

describe('hostile pages', () => {
  it('works on a page with a strict CSP, and the CSP reports no violation', async () => {
    const s = env.stack()
    const { page, errors } = await openPage(env.browser(), s, 'strict-csp')
    // Init scripts run outside the page's CSP, so the probe itself is never what gets blocked.
    await page.addInitScript(() => {
      const seen: string[] = []
      Object.assign(window, { cspViolations: seen })
      document.addEventListener('securitypolicyviolation', (event) => seen.push(`${event.violatedDirective} ${event.blockedURI}`))
    })
    const violations = () => page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations)

    const response = await page.goto(new URL('strict-csp.html', s.demo).href)
    // The page's buttons work once widget.js has run; its launcher says so.
    await page.getByRole('button', { name: 'Перезвоните мне' }).waitFor({ state: 'visible', timeout: 15_000 })
    const csp = response?.headers()['content-security-policy'] ?? ''
    expect(csp).toContain("default-src 'self'")
    expect(csp).toContain(`script-src 'self' ${s.worker}`)
    expect(csp).toContain(`connect-src 'self' ${s.worker}`)
    expect(csp).not.toContain('unsafe-inline')

    // The page's own button opens the widget through data-leadcatcher-open: no inline script.
    await page.getByRole('link', { name: 'Рассчитать ипотеку со специалистом' }).click()
    await requestCallback(page, s, '8 (912) 600-70-80')
    await page.screenshot({ path: join(ARTIFACTS, 'strict-csp.png') })
    const lead = await oneLead(s, { phone: '+79126007080' })
    expect(lead.source).toBe('callback')

    // The chat is one more lazy chunk with its own styles: it must load under the CSP too.
    await page.evaluate(() => (window as unknown as { Leadcatcher: (...args: unknown[]) => void }).Leadcatcher('open', 'chat'))
    await page.getByRole('button', { name: 'Купить', exact: true }).waitFor({ state: 'visible', timeout: 15_000 })

    expect(await violations()).toEqual([])
    expect(errors).toEqual([])
    // The probe works: an inline script, which this CSP forbids, is reported.
    await page.evaluate(() => {
      const script = document.createElement('script')
      script.textContent = 'void 0'
      document.body.append(script)
    })
    await expect.poll(violations).toEqual([expect.stringMatching(/^script-src-elem inline$/)])
  })

  it('looks and works the same on a page with hostile global CSS', async () => {
    const s = env.stack()
    const { page, errors } = await openPage(env.browser(), s, 'hostile-css')
    await page.goto(new URL('hostile-css.html', s.demo).href)
    const launcher = page.getByRole('button', { name: 'Перезвоните мне' })
    await launcher.waitFor({ state: 'visible', timeout: 15_000 })

    // Nothing of the page (a promo bar at z-index 99999999 included) covers the launcher.
    const box = await boxOf(launcher)
    const topmost = (x: number, y: number) => page.evaluate(([px, py]) => document.elementFromPoint(px!, py!)?.localName ?? null, [x, y])
    expect(await topmost(box.x + box.width / 2, box.y + box.height / 2)).toBe('leadcatcher-widget')

    await launcher.click()
    const dialog = page.getByRole('dialog', { name: 'Обратный звонок' })
    await dialog.waitFor({ state: 'visible' })
    // The overlay is above the page's sticky header at z-index 2147483647.
    expect(await topmost(640, 20)).toBe('leadcatcher-widget')
    // The page's inherited text tricks (uppercase, spaced, right-aligned) stop at the widget.
    const heading = await dialog.getByRole('heading', { name: 'Обратный звонок' }).evaluate((node) => {
      const style = getComputedStyle(node)
      return { textTransform: style.textTransform, letterSpacing: style.letterSpacing, textAlign: style.textAlign }
    })
    expect(heading).toEqual({ textTransform: 'none', letterSpacing: 'normal', textAlign: 'start' })

    await requestCallback(page, s, '8 (912) 600-70-81')
    await page.screenshot({ path: join(ARTIFACTS, 'hostile-css.png') })
    expect((await oneLead(s, { phone: '+79126007081' })).source).toBe('callback')
    expect(errors).toEqual([])
  })
})

const PHONE = { width: 360, height: 640 }

describe('mobile 360×640', () => {
  it('every demo page fits the screen with the launcher in reach, and the form works by touch', async () => {
    const s = env.stack()
    const { page, errors } = await openPage(env.browser(), s, 'mobile', {
      locale: 'ru-RU',
      timezoneId: 'Europe/Moscow',
      viewport: PHONE,
      isMobile: true,
      hasTouch: true,
    })
    // A page wider than the screen widens the layout viewport; both widths tell.
    const widths = () => page.evaluate(() => [window.innerWidth, document.documentElement.scrollWidth])
    const inScreen = async (locator: Locator) => {
      // Where it comes to rest: the phone's bottom sheet slides up from below the screen.
      await locator.evaluate((node) => Promise.all(node.getAnimations().map((animation) => animation.finished)))
      const box = await boxOf(locator)
      expect(box.x).toBeGreaterThanOrEqual(0)
      expect(box.y).toBeGreaterThanOrEqual(0)
      expect(box.x + box.width).toBeLessThanOrEqual(PHONE.width)
      expect(box.y + box.height).toBeLessThanOrEqual(PHONE.height)
    }

    for (const [path, label] of [
      ['english-school.html', 'Call me back'],
      ['travel.html', 'Перезвоните мне'],
      ['strict-csp.html', 'Перезвоните мне'],
      ['', 'Перезвоните мне'],
    ] as const) {
      await page.goto(new URL(path, s.demo).href)
      const launcher = page.getByRole('button', { name: label })
      await launcher.waitFor({ state: 'visible', timeout: 15_000 })
      await inScreen(launcher)
      expect(await widths(), path || 'index.html').toEqual([PHONE.width, PHONE.width])
      await page.screenshot({ path: join(ARTIFACTS, `mobile-${path.replace('.html', '') || 'index'}.png`) })
    }

    // The last page is the realty index: ask for a call by touch.
    await page.getByRole('button', { name: 'Перезвоните мне' }).tap()
    const dialog = page.getByRole('dialog', { name: 'Обратный звонок' })
    await dialog.waitFor({ state: 'visible' })
    await inScreen(dialog)
    expect(await widths()).toEqual([PHONE.width, PHONE.width])
    const phone = dialog.getByRole('textbox', { name: 'Телефон', exact: true })
    await phone.tap()
    await phone.pressSequentially('8 912 600-70-82', { delay: HUMAN_TYPING_DELAY_MS })
    const consent = dialog.getByRole('checkbox', { name: /Я даю согласие/ })
    await consent.tap()
    expect(await consent.isChecked()).toBe(true)
    await page.screenshot({ path: join(ARTIFACTS, 'mobile-dialog.png') })
    await page.waitForTimeout(HUMAN_PAUSE_MS)
    const submit = dialog.getByRole('button', { name: 'Жду звонка' })
    await inScreen(submit)
    await submit.tap()
    await page.getByText(s.reply).waitFor({ state: 'visible', timeout: 20_000 })
    expect(await widths()).toEqual([PHONE.width, PHONE.width])
    await page.screenshot({ path: join(ARTIFACTS, 'mobile-reply.png') })
    expect((await oneLead(s, { phone: '+79126007082' })).source).toBe('callback')
    expect(errors).toEqual([])
  })
})

/** The focused element, looking through shadow roots, as `tag[type] name` (its label or text). */
function focused(page: Page): Promise<string> {
  return page.evaluate(() => {
    let node: Element | null = document.activeElement
    while (node?.shadowRoot?.activeElement) node = node.shadowRoot.activeElement
    if (!node) return 'nothing'
    const label = (node as HTMLInputElement).labels?.[0]?.textContent
    const name = (node.getAttribute('aria-label') ?? label ?? node.textContent ?? '').trim().slice(0, 40)
    const type = node.getAttribute('type')
    return `${node.localName}${type ? `[${type}]` : ''} ${name}`.trim()
  })
}

/** Presses Tab until `want` describes the focused element; fails after `max` presses. */
async function tabTo(page: Page, want: RegExp, max: number): Promise<number> {
  for (let presses = 1; presses <= max; presses++) {
    await page.keyboard.press('Tab')
    if (want.test(await focused(page))) return presses
  }
  throw new Error(`${want} never got focus in ${max} Tab presses; focus is on "${await focused(page)}"`)
}

const LAUNCHER_FOCUSED = /^button(\[button\])? Call me back$/

describe('accessibility', () => {
  it('axe finds no serious or critical problem in the open callback and chat dialogs', async () => {
    const s = env.stack()
    const { page } = await openPage(env.browser(), s, 'axe')
    await page.goto(s.demo)
    await page.getByRole('button', { name: 'Перезвоните мне' }).click()
    await page.getByRole('dialog', { name: 'Обратный звонок' }).getByRole('textbox', { name: 'Телефон', exact: true }).waitFor()
    // The country picker arrives with the phone chunk; check the finished form.
    await page.getByRole('combobox', { name: 'Страна' }).waitFor()
    const callback = await axeWidget(page)
    expect(callback.serious).toEqual([])
    expect(callback.shadowPasses).toBeGreaterThan(5)

    await page.keyboard.press('Escape')
    await page.getByRole('link', { name: 'Подобрать квартиру в чате' }).click()
    await page.getByRole('button', { name: 'Купить', exact: true }).click({ timeout: 15_000 })
    await page.getByRole('button', { name: '2', exact: true }).waitFor({ state: 'visible', timeout: 15_000 })
    const chat = await axeWidget(page)
    expect(chat.serious).toEqual([])
    expect(chat.shadowPasses).toBeGreaterThan(5)
  })

  it('opens without motion for a visitor who asks for reduced motion, and with it for others', async () => {
    const s = env.stack()
    const animationOf = async (reducedMotion: 'reduce' | 'no-preference') => {
      const { page } = await openPage(env.browser(), s, `motion-${reducedMotion}`, { ...DESKTOP, reducedMotion })
      await page.goto(s.demo)
      await page.getByRole('button', { name: 'Перезвоните мне' }).click()
      const dialog = page.getByRole('dialog', { name: 'Обратный звонок' })
      await dialog.waitFor({ state: 'visible' })
      const name = await dialog.evaluate((node) => getComputedStyle(node).animationName)
      await page.close()
      return name
    }
    expect(await animationOf('reduce')).toBe('none')
    // The control: the same dialog does animate without the preference, so 'none' above is ours.
    expect(await animationOf('no-preference')).toBe('lc-in')
  })

  it('takes a callback request from the keyboard alone, in English, and gives focus back', async () => {
    const s = env.stack()
    const { page, errors } = await openPage(env.browser(), s, 'keyboard', { ...DESKTOP, locale: 'en-GB', timezoneId: 'Europe/London' })
    await page.goto(new URL('english-school.html', s.demo).href)
    await page.getByRole('button', { name: 'Call me back' }).waitFor({ state: 'visible', timeout: 15_000 })

    // The launcher is the last thing on the page in tab order.
    await tabTo(page, LAUNCHER_FOCUSED, 60)
    await page.keyboard.press('Enter')
    const dialog = page.getByRole('dialog', { name: 'Request a call back' })
    await dialog.waitFor({ state: 'visible' })
    // Focus lands in the phone field; the country picker before it is one Shift+Tab away.
    expect(await focused(page)).toMatch(/^input\[tel\] Phone$/)
    await dialog.getByRole('combobox', { name: 'Country' }).waitFor()
    await page.keyboard.type('07911 123456', { delay: HUMAN_TYPING_DELAY_MS })
    await tabTo(page, /^input(\[text\])? Name \(optional\)$/, 1)
    await page.keyboard.type('Marta', { delay: HUMAN_TYPING_DELAY_MS })
    await tabTo(page, /^input\[checkbox\] I agree/, 1)
    await page.keyboard.press('Space')
    expect(await dialog.getByRole('checkbox', { name: /I agree/ }).isChecked()).toBe(true)
    await page.waitForTimeout(HUMAN_PAUSE_MS)
    await tabTo(page, /^button\[submit\] Request a call$/, 3)
    await page.keyboard.press('Enter')

    const reply = 'Thank you! A teacher will call you back within 30 seconds to book your trial lesson.'
    await dialog.getByText(reply).waitFor({ state: 'visible', timeout: 20_000 })
    await page.screenshot({ path: join(ARTIFACTS, 'keyboard-reply.png') })
    await page.keyboard.press('Escape')
    await dialog.waitFor({ state: 'hidden' })
    expect(await focused(page)).toMatch(LAUNCHER_FOCUSED)

    const lead = await oneLead(s, { site: 'english-school', phone: '+447911123456' })
    expect(lead.contact.name).toBe('Marta')
    expect(lead.consent?.given).toBe(true)
    expect(lead.context?.locale).toMatch(/^en/)
    expect(errors).toEqual([])
  })
})
