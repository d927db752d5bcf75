// The managers' bot webhook: secret token check and the first-come "Take it" race.
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test'
import { env, exports } from 'cloudflare:workers'
import worker from '../../worker/src/cloudflare/index'
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { leadRequest, putSite, siteConfig, uniqueSite, validLead } from './helpers'

const SECRET = 'tg-webhook-secret-0123456789'
const BOT = '123456:ABCdefGHIjklMNOpqrSTUvwxYZ0123456789'
const site = uniqueSite('tg')
const lead = validLead(site)

beforeAll(async () => {
  await putSite(
    site,
    siteConfig({
      targets: [{ type: 'telegram', id: 'managers', botToken: BOT, chatId: -1001234567890, webhookSecret: SECRET } as never],
      routing: {
        mode: 'first_come',
        managers: [
          { id: 'olga', name: 'Ольга <b>', telegramUserId: 111 },
          { id: 'pavel', name: 'Павел', telegramUserId: 222 },
        ],
      },
    }),
  )
  vi.spyOn(globalThis, 'fetch').mockResolvedValue(Response.json({ ok: true, result: { message_id: 1 } }))
  // Wait for the card delivery too, so it cannot land in a later test's fetch stub.
  const ctx = createExecutionContext()
  expect((await worker.fetch(leadRequest(lead), env, ctx)).status).toBe(201)
  await waitOnExecutionContext(ctx)
  vi.restoreAllMocks()
})

afterEach(() => {
  vi.restoreAllMocks()
})

function press(userId: number, data = `take:${lead.id}`, secret: string | null = SECRET) {
  const headers: Record<string, string> = { 'Content-Type': 'application/json' }
  if (secret !== null) headers['X-Telegram-Bot-Api-Secret-Token'] = secret
  return exports.default.fetch(
    new Request(`https://worker.test/v1/telegram/${site}/managers`, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        update_id: 1,
        callback_query: { id: `cb-${userId}`, from: { id: userId, first_name: 'x' }, data, message: { message_id: 77, chat: { id: -1001234567890 } } },
      }),
    }),
  )
}

function botCalls() {
  const calls: { method: string; body: Record<string, unknown> }[] = []
  vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
    const request = new Request(input, init)
    calls.push({ method: request.url.split('/').pop()!, body: (await request.json()) as Record<string, unknown> })
    return Response.json({ ok: true, result: true })
  })
  return calls
}

