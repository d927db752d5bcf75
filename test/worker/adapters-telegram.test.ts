// Telegram adapter: the card (HTML escaping, tel: link, emoji, 4096-character limit), the "Take it"
// button, and Bot API answers mapped to outcomes (429 retry_after, chat not found, bot blocked).
import { describe, expect, it } from 'vitest'
import { notifyTelegram, telegramRequestBody } from '../../worker/src/delivery/adapters/telegram'
import { TELEGRAM_TEXT_LIMIT, escapeTelegramHtml, renderCard, telegramCard, visibleLength } from '../../worker/src/delivery/adapters/telegram-card'
import type { TelegramTarget } from '../../shared/schemas/targets/telegram'
import { LEAD_ID, adapterContext, eventOf, json, recordingFetch, sampleLead } from './adapter-helpers'

const TOKEN = '123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw'
const target: TelegramTarget = {
  type: 'telegram',
  id: 'tg',
  botToken: TOKEN,
  chatId: -1001234567890,
  locale: 'ru',
}
const ok = json({ ok: true, result: { message_id: 42 } })

describe('the card', () => {
  it('escapes <, > and & in visitor text, so a message can never inject markup', () => {
    const card = telegramCard(sampleLead({ contact: { name: '<b>Boss</b> & Co' } }), 'lead.created')
    expect(card).toContain('<b>&lt;b&gt;Boss&lt;/b&gt; &amp; Co</b>')
    expect(card).toContain('Нужна кухня &lt;угловая&gt; &amp; быстро')
    expect(card).not.toContain('<угловая>')
  })

  it('escapes a double quote inside href only', () => {
    expect(escapeTelegramHtml('a"b<', true)).toBe('a&quot;b&lt;')
    const card = renderCard([[{ text: 'x"y', href: 'https://e.example/?q="1"&a=2' }]])
    expect(card).toBe('<a href="https://e.example/?q=&quot;1&quot;&amp;a=2">x"y</a>')
  })

  it('shows temperature emoji, a tappable tel: phone, UTM, answers and the reasons', () => {
    const card = telegramCard(sampleLead(), 'lead.created')
    expect(card.split('\n')[0]).toBe('<b>🔥 Горячая заявка · 85/100</b> · обратный звонок')
    expect(card).toContain('📞 <a href="tel:+79123456789">+79123456789</a>')
    expect(card).toContain('<a href="mailto:anna@example.ru">anna@example.ru</a>')
    expect(card).toContain('<b>UTM: </b>yandex / cpc / spring / кухни / ad1')
    expect(card).toContain('• budget: 150000')
    // The reasons in the card's language, by their rule codes.
    expect(card).toContain('<i>+30 попросил(а) перезвонить</i>')
    expect(telegramCard(sampleLead(), 'lead.created', { locale: 'en' })).toContain('<i>+30 asked for a call back</i>')
    expect(telegramCard(sampleLead({ temperature: 'warm' }), 'lead.created')).toMatch(/^<b>🌤 /)
    expect(telegramCard(sampleLead({ temperature: 'cold' }), 'lead.created')).toMatch(/^<b>❄️ /)
    expect(telegramCard(sampleLead(), 'lead.repeated')).toContain('🔁 Повторная заявка')
  })

  it("gives the callback time on the visitor's clock in the card's language, not as an ISO string", () => {
    expect(telegramCard(sampleLead(), 'lead.created')).toMatch(/🕒 Перезвонить: <b>вт, 24 нояб\.?, 10:00 GMT\+3<\/b>/)
    expect(telegramCard(sampleLead(), 'lead.created', { locale: 'en' })).toMatch(/🕒 Call back at: <b>Tue, Nov 24, 10:00\s?AM GMT\+3<\/b>/)
  })

  it('says the answers by the labels the visitor clicked, and by code only where there is none', () => {
    const lead = sampleLead({
      answers: { budget: 'under_5m', timing: 'just_looking', 'var.route': 'standard' },
      answerLabels: {
        budget: { question: 'Какой у вас бюджет?', answer: 'до 5 млн ₽' },
        timing: { question: 'Когда планируете покупку?', answer: 'Просто смотрю' },
      },
      reasons: [{ rule: 'flow.score_looking', points: -10, text: 'just looking', texts: { ru: 'просто смотрит', en: 'just looking' } }],
    })
    const card = telegramCard(lead, 'lead.created')
    expect(card).toContain('• Какой у вас бюджет? — до 5 млн ₽\n• Когда планируете покупку? — Просто смотрю\n• var.route: standard')
    expect(card).toContain('<i>-10 просто смотрит</i>')
    expect(card).not.toContain('under_5m')
    expect(telegramCard(lead, 'lead.created', { locale: 'en' })).toContain('<i>-10 just looking</i>')
  })

  it('stays within 4096 visible characters and cuts long text without breaking an entity or tag', () => {
    const message = '&<>'.repeat(3000) // 9000 visible characters, 4 times as many in HTML
    const card = telegramCard(sampleLead({ message }), 'lead.created')
    expect(visibleLength(card)).toBeLessThanOrEqual(TELEGRAM_TEXT_LIMIT)
    expect(card.endsWith('…')).toBe(true)
    // Every & starts a whole entity, and tags are balanced.
    expect(card.match(/&(?!amp;|lt;|gt;|quot;)/g)).toBeNull()
    expect(card.match(/<b>/g)?.length).toBe(card.match(/<\/b>/g)?.length)
  })

  it('never splits an emoji when the cut falls inside it', () => {
    const card = renderCard([[{ text: 'ab' }], [{ text: '😀😀😀', bold: true }]], 6)
    expect(card).toBe('ab\n<b>😀</b>…')
    expect(visibleLength(card)).toBeLessThanOrEqual(6)
  })
})

