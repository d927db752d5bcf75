// End to end on the travel agency's page: after 20 s on the page the chat invite appears (a status
// bubble, under axe), the visitor accepts it, answers the travel chatbot's four questions and
// leaves a phone; the CRM inbox gets one chat lead with the answers and the ad's tags. The page's
// clock is Playwright's (it runs on its own, and the tests jump it forward), so the 20 s are not
// waited out.
import { join } from 'node:path'
import { expect, it } from 'vitest'
import { pollUntil } from './harness'
import { HUMAN_PAUSE_MS, axeWidget, leadsFor, openPage, typeSlowly } from './page-helpers'
import { ARTIFACTS, useStackAndBrowser } from './suite'

const env = useStackAndBrowser()

/** scripts/start.mjs seeds the travel site with chatInvite.afterSeconds 20. */
const INVITE_AFTER_MS = 20_000

it('invites to the chat after 20 s, and the invited visitor leaves one chat lead with the answers', async () => {
  const s = env.stack()
  const { page, errors } = await openPage(env.browser(), s, 'chat-invite')
  await page.clock.install()
  await page.goto(new URL('travel.html?utm_source=invite-test&utm_campaign=tours', s.demo).href)
  await page.getByRole('button', { name: 'Перезвоните мне' }).waitFor({ state: 'visible' })

  // The bubble sits inside the widget's status region (which itself has no box: the bubble is fixed).
  // Not a second early, and there by 20 s and a bit after page start.
  const invite = page.getByRole('status').locator('.invite')
  const elapsed = await page.evaluate(() => Date.now() - performance.timeOrigin)
  await page.clock.fastForward(Math.max(0, INVITE_AFTER_MS - 1000 - elapsed))
  expect(await invite.count()).toBe(0)
  await page.clock.fastForward(2000)
  await invite.getByText('Подобрать тур за пару минут?').waitFor({ state: 'visible', timeout: 10_000 })
  // A bubble, not a dialog: nothing modal, and focus stays where the visitor left it.
  expect(await page.getByRole('dialog').count()).toBe(0)
  expect(await page.evaluate(() => document.activeElement === document.body)).toBe(true)
  await page.screenshot({ path: join(ARTIFACTS, 'chat-invite.png') })
  const axe = await axeWidget(page)
  expect(axe.serious).toEqual([])

  await invite.getByRole('button', { name: 'Открыть чат' }).click()
  const chat = page.getByRole('dialog', { name: 'Чат' })
  await chat.waitFor({ state: 'visible' })
  await invite.getByRole('button', { name: 'Открыть чат' }).waitFor({ state: 'detached' })
  for (const [question, answer] of [
    ['Куда хотите поехать?', 'Турция'],
    ['Когда? Даты или месяц.', '10–20 июня'],
    ['Сколько человек поедет?', '2'],
    ['Бюджет на человека, ₽?', '150000'],
  ] as const) {
    const field = chat.getByRole('textbox', { name: `Ваш ответ: ${question}` }).or(chat.getByRole('spinbutton', { name: `Ваш ответ: ${question}` }))
    await typeSlowly(page, field, answer)
    await field.press('Enter')
  }
  await typeSlowly(page, chat.locator('#lc-chat-phone'), '+7 916 123-45-67')
  const consent = chat.locator('#lc-chat-consent')
  if (await consent.count()) await consent.check()
  // The spam rules' minimum time on the form, on the page's clock.
  await page.clock.fastForward(HUMAN_PAUSE_MS)
  await chat.locator('.contact .submit').click()

  const leads = await pollUntil(
    () => leadsFor(s, { site: 'travel', phone: '+79161234567' }),
    (list) => list.length > 0,
    {
      timeoutMs: 30_000,
      what: 'the invited visitor’s chat lead in the CRM inbox',
    },
  )
  expect(leads).toHaveLength(1)
  const lead = leads[0]! as (typeof leads)[number] & { answers?: Record<string, unknown> }
  expect(lead.source).toBe('chat')
  expect(lead.answers).toMatchObject({ destination: 'Турция', dates: '10–20 июня', travellers: 2, budget: 150000 })
  expect(lead.context?.utm).toMatchObject({ source: 'invite-test', campaign: 'tours' })
  expect(errors).toEqual([])
})

it('goes away on Escape, with focus still on the page, and no chat opens', async () => {
  const s = env.stack()
  const { page, errors } = await openPage(env.browser(), s, 'chat-invite-escape')
  await page.clock.install()
  await page.goto(new URL('travel.html', s.demo).href)
  await page.getByRole('button', { name: 'Перезвоните мне' }).waitFor({ state: 'visible' })
  await page.clock.fastForward(INVITE_AFTER_MS + 1000)
  const invite = page.getByRole('status').locator('.invite')
  await invite.getByText('Подобрать тур за пару минут?').waitFor({ state: 'visible', timeout: 10_000 })
  expect(await page.evaluate(() => document.activeElement === document.body)).toBe(true)
  // A real key press in the page, not in the widget: content that appeared unasked is dismissable
  // without moving focus to it first (WCAG 1.4.13).
  await page.keyboard.press('Escape')
  await invite.waitFor({ state: 'detached' })
  expect(await page.getByRole('dialog').count()).toBe(0)
  expect(errors).toEqual([])
})
