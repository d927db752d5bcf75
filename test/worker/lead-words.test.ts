// What managers read: a chat lead's answers as the visitor clicked them and the score's reasons in
// the card's language, end to end through POST /v1/leads on both runtimes: the Telegram card
// (Russian and English), the webhook (codes kept, labels beside them), the "call me instead" lead
// and the CSV export; erasure takes the labels with the answers.
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import realty from '../../demo/flows/realty.json'
import worker from '../../worker/src/cloudflare/index'
import { WEBHOOK_TARGET, adminRequest, leadRequest, putSite, randomMobile, siteConfig, uniqueSite, validLead } from './helpers'

const site = uniqueSite('words')
const telegram = (id: string, locale: 'ru' | 'en') => ({
  type: 'telegram' as const,
  id,
  botToken: '123456:ABCdefGhIJKlmNoPQRstuVWXyz012345',
  chatId: -1001234567890,
  locale,
})

beforeAll(async () => {
  await putSite(site, siteConfig({ chat: { flow: realty }, targets: [WEBHOOK_TARGET, telegram('tg-ru', 'ru'), telegram('tg-en', 'en')] }))
})
afterEach(() => {
  vi.restoreAllMocks()
})

interface Sent {
  url: string
  body: Record<string, unknown>
}

/** Posts the lead with every target answering; returns what each target was sent. */
async function submit(lead: ReturnType<typeof validLead>): Promise<Sent[]> {
  const sent: Sent[] = []
  vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
    const request = new Request(input, init)
    sent.push({ url: request.url, body: (await request.json()) as Record<string, unknown> })
    return request.url.includes('api.telegram.org') ? Response.json({ ok: true, result: { message_id: 7 } }) : new Response(null, { status: 204 })
  })
  const ctx = createExecutionContext()
  const response = await worker.fetch(leadRequest(lead), env, ctx)
  await waitOnExecutionContext(ctx)
  expect(response.status).toBe(201)
  return sent
}

const cards = (sent: Sent[]) => sent.filter((s) => s.url.includes('api.telegram.org')).map((s) => s.body.text as string)
const webhook = (sent: Sent[]) => sent.find((s) => s.url === WEBHOOK_TARGET.url)!.body.data as Record<string, unknown>

/** "до 5 млн, без взноса, просто смотрю": the walkthrough's lead, answered in Russian. */
const justLooking = { intent: 'buy', rooms: '1', market: 'any', budget: 'under_5m', down_payment: 'none', timing: 'just_looking' }

describe('a chat lead as the managers read it', () => {
  it('shows the labels the visitor clicked and Russian reasons on a Russian card, English ones on an English card', async () => {
    const lead = validLead(site, { source: 'chat', locale: 'ru', contact: { name: 'Анна', phone: randomMobile() }, answers: justLooking })
    const [ru, en] = cards(await submit(lead))
    expect(ru).toContain('• Какой у вас бюджет? — до 5 млн ₽')
    expect(ru).toContain('• Когда планируете покупку? — Просто смотрю')
    expect(ru).toContain('<i>+10 оставил(а) заявку</i>')
    expect(ru).toContain('<i>-20 просто смотрит</i>')
    // The flow's own reason, in the flow's Russian.
    expect(ru).toContain('<i>-10 просто смотрит</i>')
    expect(ru).not.toMatch(/under_5m|just_looking|left a request|just looking/)
    // The English card: reasons in English, answers as the visitor saw them (in Russian).
    expect(en).toContain('• Какой у вас бюджет? — до 5 млн ₽')
    expect(en).toContain('<i>+10 left a request</i>')
    expect(en).toContain('<i>-10 just looking</i>')
  })

  it('keeps the codes in the webhook and adds the labels beside them, in the visitor’s language', async () => {
    const lead = validLead(site, { source: 'chat', locale: 'en', contact: { phone: randomMobile() }, answers: justLooking })
    const data = webhook(await submit(lead))
    expect(data.answers).toEqual(justLooking)
    expect((data.answerLabels as Record<string, unknown>).budget).toEqual({ question: 'What is your budget?', answer: 'under 5M ₽' })
    expect(Object.keys(data.answerLabels as object)).toEqual(Object.keys(justLooking))
    const reasons = data.reasons as { rule: string; text: string; texts?: Record<string, string> }[]
    expect(reasons.find((r) => r.rule === 'flow.score_looking')).toEqual({
      rule: 'flow.score_looking',
      points: -10,
      text: 'just looking',
      texts: { ru: 'просто смотрит', en: 'just looking' },
    })
  })

  it('labels a "call me instead" lead’s chat answers, with its message in words', async () => {
    const lead = validLead(site, {
      source: 'callback',
      contact: { phone: randomMobile() },
      answers: { intent: 'sell', property: 'flat' },
      message: 'Вы хотите купить или продать? — Продать; Что продаёте? — Квартиру',
    })
    const [ru] = cards(await submit(lead))
    expect(ru).toContain('• Вы хотите купить или продать? — Продать')
    expect(ru).toContain('• Что продаёте? — Квартиру')
  })

  it('exports the reasons in the lead’s language in the CSV, and forgets the labels with the answers', async () => {
    const phone = randomMobile()
    const lead = validLead(site, { source: 'chat', locale: 'ru', contact: { phone }, answers: justLooking })
    await submit(lead)
    const csv = await (await adminRequest('GET', `/v1/admin/leads?site=${site}&format=csv`)).text()
    const row = csv.split('\n').find((line) => line.includes(lead.id))!
    expect(row).toContain('+10 оставил(а) заявку; +15 поговорил(а) с чат-ботом')
    expect(row).toContain('-20 просто смотрит')
    expect(row).not.toContain('left a request')
    expect((await adminRequest('POST', '/v1/admin/erasure', { site, phone })).status).toBe(200)
    const stored = await env.DB.prepare('SELECT payload FROM leads WHERE id = ?').bind(lead.id).first<{ payload: string }>()
    const payload = JSON.parse(stored!.payload) as Record<string, unknown>
    expect(payload.answers).toBeUndefined()
    expect(payload.answerLabels).toBeUndefined()
  })
})
