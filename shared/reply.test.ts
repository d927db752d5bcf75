// Tests for choosing the reply text by working hours, by what the lead asked for, and by language.
import { describe, expect, it } from 'vitest'
import { defaultReplyText } from './messages'
import { replyTextFor } from './reply'
import type { ReplyConfig } from './reply'
import type { Hours } from './schemas/widget-settings'

const nineToSix = (): [string, string][] => [['09:00', '18:00']]
const HOURS: Hours = {
  timezone: 'Europe/Moscow',
  week: { mon: nineToSix(), tue: nineToSix(), wed: nineToSix(), thu: nineToSix(), fri: nineToSix() },
  callWithinSeconds: 45,
}
// Monday 2026-11-23; Moscow is UTC+3 all year.
const MONDAY_07_MSK = new Date('2026-11-23T04:00:00Z')
const MONDAY_10_MSK = new Date('2026-11-23T07:00:00Z')
const MONDAY_20_MSK = new Date('2026-11-23T17:00:00Z')
const FRIDAY_20_MSK = new Date('2026-11-27T17:00:00Z')
const CHOSEN = '2026-11-24T10:00:00+03:00'

const OWN_TEXTS: ReplyConfig = {
  locale: 'en',
  reply: { text: 'Calling you within 45 seconds.', exitIntent: 'Your discount is on its way.', chat: 'Thanks for chatting.' },
  replyOffHours: {
    text: 'We will call you at the time you chose.',
    closed: 'We will call you at 9.',
    exitIntent: 'Your discount waits for you till morning.',
    chat: 'We will read your answers at 9.',
  },
  hours: HOURS,
}

