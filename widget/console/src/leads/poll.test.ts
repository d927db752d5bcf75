import { describe, expect, it } from 'vitest'
import { leadView } from '../testing'
import { mergeFresh, nextPollDelay } from './poll'

describe('nextPollDelay', () => {
  it('polls every 5 s while all is well and doubles the wait after each error, up to a minute', () => {
    expect([0, 1, 2, 3, 4, 5, 50].map((failures) => nextPollDelay(failures, false))).toEqual([5000, 10000, 20000, 40000, 60000, 60000, 60000])
  })

  it('waits the longest in a hidden tab', () => {
    expect(nextPollDelay(0, true)).toBe(60000)
    expect(nextPollDelay(0, true, { baseMs: 10, maxMs: 90 })).toBe(90)
  })
})

describe('mergeFresh', () => {
  const [a, b, c, d, e] = [leadView(), leadView(), leadView(), leadView(), leadView()]

  it('puts new leads on top and keeps the older pages already loaded', () => {
    // A page of two: d, c and then b, a with "more"; e arrived.
    const { leads, added } = mergeFresh([d!, c!, b!, a!], [e!, d!])
    expect(leads.map((l) => l.id)).toEqual([e!.id, d!.id, c!.id, b!.id, a!.id])
    expect(added.map((l) => l.id)).toEqual([e!.id])
  })

  it('drops a lead of the first page that no longer matches the filters', () => {
    const { leads } = mergeFresh([e!, d!, c!], [e!, c!])
    expect(leads.map((l) => l.id)).toEqual([e!.id, c!.id])
  })

  it('takes the fresh rows, so a status changed elsewhere shows', () => {
    const changed = { ...d!, status: 'won' as const }
    expect(mergeFresh([d!, c!], [changed, c!]).leads[0]?.status).toBe('won')
  })
})
