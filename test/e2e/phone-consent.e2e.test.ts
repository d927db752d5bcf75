// End to end in Chromium, where layout matters (issue 20): a press on the launcher held while the
// real one replaces the facade still opens the form; the consent click right after a wrong
// number lands although the blur error appears under the phone at that moment; a phone the worker
// refuses puts the chat back on its contact step with the worker's message, and never a "thank
// you" first; the chat's long consent text is folded so Send stays on a 1280×800 screen.
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { expect, it, onTestFailed } from 'vitest'
import { inboxEvents, pollUntil, tail, type InboxEvent } from './harness'
import { ARTIFACTS, useStackAndBrowser } from './suite'

const env = useStackAndBrowser()
/** The realty flow's own end text: a promise the worker's reply replaces. */
const FLOW_END = 'Спасибо! Агент перезвонит в течение 15 минут в рабочее время.'

async function desktopPage(name: string): Promise<{ page: Page; errors: string[] }> {
  const s = env.stack()
  const page = await env.browser().newPage({ locale: 'ru-RU', timezoneId: 'Europe/Moscow', viewport: { width: 1280, height: 800 } })
  const errors: string[] = []
  page.on('pageerror', (error) => errors.push(error.message))
  onTestFailed(async () => {
    await page.screenshot({ path: join(ARTIFACTS, `${name}-failure.png`) }).catch(() => {})
    console.error(`Browser errors: ${JSON.stringify(errors)}\nStack output:\n${tail(s.output())}`)
  })
  return { page, errors }
}

it('opens the form for a press that spans the swap of the facade for the real launcher', async () => {
  const { page, errors } = await desktopPage('press-across-swap')
  // app.js held back until the press is down, so the view arrives while the pointer is held.
  let releaseApp = () => {}
  const appHeld = new Promise<void>((resolve) => {
    releaseApp = resolve
  })
  await page.route('**/app.js', async (route) => {
    await appHeld
    await route.continue()
  })
  await page.goto(env.stack().demo)
  const box = await page.getByRole('button', { name: 'Перезвоните мне' }).boundingBox()
  await page.mouse.move(box!.x + 10, box!.y + 10)
  await page.mouse.down()
  const viewArrived = page.waitForResponse((response) => /\/chunks\/view-[^/]*\.js$/.test(response.url()))
  releaseApp()
  await viewArrived
  // Time for the swap, which without the wait for the release would come now, under the pointer.
  await page.waitForTimeout(300)
  await page.mouse.up()
  // Opened by the release's own click, well before the wait's 3 s bound would have swapped.
  await page.locator('#lc-phone').waitFor({ state: 'visible', timeout: 2500 })
  expect(errors).toEqual([])
})

it('ticks the consent box on the first click right after a wrong number, the blur error moving nothing', async () => {
  const { page, errors } = await desktopPage('consent-click')
  await page.goto(env.stack().demo)
  await page.getByRole('button', { name: 'Перезвоните мне' }).click()
  // The picker appears once the phone chunk is in; from then on the blur check runs.
  await page.locator('#lc-phone-country').waitFor({ state: 'visible', timeout: 15_000 })
  const phone = page.locator('#lc-phone')
  await phone.click()
  await phone.pressSequentially('8 912 345', { delay: 40 })
  const box = page.locator('#lc-consent')
  const before = await box.boundingBox()
  // One real click: mousedown blurs the phone (the error appears), mouseup must still hit the box.
  await box.click()
  await page.locator('#lc-phone-error').waitFor({ state: 'visible' })
  expect(await page.locator('#lc-phone-error').textContent()).toBe('Похоже, в номере телефона ошибка. Проверьте его, пожалуйста.')
  expect(await box.isChecked()).toBe(true)
  expect(await box.boundingBox()).toEqual(before)
  await page.screenshot({ path: join(ARTIFACTS, 'consent-click.png') })

  // The international 00 prefix: the picker follows to Germany, named in the visitor's language.
  await phone.fill('')
  await phone.pressSequentially('004930123456', { delay: 20 })
  expect(await phone.inputValue()).toBe('+49 30 123456')
  expect(await page.locator('#lc-phone-country option:checked').textContent()).toBe('Германия +49')
  expect(await page.locator('#lc-phone-country option').first().textContent()).toBe('Россия +7')
  // The site's countries only (their metadata comes from GET /v1/sites/demo/phone-metadata).
  expect(await page.locator('#lc-phone-country option').allTextContents()).toEqual(['Россия +7', 'Казахстан +7', 'Беларусь +375', 'Германия +49'])
  // A country the site did not name: typed as is, no layout, the picker stays, and no complaint.
  await phone.fill('')
  await phone.pressSequentially('+33612345678', { delay: 20 })
  await page.locator('#lc-name').click()
  expect(await phone.inputValue()).toBe('+33612345678')
  expect(await page.locator('#lc-phone-country option:checked').textContent()).toBe('Германия +49')
  expect(await phone.getAttribute('aria-invalid')).toBe('false')
  expect(errors).toEqual([])
})