describe('Telegram updates', () => {
  it('refuses updates without the right secret token', async () => {
    const calls = botCalls()
    expect((await press(111, undefined, null)).status).toBe(401)
    expect((await press(111, undefined, 'wrong')).status).toBe(401)
    expect(calls).toEqual([])
    const row = await env.DB.prepare('SELECT taken_by FROM leads WHERE id = ?').bind(lead.id).first()
    expect(row).toEqual({ taken_by: null })
  })

  it('gives the lead to the first press, edits the card, and tells the second press it is taken', async () => {
    const calls = botCalls()
    const [first, second] = await Promise.all([press(111), press(222)])
    const bodies = [(await first.json()) as { taken?: boolean }, (await second.json()) as { taken?: boolean }]
    expect(bodies.map((b) => b.taken).sort()).toEqual([false, true])
    const winner = bodies[0]!.taken ? 'olga' : 'pavel'
    expect(await env.DB.prepare('SELECT taken_by FROM leads WHERE id = ?').bind(lead.id).first()).toEqual({ taken_by: winner })
    const edit = calls.find((c) => c.method === 'editMessageText')!
    expect(edit.body).toMatchObject({ chat_id: -1001234567890, message_id: 77, parse_mode: 'HTML' })
    // The take is done: the card offers the outcomes instead.
    const buttons = (edit.body.reply_markup as { inline_keyboard: { callback_data: string }[][] }).inline_keyboard.flat()
    expect(buttons.map((b) => b.callback_data)).toEqual(['q', 'w', 'n', 'j'].map((code) => `st:${lead.id}:${code}`))
    // The manager's name is escaped: config text is never markup.
    expect(edit.body.text).toContain(winner === 'olga' ? 'Ольга &lt;b&gt;' : 'Павел')
    const answers = calls.filter((c) => c.method === 'answerCallbackQuery').map((c) => c.body.text)
    expect(answers).toHaveLength(2)
    expect(answers.some((t) => String(t).startsWith('Уже взял'))).toBe(true)
  })

  it('after the take, marks the outcome from the card: junk asks its reason, and the card says who did what', async () => {
    const calls = botCalls()
    const holder = (await env.DB.prepare('SELECT taken_by FROM leads WHERE id = ?').bind(lead.id).first<{ taken_by: string }>())!.taken_by
    const user = holder === 'olga' ? 111 : 222
    const other = holder === 'olga' ? 222 : 111

    const junk = await press(user, `st:${lead.id}:j`)
    expect(junk.status).toBe(200)
    const reasons = calls.find((c) => c.method === 'editMessageReplyMarkup')!
    const reasonButtons = (reasons.body.reply_markup as { inline_keyboard: { callback_data: string }[][] }).inline_keyboard.flat()
    expect(reasonButtons.map((b) => b.callback_data)).toEqual(['jw', 'js', 'jo', 'b'].map((code) => `st:${lead.id}:${code}`))
    // Asking for the reasons changes nothing yet.
    expect(await env.DB.prepare('SELECT stage FROM leads WHERE id = ?').bind(lead.id).first()).toEqual({ stage: 'in_work' })

    // Another manager of the site may record it too; the card names them.
    expect(await (await press(other, `st:${lead.id}:jw`)).json()).toEqual({ ok: true, status: 'changed' })
    expect(await env.DB.prepare('SELECT stage, junk_reason FROM leads WHERE id = ?').bind(lead.id).first()).toEqual({
      stage: 'junk',
      junk_reason: 'wrong_number',
    })
    const edit = calls.filter((c) => c.method === 'editMessageText').at(-1)!
    const text = String(edit.body.text)
    const names = { 111: 'Ольга &lt;b&gt;', 222: 'Павел' } as const
    expect(text).toMatch(new RegExp(`✅ Взял\\(а\\): <b>${names[user]}</b> · \\d\\d\\.\\d\\d \\d\\d:\\d\\d`))
    expect(text).toMatch(new RegExp(`• Брак: неверный номер — <b>${names[other]}</b> · \\d\\d\\.\\d\\d \\d\\d:\\d\\d`))
    expect(calls.filter((c) => c.method === 'answerCallbackQuery').at(-1)!.body.text).toBe('✔ Брак: неверный номер')

    // The same press again (a double tap) changes nothing twice.
    expect(await (await press(other, `st:${lead.id}:jw`)).json()).toEqual({ ok: true, status: 'unchanged' })
    const events = await env.DB.prepare("SELECT actor_kind, actor_id, source, to_status, reason FROM lead_events WHERE lead_id = ? AND kind = 'status'").bind(lead.id).all()
    expect(events.results).toEqual([{ actor_kind: 'telegram', actor_id: String(other), source: 'telegram', to_status: 'junk', reason: 'wrong_number' }])

    // Not on the list: told so, nothing changes.
    await press(999, `st:${lead.id}:w`)
    expect(calls.at(-1)).toMatchObject({ method: 'answerCallbackQuery', body: { show_alert: true } })
    expect(await env.DB.prepare('SELECT stage FROM leads WHERE id = ?').bind(lead.id).first()).toEqual({ stage: 'junk' })
  })

  it('takes no erased lead: the press on its old card is told so, and nothing is recorded or sent', async () => {
    vi.spyOn(globalThis, 'fetch').mockResolvedValue(Response.json({ ok: true, result: { message_id: 2 } }))
    const gone = validLead(site)
    const ctx = createExecutionContext()
    expect((await worker.fetch(leadRequest(gone), env, ctx)).status).toBe(201)
    await waitOnExecutionContext(ctx)
    vi.restoreAllMocks()
    const erasure = await exports.default.fetch(
      new Request('https://worker.test/v1/admin/erasure', {
        method: 'POST',
        headers: { Authorization: `Bearer ${env.ADMIN_TOKEN}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ site, phone: gone.contact.phone }),
      }),
    )
    expect(erasure.status).toBe(200)
    const deliveriesBefore = await env.DB.prepare('SELECT count(*) AS n FROM deliveries WHERE lead_id = ?').bind(gone.id).first()
    const calls = botCalls()
    const answer = await press(222, `take:${gone.id}`)
    expect(await answer.json()).toEqual({ ok: true, taken: false })
    expect(calls.map((c) => [c.method, c.body.text])).toEqual([['answerCallbackQuery', 'Данные этой заявки удалены.']])
    expect(await env.DB.prepare('SELECT taken_by FROM leads WHERE id = ?').bind(gone.id).first()).toEqual({ taken_by: null })
    expect(await env.DB.prepare("SELECT count(*) AS n FROM lead_events WHERE lead_id = ? AND kind = 'take'").bind(gone.id).first()).toEqual({ n: 0 })
    expect(await env.DB.prepare('SELECT count(*) AS n FROM deliveries WHERE lead_id = ?').bind(gone.id).first()).toEqual(deliveriesBefore)
  })

  it('turns away a press from someone who is not a manager, and ignores other updates', async () => {
    const calls = botCalls()
    expect((await press(999)).status).toBe(200)
    expect(calls[0]).toMatchObject({ method: 'answerCallbackQuery', body: { show_alert: true } })
    const other = await press(111, 'something-else')
    expect(await other.json()).toEqual({ ok: true })
  })

  it('answers 404 for a site or target without a bot webhook', async () => {
    const response = await exports.default.fetch(
      new Request(`https://worker.test/v1/telegram/${site}/nope`, { method: 'POST', headers: { 'X-Telegram-Bot-Api-Secret-Token': SECRET }, body: '{}' }),
    )
    expect(response.status).toBe(404)
  })
})
