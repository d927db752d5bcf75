// End to end on the Node runtime (issue 16): a lead's card reaches a local fake Telegram, a manager
// presses "Take it", then Junk → Wrong number on the card, and the console's report in Chromium
// shows the campaign's junk with its reason. The fake Bot API records what the server calls and
// presses the buttons by the callback_data the card carries, as Telegram would.
import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { adminRequest, pollUntil } from './harness'
import { useStackAndBrowser } from './suite'

const env = useStackAndBrowser({ runtime: 'node' })
const SITE = 'e2e-loop'
const CAMPAIGN = 'e2e-loop-campaign'
const SECRET = 'e2e-loop-webhook-secret-0123'
const BOT = '4242:e2e-loop-bot-token-0123456789'

interface BotCall {
  method: string
  body: { chat_id?: unknown; text?: string; reply_markup?: { inline_keyboard: { text: string; callback_data: string }[][] } }
}

/** The Bot API as far as the server uses it: every call recorded and answered ok. */
function fakeTelegram(): Promise<{ server: Server; url: string; calls: BotCall[] }> {
  const calls: BotCall[] = []
  const read = (req: IncomingMessage) =>
    new Promise<string>((resolve) => {
      let text = ''
      req.on('data', (chunk: Buffer) => (text += chunk.toString()))
      req.on('end', () => resolve(text))
    })
  const server = createServer(async (req, res) => {
    const method = (req.url ?? '').split('/').pop() ?? ''
    calls.push({ method, body: JSON.parse((await read(req)) || '{}') as BotCall['body'] })
    res.setHeader('content-type', 'application/json')
    res.end(JSON.stringify({ ok: true, result: method === 'sendMessage' ? { message_id: calls.length } : true }))
  })
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, calls })))
}

let telegram: Awaited<ReturnType<typeof fakeTelegram>>

beforeAll(async () => {
  telegram = await fakeTelegram()
})
afterAll(() => telegram?.server.close())

/** A press on one of the card's buttons, as Telegram posts it to the bot's webhook. */
async function press(worker: string, data: string, messageId: number) {
  const response = await fetch(new URL(`/v1/telegram/${SITE}/managers`, worker), {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
    body: JSON.stringify({
      update_id: messageId,
      callback_query: { id: `cb-${data}`, from: { id: 111, first_name: 'Olga' }, data, message: { message_id: messageId, chat: { id: -1009 } } },
    }),
  })
  expect(response.status).toBe(200)
}

const button = (call: BotCall | undefined, text: RegExp) => call?.body.reply_markup?.inline_keyboard.flat().find((b) => text.test(b.text))?.callback_data

describe('the closed loop on the Node runtime', () => {
  it('a lead marked junk from the Telegram card shows in the console report', async () => {
    const s = env.stack()
    const put = await adminRequest(s, 'PUT', `/v1/admin/sites/${SITE}`, {
      origins: ['https://loop.example'],
      country: 'RU',
      locale: 'en',
      consent: { required: true, text: 'I agree.' },
      reply: { text: 'Thanks!' },
      routing: { mode: 'first_come', managers: [{ id: 'olga', name: 'Olga', telegramUserId: 111 }] },
      targets: [{ type: 'telegram', id: 'managers', botToken: BOT, chatId: -1009, locale: 'en', webhookSecret: SECRET, apiUrl: telegram.url }],
    })
    expect([200, 201]).toContain(put.status)
    const id = crypto.randomUUID()
    const posted = await fetch(new URL('/v1/leads', s.worker), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        id,
        site: SITE,
        source: 'callback',
        contact: { name: 'Anna', phone: '+79123456789' },
        consent: { given: true, text: 'I agree.' },
        elapsedMs: 6000,
        context: { utm: { source: 'e2e-ads', campaign: CAMPAIGN } },
      }),
    })
    expect(posted.status).toBe(201)

    // The card arrives with "Take it"; after the take, the card offers the outcomes.
    const card = await pollUntil(
      async () => telegram.calls.find((c) => c.method === 'sendMessage'),
      (c) => c !== undefined,
      { timeoutMs: 15_000, what: 'the card in the fake Telegram' },
    )
    await press(s.worker, button(card, /Take it/)!, 1)
    const outcomes = telegram.calls.filter((c) => c.method === 'editMessageText').at(-1)
    expect(outcomes?.body.text).toContain('✅ Taken by: <b>Olga</b>')
    await press(s.worker, button(outcomes, /Junk/)!, 1)
    const reasons = telegram.calls.filter((c) => c.method === 'editMessageReplyMarkup').at(-1)
    await press(s.worker, button(reasons, /Wrong number/)!, 1)
    expect(telegram.calls.filter((c) => c.method === 'editMessageText').at(-1)?.body.text).toContain('• Junk: wrong number — <b>Olga</b>')

    const lead = await adminRequest<{ status: string; junkReason: string; history: { kind: string; to: string | null; by: { kind: string }; source: { kind: string } }[] }>(
      s,
      'GET',
      `/v1/admin/leads/${id}`,
    )
    expect(lead.body).toMatchObject({ status: 'junk', junkReason: 'wrong_number' })
    expect(lead.body.history.map((h) => [h.kind, h.to, h.by.kind, h.source.kind])).toEqual([
      ['take', 'in_work', 'telegram', 'telegram'],
      ['status', 'junk', 'telegram', 'telegram'],
    ])

    // The console, signed in with the operator token, shows it in the report under its campaign.
    const context = await env.browser().newContext({ locale: 'en-US', viewport: { width: 1280, height: 800 } })
    try {
      const page = await context.newPage()
      await page.goto(new URL('/console/', s.worker).href)
      await page.locator('#token').fill(s.adminToken)
      await page.getByRole('button', { name: 'Sign in' }).click()
      await page.getByRole('heading', { level: 1, name: 'Leads' }).waitFor({ state: 'visible', timeout: 10_000 })
      await page.goto(new URL(`/console/#/report?site=${SITE}&by=utm_campaign`, s.worker).href)
      const row = page.locator('table.quality tbody tr').filter({ has: page.locator('th', { hasText: CAMPAIGN }) })
      await row.waitFor({ state: 'visible', timeout: 10_000 })
      await expect(row.locator('td.junk > a').first().textContent()).resolves.toBe('100 %')
      await expect(row.locator('td.junk .reasons-split').textContent()).resolves.toBe('Wrong number: 1')
    } finally {
      await context.close()
    }
  })
})
