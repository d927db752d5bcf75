// Exact fixed-window rate limits. Keys are chosen so a visitor behind a shared IP (office, mobile
// carrier NAT) is not blocked by a noisy neighbour: the tight limits are per phone and per email,
// the IP limit is a generous ceiling, and the per-site limit only stops floods. A hit is all or
// nothing, so a client that is refused never spends the budget it shares with others.
import { clientNetwork } from './client-network'

export interface RateLimit {
  key: string
  limit: number
  windowMs: number
}

export type RateDecision = { allowed: true } | { allowed: false; key: string; retryAfterSeconds: number }

export interface RateLimiter {
  /**
   * Counts one hit on every key at once when every key is below its limit; otherwise refuses and
   * counts it on none. The refusal names the key that frees up last.
   */
  hit(limits: RateLimit[], now: number): Promise<RateDecision>
  /** Drops counters whose windows are over. */
  cleanup(now: number): Promise<void>
}

export interface RateLimitSettings {
  perPhonePerHour: number
  perEmailPerHour: number
  perIpPer10Minutes: number
  perSitePerMinute: number
  /** Refused submissions of one IP that the source-quality stats count, per hour. */
  rejectionsCountedPerIpPerHour: number
}

export const DEFAULT_RATE_LIMITS: RateLimitSettings = {
  perPhonePerHour: 5,
  perEmailPerHour: 5,
  perIpPer10Minutes: 30,
  perSitePerMinute: 300,
  rejectionsCountedPerIpPerHour: 5,
}

const MINUTE = 60_000
const HOUR = 60 * MINUTE

/** The per-IP limit, shared by leads and refused submissions: one client, one budget. */
function ipLimit(ip: string, settings: RateLimitSettings): RateLimit {
  return { key: `ip:${clientNetwork(ip)}`, limit: settings.perIpPer10Minutes, windowMs: 10 * MINUTE }
}

export interface LimitedContact {
  phone?: string
  email?: string
}

export function leadRateLimits(site: string, contact: LimitedContact, ip: string | null, settings: RateLimitSettings): RateLimit[] {
  const limits: RateLimit[] = [{ key: `site:${site}`, limit: settings.perSitePerMinute, windowMs: MINUTE }]
  if (contact.phone) limits.push({ key: `phone:${site}:${contact.phone}`, limit: settings.perPhonePerHour, windowMs: HOUR })
  // Only the domain is stored lower-cased; the limit ignores case, as dedupe does.
  if (contact.email) limits.push({ key: `email:${site}:${contact.email.toLowerCase()}`, limit: settings.perEmailPerHour, windowMs: HOUR })
  if (ip) limits.push(ipLimit(ip, settings))
  return limits
}

/**
 * A submission refused for what it sent (bad phone, no consent…) spends its IP's budget like a
 * lead, so an IP over its limit gets 429 whatever it sends. It never touches the site's ceiling.
 */
export function rejectionRateLimits(ip: string | null, settings: RateLimitSettings): RateLimit[] {
  return ip ? [ipLimit(ip, settings)] : []
}

/** How many of one IP's refused submissions the stats record per hour: no client decides a campaign's figures. */
export function countedRejectionLimits(site: string, ip: string | null, settings: RateLimitSettings): RateLimit[] {
  return ip ? [{ key: `rejected:${site}:${clientNetwork(ip)}`, limit: settings.rejectionsCountedPerIpPerHour, windowMs: HOUR }] : []
}
