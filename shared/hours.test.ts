// Tests for working hours: open/closed in the site's zone, and the next callback slots.
import { describe, expect, it } from 'vitest'
import { isOpen, localTime, nextOpening, nextSlots, toMinutes } from './hours'
import type { Week } from './hours'

const WEEKDAYS: Week = {
  mon: [['09:00', '18:00']],
  tue: [['09:00', '18:00']],
  wed: [['09:00', '18:00']],
  thu: [['09:00', '18:00']],
  fri: [
    ['09:00', '13:00'],
    ['14:00', '17:00'],
  ],
}
const MSK = 'Europe/Moscow'

describe('isOpen', () => {
  it('is open inside an interval in the site’s zone, not the machine’s', () => {
    // Monday 2026-11-23 10:00 in Moscow (UTC+3) is 07:00 UTC.
    expect(isOpen(WEEKDAYS, MSK, new Date('2026-11-23T07:00:00Z'))).toBe(true)
    expect(isOpen(WEEKDAYS, 'America/New_York', new Date('2026-11-23T07:00:00Z'))).toBe(false)
  })

  it('treats the end of an interval as closed and its start as open', () => {
    expect(isOpen(WEEKDAYS, MSK, new Date('2026-11-23T06:00:00Z'))).toBe(true)
    expect(isOpen(WEEKDAYS, MSK, new Date('2026-11-23T15:00:00Z'))).toBe(false)
    expect(isOpen(WEEKDAYS, MSK, new Date('2026-11-23T14:59:00Z'))).toBe(true)
  })

  it('honours a lunch break and closed weekends', () => {
    // Friday 2026-11-27 13:30 Moscow.
    expect(isOpen(WEEKDAYS, MSK, new Date('2026-11-27T10:30:00Z'))).toBe(false)
    expect(isOpen(WEEKDAYS, MSK, new Date('2026-11-27T11:00:00Z'))).toBe(true)
    expect(isOpen(WEEKDAYS, MSK, new Date('2026-11-28T09:00:00Z'))).toBe(false)
  })

  it('counts an unknown zone or a malformed interval as closed', () => {
    expect(isOpen(WEEKDAYS, 'Mars/Olympus', new Date('2026-11-23T07:00:00Z'))).toBe(false)
    expect(isOpen({ mon: [['9', '18:00']] }, MSK, new Date('2026-11-23T07:00:00Z'))).toBe(false)
  })

  it('runs until midnight with 24:00', () => {
    expect(isOpen({ mon: [['20:00', '24:00']] }, 'UTC', new Date('2026-11-23T23:59:00Z'))).toBe(true)
  })
})

describe('nextSlots', () => {
  it('offers the next working day’s times when the site is closed', () => {
    // Friday 2026-11-27 20:00 Moscow: the next slots are Monday from 09:00.
    const slots = nextSlots(WEEKDAYS, MSK, new Date('2026-11-27T17:00:00Z'), { count: 3 })
    expect(slots.map((d) => d.toISOString())).toEqual(['2026-11-30T06:00:00.000Z', '2026-11-30T06:30:00.000Z', '2026-11-30T07:00:00.000Z'])
  })

  it('keeps a lead time and local step boundaries, including half-hour zones', () => {
    // Monday 10:05 Moscow: 10:20 is the earliest, so 10:30 is the first half-hour slot.
    const [first] = nextSlots(WEEKDAYS, MSK, new Date('2026-11-23T07:05:00Z'), { count: 1 })
    expect(first?.toISOString()).toBe('2026-11-23T07:30:00.000Z')
    const [india] = nextSlots(WEEKDAYS, 'Asia/Kolkata', new Date('2026-11-23T03:00:00Z'), {
      count: 1,
    })
    expect(localTime(india as Date, 'Asia/Kolkata')).toEqual({ day: 'mon', minutes: 9 * 60 })
  })

  it('stays on local hours across a DST change', () => {
    const week: Week = { sun: [['09:00', '10:00']], mon: [['09:00', '10:00']] }
    // Europe/Berlin leaves summer time on 2026-10-25 (a Sunday).
    const slots = nextSlots(week, 'Europe/Berlin', new Date('2026-10-24T12:00:00Z'), { count: 4 })
    expect(slots.map((d) => d.toISOString())).toEqual(['2026-10-25T08:00:00.000Z', '2026-10-25T08:30:00.000Z', '2026-10-26T08:00:00.000Z', '2026-10-26T08:30:00.000Z'])
  })

  it('returns nothing for a week without hours', () => {
    expect(nextSlots({}, MSK, new Date('2026-11-23T07:00:00Z'))).toEqual([])
  })
})

describe('nextOpening', () => {
  it('finds the next start later today, tomorrow, or after a weekend, in the site’s zone', () => {
    // Monday 07:00, Monday 13:30 (lunch on Friday only), Monday 20:00, Friday 13:30 and 20:00 in Moscow.
    expect(nextOpening(WEEKDAYS, MSK, new Date('2026-11-23T04:00:00Z'))).toEqual({
      daysAhead: 0,
      day: 'mon',
      time: '09:00',
      at: new Date('2026-11-23T06:00:00Z'),
    })
    expect(nextOpening(WEEKDAYS, MSK, new Date('2026-11-23T17:00:00Z'))).toMatchObject({ daysAhead: 1, day: 'tue', time: '09:00' })
    expect(nextOpening(WEEKDAYS, MSK, new Date('2026-11-27T10:30:00Z'))).toMatchObject({ daysAhead: 0, day: 'fri', time: '14:00' })
    expect(nextOpening(WEEKDAYS, MSK, new Date('2026-11-27T17:00:00Z'))).toEqual({
      daysAhead: 3,
      day: 'mon',
      time: '09:00',
      at: new Date('2026-11-30T06:00:00Z'),
    })
  })

  it('comes round to the same weekday next week when today’s only start has passed', () => {
    // Across a clock change: Berlin on Saturday 24 October 2026, 20:00 CEST; Monday 09:00 is CET.
    expect(nextOpening({ mon: [['09:00', '18:00']] }, 'Europe/Berlin', new Date('2026-10-24T18:00:00Z'))?.at.toISOString()).toBe('2026-10-26T08:00:00.000Z')
    // And the spring one: New York on Saturday 7 March 2026, 20:00 EST; Monday 09:00 is EDT.
    expect(nextOpening({ mon: [['09:00', '18:00']] }, 'America/New_York', new Date('2026-03-08T01:00:00Z'))?.at.toISOString()).toBe('2026-03-09T13:00:00.000Z')
    const opening = nextOpening({ mon: [['09:00', '18:00']] }, MSK, new Date('2026-11-23T17:00:00Z'))
    expect(opening).toMatchObject({ daysAhead: 7, day: 'mon', time: '09:00' })
    expect(opening?.at.toISOString()).toBe('2026-11-30T06:00:00.000Z')
  })

  it('returns null for a week without hours, an unknown zone, or only malformed intervals', () => {
    const now = new Date('2026-11-23T07:00:00Z')
    expect(nextOpening({}, MSK, now)).toBeNull()
    expect(nextOpening(WEEKDAYS, 'Mars/Olympus', now)).toBeNull()
    expect(nextOpening({ tue: [['9', '18:00']] }, MSK, now)).toBeNull()
  })
})

describe('toMinutes', () => {
  it('reads HH:MM and rejects anything else', () => {
    expect(toMinutes('09:30')).toBe(570)
    expect(toMinutes('24:00')).toBe(1440)
    expect(toMinutes('24:01')).toBeNull()
    expect(toMinutes('9:30')).toBeNull()
  })
})