describe('sendMessage', () => {
  it('posts the documented body with HTML mode, no link preview and a "Take it" button carrying the lead id', async () => {
    const { fetch, sent, json: body } = recordingFetch(ok)
    const result = await notifyTelegram(target, eventOf(sampleLead()), adapterContext(fetch))

    expect(result).toEqual({ outcome: 'delivered', httpStatus: 200 })
    expect(sent[0]!.url).toBe(`https://api.telegram.org/bot${TOKEN}/sendMessage`)
    expect(body(0)).toEqual({
      chat_id: -1001234567890,
      text: telegramCard(sampleLead(), 'lead.created'),
      parse_mode: 'HTML',
      link_preview_options: { is_disabled: true },
      reply_markup: { inline_keyboard: [[{ text: '✋ Беру', callback_data: `take:${LEAD_ID}` }]] },
    })
    expect(new TextEncoder().encode(`take:${LEAD_ID}`).length).toBeLessThanOrEqual(64)
  })

  it('retries after exactly the retry_after Telegram asks for on 429', async () => {
    const { fetch } = recordingFetch(
      json(
        {
          ok: false,
          error_code: 429,
          description: 'Too Many Requests: retry after 35',
          parameters: { retry_after: 35 },
        },
        429,
      ),
    )
    expect(await notifyTelegram(target, eventOf(sampleLead()), adapterContext(fetch))).toMatchObject({ outcome: 'retry', httpStatus: 429, retryAfterSeconds: 35 })
  })

  it.each([
    [400, 'Bad Request: chat not found'],
    [403, 'Forbidden: bot was blocked by the user'],
    [401, 'Unauthorized'],
  ])('fails for good on %i %s', async (status, description) => {
    const { fetch } = recordingFetch(json({ ok: false, error_code: status, description }, status))
    const result = await notifyTelegram(target, eventOf(sampleLead()), adapterContext(fetch))
    expect(result).toEqual({
      outcome: 'failed',
      httpStatus: status,
      error: `Telegram: ${description}`,
    })
  })

  it('retries 5xx', async () => {
    const { fetch } = recordingFetch(json({ ok: false, error_code: 502, description: 'Bad Gateway' }, 502))
    expect(await notifyTelegram(target, eventOf(sampleLead()), adapterContext(fetch))).toMatchObject({ outcome: 'retry', retryAfterSeconds: null })
  })

  it('sends the phone as plain text once more if Telegram refuses the tel: link', async () => {
    const {
      fetch,
      sent,
      json: body,
    } = recordingFetch(
      json(
        {
          ok: false,
          error_code: 400,
          description: "Bad Request: can't parse entities: unsupported URL protocol",
        },
        400,
      ),
      ok,
    )
    const result = await notifyTelegram(target, eventOf(sampleLead()), adapterContext(fetch))
    expect(result.outcome).toBe('delivered')
    expect(sent).toHaveLength(2)
    expect((body(1) as { text: string }).text).toContain('📞 +79123456789')
    expect((body(1) as { text: string }).text).not.toContain('tel:')
  })

  it('uses the configured Bot API base (the local inbox in development) and English texts', async () => {
    const { fetch, sent } = recordingFetch(ok)
    const dev = { ...target, locale: 'en' as const, apiUrl: 'http://127.0.0.1:8790/telegram/' }
    await notifyTelegram(dev, eventOf(sampleLead()), adapterContext(fetch))
    expect(sent[0]!.url).toBe(`http://127.0.0.1:8790/telegram/bot${TOKEN}/sendMessage`)
    expect(telegramRequestBody(dev, eventOf(sampleLead())).reply_markup).toEqual({
      inline_keyboard: [[{ text: '✋ Take it', callback_data: `take:${LEAD_ID}` }]],
    })
  })
})
