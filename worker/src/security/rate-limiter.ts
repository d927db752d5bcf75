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
  /** Drops counters whose windows are over. */
  cleanup(now: number): Promise<void>
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
