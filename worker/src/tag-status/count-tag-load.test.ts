// The config route's counter: at most one write per site and origin a minute, each write carrying
// every fetch since the last, on a controlled clock.
import { describe, expect, it } from 'vitest'
import type { TagSeenStore } from '../storage/types'
import { createTagLoadCounter, utcDay } from './count-tag-load'

function recordingStore() {
  const writes: { siteId: string; origin: string; day: string; loads: number; at: number }[] = []
  const tagSeen: TagSeenStore = {
    async record(siteId, origin, day, loads, at) {
      writes.push({ siteId, origin, day, loads, at })
    },
    async status() {
      return []
    },
  }
  return { writes, deps: { tagSeen } }
}

const T0 = Date.UTC(2026, 11, 2, 10, 0, 0)

describe('the tag load counter', () => {
  it('writes the first fetch at once and folds the next minute’s into the following write', async () => {
    const { writes, deps } = recordingStore()
    const counter = createTagLoadCounter()
    await counter.count(deps, 'shop', 'https://shop.example', T0)
    expect(counter.count(deps, 'shop', 'https://shop.example', T0 + 10_000)).toBeNull()
    expect(counter.count(deps, 'shop', 'https://shop.example', T0 + 59_999)).toBeNull()
    await counter.count(deps, 'shop', 'https://shop.example', T0 + 60_000)
    expect(writes).toEqual([
      { siteId: 'shop', origin: 'https://shop.example', day: '2026-12-02', loads: 1, at: T0 },
      { siteId: 'shop', origin: 'https://shop.example', day: '2026-12-02', loads: 3, at: T0 + 60_000 },
    ])
  })

  it('throttles each site and origin on its own', async () => {
    const { writes, deps } = recordingStore()
    const counter = createTagLoadCounter()
    await counter.count(deps, 'shop', 'https://shop.example', T0)
    await counter.count(deps, 'shop', 'https://www.shop.example', T0 + 1)
    await counter.count(deps, 'cafe', 'https://shop.example', T0 + 2)
    expect(writes.map((w) => `${w.siteId} ${w.origin}`)).toEqual(['shop https://shop.example', 'shop https://www.shop.example', 'cafe https://shop.example'])
  })

  it('names days in UTC', () => {
    expect(utcDay(Date.UTC(2026, 11, 31, 23, 59, 59))).toBe('2026-12-31')
    expect(utcDay(Date.UTC(2027, 0, 1, 0, 0, 0))).toBe('2027-01-01')
  })
})
