// When to try a failed delivery again: the Standard Webhooks example schedule, with jitter.

/**
 * Seconds to wait before attempt n+1 (index n = attempts already made): immediately, 5 s, 5 min,
 * 30 min, 2 h, 5 h, 10 h, 14 h, 20 h, 24 h — about 3 days in all (standard-webhooks spec, "Retry schedule").
 */
export const RETRY_SCHEDULE_SECONDS = [0, 5, 300, 1800, 7200, 18000, 36000, 50400, 72000, 86400] as const

export interface RetryDelayOptions {
  /** From a `Retry-After` answer; never retry sooner than the target asked. */
  retryAfterSeconds?: number | null
  /** In [0, 1); injectable so tests are deterministic. */
  random?: () => number
  /**
   * Up to this share is added to the delay, so a target that recovers is not hit by every delivery
   * at once. Only added, never taken off: the schedule must outlast a three-day outage.
   */
  jitter?: number
}

/** Null when the schedule is exhausted and the delivery should be marked failed. */
export function nextRetryDelaySeconds(attemptsMade: number, options: RetryDelayOptions = {}): number | null {
  const { retryAfterSeconds = null, random = Math.random, jitter = 0.1 } = options
  const base = RETRY_SCHEDULE_SECONDS[attemptsMade]
  if (base === undefined) return null
  const jittered = base * (1 + jitter * random())
  return Math.max(Math.round(jittered), retryAfterSeconds ?? 0)
}

/** Parses `Retry-After` (delta-seconds or an HTTP date, RFC 9110 §10.2.3) into seconds from now. */
export function parseRetryAfter(value: string | null, now: number): number | null {
  if (value === null) return null
  const trimmed = value.trim()
  if (/^\d+$/.test(trimmed)) return Number(trimmed)
  const date = Date.parse(trimmed)
  if (Number.isNaN(date)) return null
  return Math.max(0, Math.ceil((date - now) / 1000))
}
