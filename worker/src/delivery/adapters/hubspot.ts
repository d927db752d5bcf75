// HubSpot target: a Forms v3 submission (portal + form GUID, with page context and consent) or a
// CRM v3 contact. Formats: developers.hubspot.com forms v3 "Submit data to a form", crm/v3/objects/contacts.
import type { HubSpotTarget } from '../../../../shared/schemas/targets/hubspot'
import type { LeadPayload } from '../../model/lead'
import { exchange, field, maxOrNull, snippet } from './http'
import type { AdapterContext, AdapterResult, DeliveryEvent } from './types'

const FORMS_API = 'https://api.hsforms.com/submissions/v3/integration'
const CRM_API = 'https://api.hubapi.com/crm/v3/objects/contacts'

/** HubSpot limits bursts per 10 s window (50 unauthenticated form submissions): a 429 waits one window. */
export const HUBSPOT_THROTTLE_SECONDS = 10

/** `0-1` is the contact object: only its standard properties, since forms reject fields they do not have. */
function formFields(lead: LeadPayload) {
  const fields: { objectTypeId: '0-1'; name: string; value: string }[] = []
  if (lead.contact.email) fields.push({ objectTypeId: '0-1', name: 'email', value: lead.contact.email })
  if (lead.contact.name) fields.push({ objectTypeId: '0-1', name: 'firstname', value: lead.contact.name })
  if (lead.contact.phone) fields.push({ objectTypeId: '0-1', name: 'phone', value: lead.contact.phone })
  return fields
}

export function hubSpotFormBody(lead: LeadPayload, occurredAt: number): Record<string, unknown> {
  const page = lead.context?.page
  let pageName: string | undefined
  if (page) {
    try {
      pageName = new URL(page).pathname
    } catch {
      pageName = undefined
    }
  }
  return {
    submittedAt: String(occurredAt),
    fields: formFields(lead),
    // The visitor's IP is not part of the lead payload (kept out of targets on purpose), so no ipAddress.
    ...(page && { context: { pageUri: page, ...(pageName && { pageName }) } }),
    ...(lead.consent?.given && {
      legalConsentOptions: { consent: { consentToProcess: true, text: lead.consent.text } },
    }),
  }
}

export function hubSpotContactBody(lead: LeadPayload): Record<string, unknown> {
  const properties: Record<string, string> = {}
  if (lead.contact.email) properties.email = lead.contact.email
  if (lead.contact.name) properties.firstname = lead.contact.name
  if (lead.contact.phone) properties.phone = lead.contact.phone
  return { properties }
}

function messageOf(json: unknown, text: string): string {
  const message = field(json, 'message')
  const category = field(json, 'category')
  const errors = field(json, 'errors')
  const details = Array.isArray(errors) ? errors.map((e) => field(e, 'message')).filter((m): m is string => typeof m === 'string') : []
  const head = [typeof category === 'string' ? category : '', typeof message === 'string' ? message : ''].filter(Boolean).join(' ')
  return [head, ...details].filter(Boolean).join('; ') || snippet(text)
}

export async function forwardToHubSpot(target: HubSpotTarget, event: DeliveryEvent, ctx: AdapterContext): Promise<AdapterResult> {
  // Repeats and escalations carry no new contact data HubSpot could use; a form re-submission would
  // count as another conversion, so only the first lead goes.
  if (event.type !== 'lead.created') return { outcome: 'delivered', httpStatus: null, skipped: true, note: `HubSpot: ${event.type} not forwarded` }
  const contactMode = target.mode === 'contact'
  const url = contactMode ? CRM_API : `${FORMS_API}/${target.accessToken ? 'secure/submit' : 'submit'}/${target.portalId}/${target.formGuid}`
  const headers: Record<string, string> = { 'Content-Type': 'application/json' }
  if (target.accessToken) headers.Authorization = `Bearer ${target.accessToken}`
  const body = contactMode ? hubSpotContactBody(event.lead) : hubSpotFormBody(event.lead, event.occurredAt)
  const sent = await exchange(ctx, url, { method: 'POST', headers, body: JSON.stringify(body) })
  if (!sent.ok) return sent.result
  const { status, json, text } = sent.answer
  if (status >= 200 && status < 300) {
    // A created contact's id: its propertyChange events name it as objectId.
    const id = contactMode ? field(json, 'id') : undefined
    const externalId = typeof id === 'string' || typeof id === 'number' ? String(id) : undefined
    return { outcome: 'delivered', httpStatus: status, ...(externalId && { externalId }) }
  }
  const error = `HubSpot: HTTP ${status} ${messageOf(json, text)}`.trim()
  // "Contact already exists. Existing ID: 123": the person is in the CRM, which is what we wanted.
  if (contactMode && status === 409) {
    const existing = /Existing ID: (\d+)/.exec(error)?.[1]
    return { outcome: 'delivered', httpStatus: status, note: error, ...(existing && { externalId: existing }) }
  }
  if (status === 429)
    return {
      outcome: 'retry',
      httpStatus: status,
      error,
      retryAfterSeconds: maxOrNull(null, HUBSPOT_THROTTLE_SECONDS),
    }
  if (status >= 500 || status === 408) return { outcome: 'retry', httpStatus: status, error, retryAfterSeconds: null }
  // 400 VALIDATION_ERROR (unknown field, bad email), 401/403 token, 404 portal or form: permanent.
  return { outcome: 'failed', httpStatus: status, error }
}
