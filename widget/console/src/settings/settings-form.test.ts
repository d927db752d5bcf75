// The Settings form's conversions: intervals typed as text, the merge patch of changed sections
// (cleared values as null, numbers as numbers, anything else as typed) and where issues go.
import { describe, expect, it } from 'vitest'
import { placeIssues } from '../saved-form'
import { FIELD_KEYS, changeField, formFromConfig, parseIntervals, patchOf, storedSecretKey } from './settings-form'

describe('the settings form', () => {
  it('reads a day of intervals as one line and back', () => {
    expect(parseIntervals('09:00-13:00, 14:00 – 18:00')).toEqual([
      ['09:00', '13:00'],
      ['14:00', '18:00'],
    ])
    expect(parseIntervals('  ')).toBeNull()
    // No dash: kept as typed for the API to name, not dropped.
    expect(parseIntervals('9am')).toEqual([['9am', '']])
  })

  it('patches only the sections with a change, clearing emptied values with null', () => {
    const saved = formFromConfig({ reply: { text: 'Soon', chat: 'In chat' }, brand: { radius: 8 }, hours: { timezone: 'Europe/Moscow', week: { mon: [['09:00', '18:00']] } } })
    expect(patchOf(saved, saved)).toEqual({})
    expect(patchOf(saved, { ...saved, 'reply.chat': '' })).toEqual({ reply: { text: 'Soon', exitIntent: null, chat: null } })
    expect(patchOf(saved, { ...saved, 'brand.radius': '12' })).toEqual({ brand: { accent: null, position: null, radius: 12, launcher: null } })
    expect(patchOf(saved, { ...saved, 'brand.radius': 'big' }).brand).toMatchObject({ radius: 'big' })
    expect(patchOf(saved, { ...saved, 'hours.week.tue': '10:00-17:00' }).hours).toEqual({
      timezone: 'Europe/Moscow',
      callWithinSeconds: null,
      week: { sun: null, mon: [['09:00', '18:00']], tue: [['10:00', '17:00']], wed: null, thu: null, fri: null, sat: null },
    })
  })

  it('removes a section the operator emptied, and sends a half-filled one for the API to check', () => {
    const saved = formFromConfig({ exitIntent: { enabled: true, offer: { title: 'Wait', text: 'A gift', button: 'Get it' } } })
    const emptied = { ...saved, 'exitIntent.enabled': false, 'exitIntent.offer.title': '', 'exitIntent.offer.text': '', 'exitIntent.offer.button': '' }
    expect(patchOf(saved, emptied)).toEqual({ exitIntent: null })
    expect(patchOf(saved, { ...saved, 'exitIntent.offer.title': '' }).exitIntent).toMatchObject({ offer: { title: '', text: 'A gift', button: 'Get it' } })
  })

  it('puts an issue at its field or the longest field its path starts with, and keeps the rest apart', () => {
    const placed = placeIssues(
      [
        { path: 'hours.week.mon.0.1', message: 'bad time' },
        { path: 'exitIntent.offer', message: 'missing' },
        { path: 'brand.launcher.text', message: 'too long' },
        { path: 'targets.0.url', message: 'private' },
      ],
      FIELD_KEYS,
    )
    expect(placed.byField).toEqual({ 'hours.week.mon': ['bad time'], 'exitIntent.offer.title': ['missing'], 'brand.launcher.text': ['too long'] })
    expect(placed.other).toEqual([{ path: 'targets.0.url', message: 'private' }])
  })

  it('sends the captcha secret only when one is typed, else the redacted value read, which keeps the stored one', () => {
    const saved = formFromConfig({ captcha: { provider: 'turnstile', siteKey: '1x00000000000000000000AA', secret: '•••00AA' } })
    expect(saved['captcha.secret']).toBe('')
    expect(saved[storedSecretKey('captcha.secret')]).toBe('•••00AA')
    expect(patchOf(saved, { ...saved, 'captcha.siteKey': '1x00000000000000000000BB' })).toEqual({
      captcha: { provider: 'turnstile', siteKey: '1x00000000000000000000BB', secret: '•••00AA' },
    })
    expect(patchOf(saved, { ...saved, 'captcha.secret': ' new-secret ' }).captcha).toMatchObject({ secret: 'new-secret' })
    expect(patchOf(saved, { ...saved, 'captcha.provider': '' })).toEqual({ captcha: null })
    // A new captcha with no secret: sent empty, for the API to name.
    const none = formFromConfig({})
    expect(patchOf(none, { ...none, 'captcha.provider': 'smartcaptcha', 'captcha.siteKey': 'ysc1_x' }).captcha).toEqual({ provider: 'smartcaptcha', siteKey: 'ysc1_x', secret: '' })
  })

  it('reads and patches analytics, spam, repeats, rate limits and retention, an emptied section removed', () => {
    const none = formFromConfig({})
    // dataLayer is on unless turned off, as the schema's default.
    expect(none['analytics.dataLayer']).toBe(true)
    expect(patchOf(none, { ...none, 'analytics.dataLayer': false })).toEqual({ analytics: { ymCounter: null, dataLayer: false } })
    expect(patchOf(none, { ...none, 'analytics.ymCounter': '98765' })).toEqual({ analytics: { ymCounter: 98765, dataLayer: true } })
    expect(patchOf(none, { ...none, 'rateLimits.perPhonePerHour': '3' })).toEqual({
      rateLimits: { perPhonePerHour: 3, perEmailPerHour: null, perIpPer10Minutes: null, perSitePerMinute: null, rejectionsCountedPerIpPerHour: null },
    })
    const saved = formFromConfig({ spam: { minFillMs: 2000 }, dedupe: { windowDays: 0 }, retention: { days: 365 }, analytics: { ymCounter: 1, dataLayer: true } })
    expect([saved['spam.minFillMs'], saved['dedupe.windowDays'], saved['retention.days']]).toEqual(['2000', '0', '365'])
    expect(patchOf(saved, { ...saved, 'retention.days': '', 'dedupe.windowDays': '7', 'analytics.ymCounter': '' })).toEqual({
      retention: null,
      dedupe: { windowDays: 7 },
      analytics: null,
    })
  })

  it('gives hours typed in without a zone the browser’s zone, and leaves a chosen zone alone', () => {
    const none = formFromConfig({})
    expect(changeField(none, 'hours.week.mon', '09:00-18:00', 'Asia/Almaty')['hours.timezone']).toBe('Asia/Almaty')
    const chosen = { ...none, 'hours.timezone': 'Europe/Moscow' }
    expect(changeField(chosen, 'hours.week.mon', '09:00-18:00', 'Asia/Almaty')['hours.timezone']).toBe('Europe/Moscow')
    expect(changeField(none, 'hours.timezone', '', 'Asia/Almaty')['hours.timezone']).toBe('')
  })
})
