// What must hold before an auto-reply leaves, beyond its template: one reply per address and
// target per window, whatever form the lead came through; SMS only to mobile numbers of the
// site's countries, never to satellite or international-network ranges, and within the site's
// SMS budget per hour. Pumping SMS or bombing an inbox through our replies costs the site money
// and a victim their peace.
import { parsePhoneNumberFromString } from 'libphonenumber-js/core'
import type { SiteConfig, Target } from '../../../shared/schemas/site-config'
import type { DeliveryEvent } from '../delivery/adapters/types'
import { PHONE_METADATA } from '../phone/phone-metadata'
import type { RateLimiter } from '../security/rate-limiter'

export type AutoReplyChannel = 'email' | 'sms'

export interface AutoReplyHistoryQuery {
  siteId: string
  channel: AutoReplyChannel
  /** E.164 phone or email, as the lead holds it. */
  address: string
  targetId: string
  /** The lead asking; only leads before it count. */
  leadId: string
  leadCreatedAt: number
  since: number
}

/** The record of auto-replies already made, read from the leads and their deliveries. */
export interface AutoReplyHistory {
  /**
   * Whether an earlier lead of the site with this address, since `since`, got this target's reply
   * (delivered, not skipped) or still has it pending.
   */
  repliedBefore(query: AutoReplyHistoryQuery): Promise<boolean>
}

export interface AutoReplyGateDeps {
  siteId: string
  config: SiteConfig
  targetId: string
  history?: AutoReplyHistory
  limiter?: RateLimiter
  now: number
}

export const DEFAULT_SMS_PER_HOUR = 30
const HOUR_MS = 3_600_000
const DAY_MS = 24 * HOUR_MS

/**
 * E.164 codes of international networks and global services (ITU-T E.164 list of assigned
 * codes): freephone 800, shared cost 808, Inmarsat 870, UPT 878, the satellite systems of 881
 * (Iridium 8816/8817, Globalstar 8818/8819…), the international networks 882 and 883, OCHA 888,
 * international premium rate 979, trials 991. A message there costs many times a local one and
 * no visitor leaves such a number on a landing page.
 */
const INTERNATIONAL_NETWORK_CODES = new Set(['800', '808', '870', '878', '881', '882', '883', '888', '979', '991'])

/** Types an SMS can reach. `FIXED_LINE_OR_MOBILE`: countries whose plans do not tell them apart (US, CA…). */
const SMS_CAPABLE_TYPES = new Set(['MOBILE', 'FIXED_LINE_OR_MOBILE'])

/** The countries SMS may go to: the site's list, else the site's own country. */
export function smsCountries(config: SiteConfig): string[] {
  return config.sms?.countries ?? [config.country]
}

/** Why no SMS may go to this E.164 number, or null when it may. */
export function smsDestinationRefusal(phone: string, countries: readonly string[]): string | null {
  const parsed = parsePhoneNumberFromString(phone, PHONE_METADATA)
  if (!parsed?.isValid()) return 'not a valid phone number: no SMS'
  if (INTERNATIONAL_NETWORK_CODES.has(parsed.countryCallingCode) || !parsed.country) {
    return `+${parsed.countryCallingCode} is a satellite or international-network code: SMS there are always refused`
  }
  if (!countries.includes(parsed.country)) {
    return `a number of ${parsed.country}: SMS go only to ${countries.join(', ')} (sms.countries)`
  }
  const type = parsed.getType()
  if (!type || !SMS_CAPABLE_TYPES.has(type)) {
    return `not a mobile number (${type?.toLowerCase().replaceAll('_', ' ') ?? 'type unknown'}): SMS go to mobiles only`
  }
  return null
}

/** How far back a reply to the same address counts: the dedupe window, or a day without dedupe. */
function windowMs(config: SiteConfig): number {
  const days = config.dedupe?.windowDays ?? 30
  return days > 0 ? days * DAY_MS : DAY_MS
}

/**
 * Why this auto-reply must not be sent (a note for the delivery log; the delivery counts as done,
 * nothing goes out), or null to send it. Only `lead.created` is judged here: the adapters skip
 * repeats, escalations and leads without an address themselves.
 */
export async function autoReplyRefusal(deps: AutoReplyGateDeps, target: Target, event: DeliveryEvent): Promise<string | null> {
  if (target.type !== 'autoreply-email' && target.type !== 'autoreply-sms') return null
  if (event.type !== 'lead.created') return null
  const channel: AutoReplyChannel = target.type === 'autoreply-sms' ? 'sms' : 'email'
  const { lead } = event
  const address = channel === 'sms' ? lead.contact.phone : lead.contact.email
  if (!address) return null
  if (channel === 'sms') {
    const refusal = smsDestinationRefusal(address, smsCountries(deps.config))
    if (refusal) return refusal
  }
  const createdAt = Date.parse(lead.createdAt)
  if (
    deps.history &&
    (await deps.history.repliedBefore({
      siteId: deps.siteId,
      channel,
      address,
      targetId: deps.targetId,
      leadId: lead.id,
      leadCreatedAt: Number.isFinite(createdAt) ? createdAt : deps.now,
      since: deps.now - windowMs(deps.config),
    }))
  ) {
    const days = Math.round(windowMs(deps.config) / DAY_MS)
    return `this ${channel === 'sms' ? 'number' : 'address'} already got this auto-reply for an earlier lead: one per contact per ${days === 1 ? 'day' : `${days} days`}`
  }
  if (channel === 'sms' && deps.limiter) {
    // Spent last, so only an SMS that is really about to go counts.
    const perHour = deps.config.sms?.perHour ?? DEFAULT_SMS_PER_HOUR
    const spent = perHour > 0 && (await deps.limiter.hit([{ key: `sms:${deps.siteId}`, limit: perHour, windowMs: HOUR_MS }], deps.now)).allowed
    if (!spent) return `the site's SMS budget of ${perHour} an hour is spent (sms.perHour)`
  }
  return null
}