it('sends the chat back to its contact step when the worker refuses the phone, and keeps Send on screen', async () => {
  const s = env.stack()
  const { page, errors } = await desktopPage('chat-refused')
  await page.goto(s.demo)
  await page.getByRole('link', { name: 'Подобрать квартиру в чате' }).click()
  for (const answer of ['Купить', '2', 'Новостройка', '5–10 млн ₽', '20–50%', 'Прямо сейчас']) {
    await page.getByRole('button', { name: answer, exact: true }).click({ timeout: 15_000 })
  }
  const phone = page.locator('#lc-chat-phone')
  await phone.fill('+7 000 000 00 00')
  await page.locator('#lc-chat-name').fill('Анна')
  // The demo's 700-character consent is folded to its first line: Send stays on the screen.
  const consent = page.locator('#lc-chat-consent')
  await consent.check()
  await page.getByRole('button', { name: 'Подробнее' }).waitFor({ state: 'visible' })
  const send = page.locator('.contact .submit')
  const sendBox = await send.boundingBox()
  expect(sendBox!.y + sendBox!.height).toBeLessThanOrEqual(800)
  await page.screenshot({ path: join(ARTIFACTS, 'chat-consent-1280.png') })
  await page.waitForTimeout(1500)
  await send.click()

  // Refused with 400 invalid_phone (the full metadata knows no such number): the step is back.
  const error = page.locator('#lc-chat-phone-error')
  await error.waitFor({ state: 'visible', timeout: 15_000 })
  expect(await error.textContent()).toMatch(/номер/i)
  expect(await phone.inputValue()).toBe('+7 0000000000')
  expect(await page.locator('#lc-chat-name').inputValue()).toBe('Анна')
  const log = page.getByRole('log')
  expect(await log.textContent()).not.toContain(FLOW_END)
  expect(await log.textContent()).not.toContain('Спасибо')
  await page.screenshot({ path: join(ARTIFACTS, 'chat-refused.png') })

  // Fixed: one lead, and the worker's reply where the flow's promise would have been.
  await phone.fill('+7 912 555-44-33')
  await page.locator('#lc-chat-consent').check()
  await page.locator('.contact .submit').click()
  await page.getByText('Заявка отправлена.').waitFor({ state: 'visible', timeout: 20_000 })
  expect(await log.textContent()).not.toContain(FLOW_END)
  const isChatLead = (event: InboxEvent) => event.verified && event.type === 'lead.created' && event.payload?.data?.source === 'chat'
  const events = await pollUntil(
    () => inboxEvents(s),
    (list) => list.some(isChatLead),
    { timeoutMs: 30_000, what: 'the corrected chat lead in the CRM inbox' },
  )
  const leads = events.filter(isChatLead)
  expect(leads).toHaveLength(1)
  expect(leads[0]!.payload!.data!.contact.phone).toBe('+79125554433')
  expect(errors).toEqual([])
})
