// The Settings form's conversions: intervals typed as text, the merge patch of changed sections
// (cleared values as null, numbers as numbers, anything else as typed) and where issues go.
import { describe, expect, it } from 'vitest'
import { formFromConfig, parseIntervals, patchOf, placeIssues } from './settings-form'

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
    const placed = placeIssues([
      { path: 'hours.week.mon.0.1', message: 'bad time' },
      { path: 'exitIntent.offer', message: 'missing' },
      { path: 'brand.launcher.text', message: 'too long' },
      { path: 'targets.0.url', message: 'private' },
    ])
    expect(placed.byField).toEqual({ 'hours.week.mon': ['bad time'], 'exitIntent.offer.title': ['missing'], 'brand.launcher.text': ['too long'] })
    expect(placed.other).toEqual([{ path: 'targets.0.url', message: 'private' }])
  })
})
