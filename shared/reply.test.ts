// Tests for choosing the reply text by working hours.
import { describe, expect, it } from 'vitest'
import { defaultReplyText } from './messages'
import { replyTextFor } from './reply'
import type { ReplyConfig } from './reply'
import type { Hours } from './schemas/widget-settings'

const HOURS: Hours = {
  timezone: 'Europe/Moscow',
  week: { mon: [['09:00', '18:00']] },
  callWithinSeconds: 30,
}
const MONDAY_10_MSK = new Date('2026-11-23T07:00:00Z')
const MONDAY_20_MSK = new Date('2026-11-23T17:00:00Z')

describe('replyTextFor', () => {
  const config: ReplyConfig = {
    locale: 'en',
    reply: { text: 'Calling you within 30 seconds.' },
    replyOffHours: { text: 'We will call you tomorrow.' },
    hours: HOURS,
  }

  it('answers with the in-hours reply inside hours and the off-hours one outside', () => {
    expect(replyTextFor(config, MONDAY_10_MSK)).toBe('Calling you within 30 seconds.')
    expect(replyTextFor(config, MONDAY_20_MSK)).toBe('We will call you tomorrow.')
  })

  it('never promises a quick call off hours, even without an off-hours text', () => {
    const bare: ReplyConfig = { locale: 'ru', hours: HOURS }
    expect(replyTextFor(bare, MONDAY_10_MSK)).toBe(defaultReplyText('ru'))
    expect(replyTextFor(bare, MONDAY_20_MSK)).toMatch(/не работаем/)
  })

  it('treats a site without hours as always open', () => {
    expect(replyTextFor({ locale: 'en' }, MONDAY_20_MSK)).toBe(defaultReplyText('en'))
  })
})
