// End to end: a visitor talks to the real-estate chatbot on the demo page as a hot buyer; the lead
// reaches the CRM inbox once, with the answers, the transcript, and a hot score the worker computed.
import { join } from 'node:path'
import { expect, it, onTestFailed } from 'vitest'
import { inboxEvents, pollUntil, tail, type InboxEvent } from './harness'
import { ARTIFACTS, useStackAndBrowser } from './suite'

const env = useStackAndBrowser()

interface ChatLead {
  source: string
  contact: { phone?: string; name?: string }
  answers?: Record<string, unknown>
  transcript?: { from: string; text: string }[]
  score: number
  temperature: string
  reasons: { rule: string }[]
  manager?: { id: string }
}

it('turns a hot buyer’s chat into one hot lead with answers, transcript and reasons', async () => {
  const s = env.stack()
  const page = await env.browser().newPage({ locale: 'ru-RU', timezoneId: 'Europe/Moscow', viewport: { width: 1280, height: 860 } })
  const pageErrors: string[] = []
  page.on('pageerror', (error) => pageErrors.push(error.message))
  onTestFailed(async () => {
    await page.screenshot({ path: join(ARTIFACTS, 'chat-failure.png') }).catch(() => {})
    console.error(`Browser errors: ${JSON.stringify(pageErrors)}\nStack output:\n${tail(s.output())}`)
  })

  await page.goto(`${s.demo}?utm_source=vk&utm_campaign=chat-test`)
  // A page link with data-leadcatcher-open="chat": no inline script needed on the host page.
  await page.getByRole('link', { name: 'Подобрать квартиру в чате' }).click()
  for (const answer of ['Купить', '2', 'Новостройка', '5–10 млн ₽', '20–50%', 'Прямо сейчас']) {
    await page.getByRole('button', { name: answer, exact: true }).click({ timeout: 15_000 })
  }
  await page.locator('#lc-chat-phone').fill('+7 912 555-44-33')
  await page.locator('#lc-chat-name').fill('Анна')
  const consent = page.locator('#lc-chat-consent')
  if (await consent.count()) await consent.check()
  await page.waitForTimeout(1500)
  await page.locator('.contact .submit').click()

  const isChatLead = (event: InboxEvent) => event.verified && event.type === 'lead.created' && event.payload?.data?.source === 'chat'
  const events = await pollUntil(
    () => inboxEvents(s),
    (list) => list.some(isChatLead),
    {
      timeoutMs: 30_000,
      what: 'a verified chat lead in the CRM inbox',
    },
  )
  await page.screenshot({ path: join(ARTIFACTS, 'chat.png') })
  const leads = events.filter(isChatLead)
  expect(leads).toHaveLength(1)
  const data = leads[0]!.payload!.data as unknown as ChatLead
  expect(data.contact.phone).toBe('+79125554433')
  expect(data.answers).toMatchObject({ intent: 'buy', rooms: '2', market: 'new', budget: '5_10m', down_payment: '20_50', timing: 'now' })
  expect(data.transcript?.length).toBeGreaterThan(6)
  expect(data.transcript?.some((line) => line.from === 'visitor' && line.text === 'Купить')).toBe(true)
  expect(data.temperature).toBe('hot')
  expect(data.reasons.map((r) => r.rule)).toEqual(expect.arrayContaining(['source.chat', 'flow.score_hot']))
  expect(data.manager?.id).toMatch(/olga|pavel/)
  expect(pageErrors).toEqual([])
})

it('fits a 320 px phone screen: the chat opens, its buttons are reachable, nothing scrolls sideways', async () => {
  const s = env.stack()
  const page = await env.browser().newPage({ locale: 'ru-RU', viewport: { width: 320, height: 568 }, isMobile: true, hasTouch: true })
  await page.goto(s.demo)
  await page.getByRole('link', { name: 'Подобрать квартиру в чате' }).click()
  const first = page.getByRole('button', { name: 'Купить', exact: true })
  await first.waitFor({ state: 'visible', timeout: 15_000 })
  const box = await first.boundingBox()
  expect(box!.x).toBeGreaterThanOrEqual(0)
  expect(box!.x + box!.width).toBeLessThanOrEqual(320)
  // A page wider than the screen would widen the layout viewport and hide clipping; measure both.
  expect(await page.evaluate(() => [window.innerWidth, document.documentElement.scrollWidth])).toEqual([320, 320])
  // The dialog and its last controls sit inside the screen, not clipped at its right edge.
  for (const name of ['Начать заново', 'Позвоните мне']) {
    const control = await page.getByRole('button', { name, exact: true }).boundingBox()
    expect(control!.x + control!.width, name).toBeLessThanOrEqual(320)
  }
  const dialog = await page.getByRole('dialog').last().boundingBox()
  expect(dialog!.x + dialog!.width).toBeLessThanOrEqual(320)
  await first.tap()
  await page.getByRole('button', { name: 'Студия', exact: true }).waitFor({ state: 'visible', timeout: 15_000 })
  await page.screenshot({ path: join(ARTIFACTS, 'chat-320.png') })
})
