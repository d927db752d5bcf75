// Contact rules: a phone or an email is required; phones become E.164 for the site's country.
import type { FieldIssue } from '../../../shared/api'
import { normalizeEmail } from '../../../shared/email'
import { visitorErrorMessage } from '../../../shared/messages'
import { normalizePhone } from '../../../shared/phone'
import type { CountryCode } from '../../../shared/phone'
import type { NumberType } from 'libphonenumber-js/core'
import type { LeadOutput } from '../../../shared/schemas/lead'
import type { Locale } from '../../../shared/schemas/site-config'
import type { LeadContact } from '../model/lead'
import { PHONE_METADATA } from '../phone/phone-metadata'

export type ContactResult =
  | { ok: true; contact: LeadContact; phoneType: NumberType | undefined }
  | { ok: false; code: 'contact_required' | 'invalid_phone' | 'invalid_email'; message: string; issues: FieldIssue[] }

export function normalizeContact(contact: LeadOutput['contact'], country: CountryCode, locale: Locale): ContactResult {
  const { name, phone, email } = contact
  if (phone === undefined && email === undefined) {
    const message = visitorErrorMessage('contact_required', locale)
    return { ok: false, code: 'contact_required', message, issues: [{ path: 'contact.phone', message }] }
  }
  const out: LeadContact = {}
  let phoneType: NumberType | undefined
  if (name !== undefined) out.name = name
  if (phone !== undefined) {
    const result = normalizePhone(phone, { defaultCountry: country, metadata: PHONE_METADATA, strictness: 'valid' })
    if (!result.ok) {
      const message = visitorErrorMessage('invalid_phone', locale)
      return { ok: false, code: 'invalid_phone', message, issues: [{ path: 'contact.phone', message }] }
    }
    out.phone = result.e164
    phoneType = result.type
  }
  if (email !== undefined) {
    const normalized = normalizeEmail(email)
    if (normalized === null) {
      const message = visitorErrorMessage('invalid_email', locale)
      return { ok: false, code: 'invalid_email', message, issues: [{ path: 'contact.email', message }] }
    }
    out.email = normalized
  }
  return { ok: true, contact: out, phoneType }
}
