import { describe, expect, it } from 'vitest'
import { callbackTime } from './callback-time'

describe('callbackTime', () => {
  const lead = { callbackAt: '2026-11-24T07:00:00.000Z', context: { timezone: 'Europe/Moscow' } }

  it("reads the instant on the visitor's clock, with the offset, in the reader's language", () => {
    const ru = callbackTime(lead, 'ru')!
    expect(ru).toContain('24')
    expect(ru).toContain('нояб')
    expect(ru).toContain('10:00')
    expect(ru).toContain('GMT+3')
    const en = callbackTime(lead, 'en')!
    expect(en).toContain('Nov')
    expect(en).toContain('10:00')
    expect(en).not.toContain('2026-11-24T')
  })

  it('shows another zone on its own clock', () => {
    expect(callbackTime({ ...lead, context: { timezone: 'Asia/Yekaterinburg' } }, 'ru')).toContain('12:00')
  })

  it('falls back to UTC for an unknown zone, and says nothing without a time', () => {
    expect(callbackTime({ ...lead, context: { timezone: 'Mars/Olympus' } }, 'en')).toMatch(/07:00.*GMT/)
    expect(callbackTime({ ...lead, callbackAt: undefined }, 'ru')).toBeNull()
    expect(callbackTime({ ...lead, callbackAt: 'tomorrow' }, 'ru')).toBe('tomorrow')
  })
})
