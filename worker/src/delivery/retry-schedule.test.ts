import { describe, expect, it } from 'vitest'
import { RETRY_SCHEDULE_SECONDS, nextRetryDelaySeconds, parseRetryAfter } from './retry-schedule'

describe('nextRetryDelaySeconds', () => {
  it('follows the Standard Webhooks schedule without jitter', () => {
    const delays = RETRY_SCHEDULE_SECONDS.map((_, n) => nextRetryDelaySeconds(n, { jitter: 0 }))
    expect(delays).toEqual([0, 5, 300, 1800, 7200, 18000, 36000, 50400, 72000, 86400])
  })

  it('spends about three days before giving up after the tenth attempt', () => {
    const total = RETRY_SCHEDULE_SECONDS.reduce<number>((a, b) => a + b, 0)
    expect(total / 86400).toBeGreaterThan(3)
    expect(nextRetryDelaySeconds(10)).toBeNull()
  })

  it('only adds jitter, up to 10%, so retries never come sooner than the schedule', () => {
    expect(nextRetryDelaySeconds(2, { random: () => 0 })).toBe(300)
    expect(nextRetryDelaySeconds(2, { random: () => 0.999999 })).toBe(330)
  })

  it('never retries sooner than Retry-After asks', () => {
    expect(nextRetryDelaySeconds(1, { retryAfterSeconds: 120, jitter: 0 })).toBe(120)
    expect(nextRetryDelaySeconds(3, { retryAfterSeconds: 120, jitter: 0 })).toBe(1800)
  })
})

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-11-23T12:00:00Z')
  it('reads seconds and HTTP dates, and ignores garbage', () => {
    expect(parseRetryAfter('120', now)).toBe(120)
    expect(parseRetryAfter('Mon, 23 Nov 2026 12:05:00 GMT', now)).toBe(300)
    expect(parseRetryAfter('Mon, 23 Nov 2026 11:00:00 GMT', now)).toBe(0)
    expect(parseRetryAfter('soon', now)).toBeNull()
    expect(parseRetryAfter(null, now)).toBeNull()
  })
})
