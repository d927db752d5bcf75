// Working hours, without the DOM: is the site open at an instant, and which callback slots come
// next. Pure and zone-aware (Intl), so the widget and the worker give the same answer.

export const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const
export type Day = (typeof DAYS)[number]
/** Local `['HH:MM', 'HH:MM']`, end exclusive; `'24:00'` ends at midnight. */
export type Interval = readonly [string, string]
export type Week = Partial<Record<Day, readonly Interval[]>>

/** `'09:30'` → 570; `null` for anything that is not a time of day. */
export function toMinutes(time: string): number | null {
  const match = /^([01]\d|2[0-4]):([0-5]\d)$/.exec(time)
  if (!match) return null
  const minutes = Number(match[1]) * 60 + Number(match[2])
  return minutes <= 1440 ? minutes : null
}

// Intl formatters are slow to build and slots ask for hundreds of instants: one per zone.
const formatters = new Map<string, Intl.DateTimeFormat>()

/** Weekday and minute of the day at `date` in `timeZone`; `null` for an unknown zone. */
export function localTime(date: Date, timeZone: string): { day: Day; minutes: number } | null {
  let format = formatters.get(timeZone)
  if (!format) {
    try {
      format = new Intl.DateTimeFormat('en-US', {
        timeZone,
        weekday: 'short',
        hour: '2-digit',
        minute: '2-digit',
        hourCycle: 'h23',
      })
    } catch {
      return null
    }
    formatters.set(timeZone, format)
  }
  const parts: Record<string, string> = {}
  for (const part of format.formatToParts(date)) parts[part.type] = part.value
  const day = (parts.weekday ?? '').slice(0, 3).toLowerCase() as Day
  if (!DAYS.includes(day)) return null
  return { day, minutes: Number(parts.hour) * 60 + Number(parts.minute) }
}

/**
 * Whether `date` falls inside one of the day's intervals in the site's zone. An unknown zone or a
 * malformed interval counts as closed, so the visitor is offered a slot rather than a false promise.
 *
 * @example
 * isOpen({ mon: [['09:00', '18:00']] }, 'Europe/Moscow', new Date('2026-11-23T07:00:00Z')) // true
 */
export function isOpen(week: Week, timeZone: string, date: Date): boolean {
  const local = localTime(date, timeZone)
  if (!local) return false
  return (week[local.day] ?? []).some(([from, to]) => {
    const start = toMinutes(from)
    const end = toMinutes(to)
    return start !== null && end !== null && local.minutes >= start && local.minutes < end
  })
}

export interface NextSlotsOptions {
  /** How many slots to offer. Default 6. */
  count?: number
  /** Slots start on local multiples of this many minutes. Default 30. */
  stepMinutes?: number
  /** No slot sooner than this after `now`: a manager needs a moment. Default 15. */
  leadMinutes?: number
  /** How far ahead to look. Default 8 days, so a weekly schedule always finds its next day. */
  horizonDays?: number
}

/**
 * The next instants, on local step boundaries, when the site is open: what an off-hours visitor
 * can pick for `callbackAt`. Walking UTC instants (not local clock times) keeps DST changes right.
 *
 * @example
 * nextSlots(week, 'Europe/Moscow', new Date(), { count: 4 }).map((d) => d.toISOString())
 */
export function nextSlots(week: Week, timeZone: string, now: Date, { count = 6, stepMinutes = 30, leadMinutes = 15, horizonDays = 8 }: NextSlotsOptions = {}): Date[] {
  const slots: Date[] = []
  const minute = 60_000
  // Every zone offset in use today is a whole multiple of 15 minutes, so walking 15-minute UTC
  // boundaries meets every local step boundary.
  const walk = 15 * minute
  const end = now.getTime() + horizonDays * 86_400_000
  for (let t = Math.ceil((now.getTime() + leadMinutes * minute) / walk) * walk; t < end; t += walk) {
    if (slots.length >= count) break
    const date = new Date(t)
    const local = localTime(date, timeZone)
    if (!local) break
    if (local.minutes % stepMinutes === 0 && isOpen(week, timeZone, date)) slots.push(date)
  }
  return slots
}

export interface Opening {
  /** 0 today, 1 tomorrow, … 7 the same weekday next week (all in the site's zone). */
  daysAhead: number
  day: Day
  /** Local `'HH:MM'`, as the schedule writes it. */
  time: string
  /** The instant, to the minute, corrected for a clock change (DST) between now and then. */
  at: Date
}

/**
 * The next start of an interval strictly after `now`, in the site's zone; `null` when the week has
 * none or the zone is unknown. One zone look-up and plain arithmetic over at most eight days, unlike
 * `nextSlots`, which walks instants: cheap enough for every off-hours lead.
 *
 * @example
 * nextOpening({ mon: [['09:00', '18:00']] }, 'Europe/Moscow', new Date('2026-11-22T17:00:00Z'))
 * // { daysAhead: 1, day: 'mon', time: '09:00', at: 2026-11-23T06:00:00.000Z }
 */
export function nextOpening(week: Week, timeZone: string, now: Date): Opening | null {
  const local = localTime(now, timeZone)
  if (!local) return null
  const today = DAYS.indexOf(local.day)
  for (let daysAhead = 0; daysAhead <= 7; daysAhead++) {
    const day = DAYS[(today + daysAhead) % 7]!
    let best: { start: number; time: string } | null = null
    for (const [from, to] of week[day] ?? []) {
      const start = toMinutes(from)
      const end = toMinutes(to)
      if (start === null || end === null || start >= end) continue
      if (daysAhead === 0 && start <= local.minutes) continue
      if (!best || start < best.start) best = { start, time: from }
    }
    if (best) {
      const minutesAhead = daysAhead * 1440 + best.start - local.minutes
      // localTime drops the seconds: start from the current minute so `at` lands on the minute.
      const minuteStart = Math.floor(now.getTime() / 60_000) * 60_000
      let at = minuteStart + minutesAhead * 60_000
      // A clock change in between (DST) moves the wall time at `at`: shift by what it shows there.
      const seen = localTime(new Date(at), timeZone)
      if (seen) {
        const dayShift = (DAYS.indexOf(day) - DAYS.indexOf(seen.day) + 7) % 7
        const minutes = (dayShift === 6 ? -1 : dayShift) * 1440 + best.start - seen.minutes
        at += minutes * 60_000
      }
      return { daysAhead, day, time: best.time, at: new Date(at) }
    }
  }
  return null
}
