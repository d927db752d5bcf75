// Whether a lead gets an automatic call, and when: a callback with a dialable phone of an allowed
// country, not a repeat (unless the target allows them), inside working hours or at the time the
// visitor chose. Spam never gets here (spam has no deliveries).
import { parsePhoneNumberFromString } from 'libphonenumber-js/core'
import { isOpen, nextOpening } from '../../../shared/hours'
import type { SiteConfig } from '../../../shared/schemas/site-config'
import type { TelephonyTarget } from '../../../shared/schemas/targets/telephony'
import type { LeadPayload } from '../model/lead'
import { PHONE_METADATA } from '../phone/phone-metadata'

export type CallPlan = { dial: false; reason: string } | { dial: true; at: number }

/** Never dialled: the visitor pays nothing, but these cost us and are what toll fraud aims at. */
const UNDIALLABLE_TYPES = new Set(['PREMIUM_RATE', 'SHARED_COST', 'UAN', 'VOICEMAIL', 'PAGER'])

/** A callbackAt this close is "now": the visitor picked the current slot. */
const SOON_MS = 60_000

export function planCall(config: SiteConfig, target: TelephonyTarget, lead: LeadPayload, now: number): CallPlan {
  if (lead.source !== 'callback') return { dial: false, reason: `a ${lead.source} lead, not a callback` }
  const phone = lead.contact.phone
  if (!phone) return { dial: false, reason: 'no phone number' }
  const parsed = parsePhoneNumberFromString(phone, PHONE_METADATA)
  if (!parsed?.isValid()) return { dial: false, reason: 'not a valid phone number' }
  const type = parsed.getType()
  if (type && UNDIALLABLE_TYPES.has(type)) return { dial: false, reason: `a ${type.toLowerCase().replace('_', '-')} number` }
  const countries = target.countries ?? [config.country]
  if (!parsed.country || !countries.includes(parsed.country)) {
    return { dial: false, reason: `a number of ${parsed.country ?? 'no country'}, outside ${countries.join(', ')}` }
  }
  if (lead.duplicate && !target.allowRepeats) return { dial: false, reason: 'a repeat of an earlier lead' }

  const chosen = lead.callbackAt ? Date.parse(lead.callbackAt) : Number.NaN
  if (Number.isFinite(chosen) && chosen > now + SOON_MS) return { dial: true, at: chosen }
  const hours = config.hours
  if (!hours || isOpen(hours.week, hours.timezone, new Date(now))) return { dial: true, at: now }
  const opening = nextOpening(hours.week, hours.timezone, new Date(now))
  if (!opening) return { dial: false, reason: 'the working hours have no opening' }
  return { dial: true, at: opening.at.getTime() }
}
