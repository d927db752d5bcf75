// Tests for the widget settings schema: defaults, and the mistakes an admin is likely to make.
import * as v from 'valibot'
import { describe, expect, it } from 'vitest'
import { WidgetSettingsSchema } from './widget-settings'

describe('WidgetSettingsSchema', () => {
  it('accepts hours, the off-hours reply and an exit offer, filling in defaults', () => {
    const parsed = v.parse(WidgetSettingsSchema, {
      hours: { timezone: 'Europe/Moscow', week: { mon: [['09:00', '18:00']] } },
      replyOffHours: { text: 'We will call you tomorrow.' },
      exitIntent: { offer: { title: 'Wait!', text: 'Get the price list', button: 'Send' } },
    })
    expect(parsed.hours?.callWithinSeconds).toBe(30)
    expect(parsed.exitIntent).toMatchObject({
      enabled: false,
      minSecondsOnPage: 10,
      capPerDays: 1,
      mobile: { scrollUp: false, tabReturn: false, idleSeconds: 0 },
    })
  })

  it('takes a chat invite, off by default, after 30 s, one per day, and refuses odd values', () => {
    expect(v.parse(WidgetSettingsSchema, { chatInvite: {} }).chatInvite).toEqual({
      enabled: false,
      afterSeconds: 30,
      capPerDays: 1,
    })
    const own = { enabled: true, afterSeconds: 45, text: 'Questions about mortgages?', capPerDays: 3 }
    expect(v.parse(WidgetSettingsSchema, { chatInvite: own }).chatInvite).toEqual(own)
    for (const bad of [{ afterSeconds: -1 }, { text: '' }, { text: 'x'.repeat(161) }, { sound: true }]) {
      expect(v.safeParse(WidgetSettingsSchema, { chatInvite: bad }).success, JSON.stringify(bad)).toBe(false)
    }
  })

  it('takes an off-hours reply per situation, each optional, and refuses empty or unknown ones', () => {
    const replyOffHours = { text: 'At the time you chose.', closed: 'At 9.', exitIntent: 'Your gift waits.', chat: 'We read it at 9.' }
    expect(v.parse(WidgetSettingsSchema, { replyOffHours }).replyOffHours).toEqual(replyOffHours)
    expect(v.parse(WidgetSettingsSchema, { replyOffHours: { closed: 'At 9.' } }).replyOffHours).toEqual({ closed: 'At 9.' })
    expect(v.safeParse(WidgetSettingsSchema, { replyOffHours: { closed: '  ' } }).success).toBe(false)
    expect(v.safeParse(WidgetSettingsSchema, { replyOffHours: { callback: 'x' } }).success).toBe(false)
  })

  it('rejects an unknown zone, a day name typo and an interval that ends before it starts', () => {
    const week = { mon: [['09:00', '18:00']] }
    const bad = [
      { hours: { timezone: 'Moscow', week } },
      { hours: { timezone: 'UTC', week: { monday: [['09:00', '18:00']] } } },
      { hours: { timezone: 'UTC', week: { mon: [['18:00', '09:00']] } } },
      { hours: { timezone: 'UTC', week: { mon: [['9:00', '18:00']] } } },
    ]
    for (const settings of bad) expect(v.safeParse(WidgetSettingsSchema, settings).success).toBe(false)
  })
})
