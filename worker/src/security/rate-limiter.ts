// Exact fixed-window rate limits. Keys are chosen so a visitor behind a shared IP (office, mobile
// carrier NAT) is not blocked by a noisy neighbour: the tight limit is per phone, the IP limit is
// a generous ceiling, and the per-site limit only stops floods.
export interface RateLimit {
  key: string
  limit: number
  windowMs: number
}

export type RateDecision = { allowed: true } | { allowed: false; key: string; retryAfterSeconds: number }

export interface RateLimiter {
  /** Counts one hit on every key at once; refused when any key is over its limit. */
  hit(limits: RateLimit[], now: number): Promise<RateDecision>
}

export interface RateLimitSettings {
  perPhonePerHour: number
  perIpPer10Minutes: number
  perSitePerMinute: number
}

export const DEFAULT_RATE_LIMITS: RateLimitSettings = {
  perPhonePerHour: 5,
  perIpPer10Minutes: 30,
  perSitePerMinute: 300,
}

export function leadRateLimits(site: string, phone: string | undefined, ip: string | null, settings: RateLimitSettings): RateLimit[] {
  const limits: RateLimit[] = [{ key: `site:${site}`, limit: settings.perSitePerMinute, windowMs: 60_000 }]
  if (phone) limits.push({ key: `phone:${site}:${phone}`, limit: settings.perPhonePerHour, windowMs: 3_600_000 })
  if (ip) limits.push({ key: `ip:${ip}`, limit: settings.perIpPer10Minutes, windowMs: 600_000 })
  return limits
}

export function d1RateLimiter(db: D1Database): RateLimiter {
  return {
    async hit(limits, now) {
      if (limits.length === 0) return { allowed: true }
      const results = await db.batch<{ count: number }>(
        limits.map(({ key, windowMs }) =>
          db
            .prepare(
              `INSERT INTO rate_limits (key, window_start, count) VALUES (?1, ?2, 1)
               ON CONFLICT (key) DO UPDATE SET
                 count = CASE WHEN window_start = ?2 THEN count + 1 ELSE 1 END, window_start = ?2
               RETURNING count`,
            )
            .bind(key, Math.floor(now / windowMs) * windowMs),
        ),
      )
      for (const [i, limit] of limits.entries()) {
        const count = results[i]?.results[0]?.count ?? 0
        if (count > limit.limit) {
          const windowEnd = (Math.floor(now / limit.windowMs) + 1) * limit.windowMs
          return { allowed: false, key: limit.key, retryAfterSeconds: Math.max(1, Math.ceil((windowEnd - now) / 1000)) }
        }
      }
      return { allowed: true }
    },
  }
}

/** Windows are at most an hour long: older counters are dead weight. */
export async function d1RateLimiterCleanup(db: D1Database, now: number): Promise<void> {
  await db.prepare('DELETE FROM rate_limits WHERE window_start < ?').bind(now - 2 * 3_600_000).run()
}
