// What the 201 tells the widget about an automatic call to come, before the call flow decides:
// a callback on a site with a telephony target gets `call`, so the widget follows the real call
// (GET /v1/leads/:id/status says 404 if it is not dialled after all). Spam gets the same answer:
// a bot learns nothing from it.
import type { LeadAcceptedBody } from '../../../shared/api'
import { isOpen } from '../../../shared/hours'
import type { SiteConfig } from '../../../shared/schemas/site-config'
import { isTelephonyTarget } from '../../../shared/schemas/targets/telephony'

export function withExpectedCall(body: LeadAcceptedBody, config: SiteConfig, lead: { source: string; callbackAt?: string | undefined }, now: number): LeadAcceptedBody {
  if (lead.source !== 'callback' || !config.targets.some(isTelephonyTarget)) return body
  const chosen = lead.callbackAt ? Date.parse(lead.callbackAt) : Number.NaN
  const later = (Number.isFinite(chosen) && chosen > now + 60_000) || (config.hours !== undefined && !isOpen(config.hours.week, config.hours.timezone, new Date(now)))
  return { ...body, call: later ? 'scheduled' : 'ringing_manager' }
}