describe('replyTextFor', () => {
  it('answers with the site’s own texts by hours and by what the lead asked for', () => {
    const cases = [
      [MONDAY_10_MSK, { source: 'callback' }, 'Calling you within 45 seconds.'],
      [MONDAY_10_MSK, { source: 'form' }, 'Calling you within 45 seconds.'],
      [MONDAY_10_MSK, { source: 'exit_intent' }, 'Your discount is on its way.'],
      [MONDAY_10_MSK, { source: 'chat' }, 'Thanks for chatting.'],
      [MONDAY_20_MSK, { source: 'callback', callbackAt: CHOSEN }, 'We will call you at the time you chose.'],
      [MONDAY_20_MSK, { source: 'callback' }, 'We will call you at 9.'],
      [MONDAY_20_MSK, { source: 'exit_intent' }, 'Your discount waits for you till morning.'],
      [MONDAY_20_MSK, { source: 'chat' }, 'We will read your answers at 9.'],
    ] as const
    for (const [date, lead, text] of cases) expect(replyTextFor(OWN_TEXTS, lead, date), JSON.stringify(lead)).toBe(text)
  })

  it('promises in hours the same N seconds as the widget when the site has no text of its own', () => {
    expect(replyTextFor({ locale: 'en', hours: HOURS }, { source: 'callback' }, MONDAY_10_MSK)).toBe('Thank you! We will call you back within 45 seconds.')
    expect(replyTextFor({ locale: 'ru', hours: HOURS }, { source: 'callback' }, MONDAY_10_MSK)).toBe('Спасибо! Перезвоним в течение 45 секунд.')
    const hours21 = { ...HOURS, callWithinSeconds: 21 }
    expect(replyTextFor({ locale: 'ru', hours: hours21 }, { source: 'callback' }, MONDAY_10_MSK)).toBe('Спасибо! Перезвоним в течение 21 секунды.')
  })

  it('off hours with a chosen time promises that time, and without one never claims the visitor chose', () => {
    const bare: ReplyConfig = { locale: 'en', hours: HOURS }
    expect(replyTextFor(bare, { source: 'callback', callbackAt: CHOSEN }, MONDAY_20_MSK)).toBe('Thank you! We are closed right now and will call you back at the time you chose.')
    // A site whose only off-hours text is about the chosen time: a lead without one gets the honest default.
    const chosenOnly: ReplyConfig = { ...bare, replyOffHours: { text: 'We will call you at the time you chose.' } }
    const closed = replyTextFor(chosenOnly, { source: 'callback' }, MONDAY_20_MSK)
    expect(closed).toBe('Thank you! We are closed right now and will call you back when we open, on Tuesday at 09:00 (UTC+3).')
    expect(closed).not.toMatch(/time you chose/)
  })

  it('names the next opening in the site’s time, with its offset unless the visitor is in the same zone', () => {
    const bare: ReplyConfig = { locale: 'en', hours: HOURS }
    expect(replyTextFor(bare, { source: 'callback' }, MONDAY_07_MSK)).toMatch(/when we open, on Monday at 09:00 \(UTC\+3\)\.$/)
    expect(replyTextFor(bare, { source: 'callback' }, FRIDAY_20_MSK)).toMatch(/when we open, on Monday at 09:00 \(UTC\+3\)\.$/)
    expect(replyTextFor(bare, { source: 'callback', timezone: 'Europe/Moscow' }, MONDAY_20_MSK)).toMatch(/when we open, tomorrow at 09:00\.$/)
    expect(replyTextFor(bare, { source: 'callback', timezone: 'Europe/Moscow' }, MONDAY_07_MSK)).toMatch(/when we open, today at 09:00\.$/)
    // Monday 20:00 in Moscow is Monday 12:00 in New York: "tomorrow" would be the site's, not theirs.
    expect(replyTextFor(bare, { source: 'callback', timezone: 'America/New_York' }, MONDAY_20_MSK)).toMatch(/when we open, on Tuesday at 09:00 \(UTC\+3\)\.$/)
    expect(replyTextFor({ locale: 'ru', hours: HOURS }, { source: 'callback' }, FRIDAY_20_MSK)).toBe(
      'Спасибо! Сейчас мы не работаем и перезвоним, когда откроемся: в понедельник в 09:00 (UTC+3).',
    )
  })

  it('writes offsets west of UTC and in half hours', () => {
    const week = { tue: nineToSix() }
    const at = (timezone: string) => replyTextFor({ locale: 'en', hours: { ...HOURS, timezone, week } }, { source: 'callback' }, MONDAY_20_MSK)
    expect(at('America/New_York')).toMatch(/on Tuesday at 09:00 \(UTC-5\)\.$/)
    expect(at('Asia/Kolkata')).toMatch(/on Tuesday at 09:00 \(UTC\+5:30\)\.$/)
    expect(at('UTC')).toMatch(/on Tuesday at 09:00 \(UTC\)\.$/)
  })

  it('says "as soon as we open" when the week has no opening to name', () => {
    const closedWeek: ReplyConfig = { locale: 'en', hours: { ...HOURS, week: {} } }
    expect(replyTextFor(closedWeek, { source: 'callback' }, MONDAY_10_MSK)).toBe('Thank you! We are closed right now and will call you back as soon as we open.')
  })

  it('gives exit-offer and chat leads replies of their own by default, in hours and off hours', () => {
    const bare: ReplyConfig = { locale: 'en', hours: HOURS, reply: { text: 'Calling you within 45 seconds.' } }
    expect(replyTextFor(bare, { source: 'exit_intent' }, MONDAY_10_MSK)).toBe('Thank you! We have your request for the offer and will get in touch shortly.')
    expect(replyTextFor(bare, { source: 'chat' }, MONDAY_10_MSK)).toBe('Thank you! We have your answers and will get in touch shortly.')
    expect(replyTextFor(bare, { source: 'exit_intent' }, MONDAY_20_MSK)).toBe(
      'Thank you! We have your request for the offer. We are closed right now and will get in touch when we open, on Tuesday at 09:00 (UTC+3).',
    )
    expect(replyTextFor(bare, { source: 'chat' }, MONDAY_20_MSK)).toBe(
      'Thank you! We have your answers. We are closed right now and will get in touch when we open, on Tuesday at 09:00 (UTC+3).',
    )
  })

  it('speaks the visitor’s language in defaults and keeps the site’s own texts as written', () => {
    const russianSite: ReplyConfig = { locale: 'ru', hours: HOURS, reply: { text: 'Перезвоним через минуту.' } }
    expect(replyTextFor(russianSite, { source: 'callback', locale: 'en' }, MONDAY_10_MSK)).toBe('Перезвоним через минуту.')
    expect(replyTextFor(russianSite, { source: 'chat', locale: 'en' }, MONDAY_10_MSK)).toBe('Thank you! We have your answers and will get in touch shortly.')
    expect(replyTextFor(russianSite, { source: 'callback', locale: 'en' }, MONDAY_20_MSK)).toMatch(/^Thank you! We are closed/)
    expect(replyTextFor(russianSite, { source: 'callback' }, MONDAY_20_MSK)).toMatch(/^Спасибо! Сейчас мы не работаем/)
  })

  it('never promises a call to a callback or form lead without a phone, whatever the site’s call-back texts say', () => {
    const written = { hasPhone: false } as const
    for (const source of ['callback', 'form'] as const) {
      expect(replyTextFor(OWN_TEXTS, { source, ...written }, MONDAY_10_MSK)).toBe('Thank you! We have your request and will answer you by email shortly.')
      expect(replyTextFor(OWN_TEXTS, { source, callbackAt: CHOSEN, ...written }, MONDAY_20_MSK)).toBe(
        'Thank you! We have your request. We are closed right now and will answer you by email when we open, on Tuesday at 09:00 (UTC+3).',
      )
      expect(replyTextFor({ locale: 'ru' }, { source, ...written }, MONDAY_20_MSK)).toBe('Спасибо! Заявка принята, скоро ответим вам по e-mail.')
      expect(replyTextFor({ locale: 'ru', hours: HOURS }, { source, ...written }, FRIDAY_20_MSK)).toBe(
        'Спасибо! Заявка принята. Сейчас мы не работаем и ответим вам по e-mail, когда откроемся: в понедельник в 09:00 (UTC+3).',
      )
    }
    // The exit offer and the chat are written for leads with or without a phone: the site's own stay.
    expect(replyTextFor(OWN_TEXTS, { source: 'exit_intent', ...written }, MONDAY_10_MSK)).toBe('Your discount is on its way.')
    expect(replyTextFor(OWN_TEXTS, { source: 'chat', ...written }, MONDAY_20_MSK)).toBe('We will read your answers at 9.')
    // No default text of any kind promises a call to a lead without a phone.
    for (const source of ['callback', 'form', 'exit_intent', 'chat'] as const) {
      for (const date of [MONDAY_10_MSK, MONDAY_20_MSK]) {
        for (const locale of ['ru', 'en'] as const) {
          const text = replyTextFor({ locale, hours: HOURS }, { source, ...written }, date)
          expect(text, `${source} ${locale} ${date.toISOString()}`).not.toMatch(/call|звон/i)
        }
      }
    }
  })

  it('treats a site without hours as always open and promises no number of seconds', () => {
    expect(replyTextFor({ locale: 'en' }, { source: 'callback' }, MONDAY_20_MSK)).toBe(defaultReplyText('en'))
    expect(replyTextFor({ locale: 'ru' }, { source: 'callback', callbackAt: CHOSEN }, MONDAY_20_MSK)).toBe(defaultReplyText('ru'))
  })
})
