// From a validated lead to a stored one: idempotency, contact rules, consent, and the delivery rows.
import type { LeadAcceptedBody } from '../../../shared/api'
import { defaultReplyText, visitorErrorMessage } from '../../../shared/messages'
import type { CountryCode } from '../../../shared/phone'
import type { LeadOutput } from '../../../shared/schemas/lead'
import { targetId } from '../../../shared/schemas/site-config'
import { ApiError } from '../http/api-error'
import type { LeadRecord, LeadStore, NewDelivery, LeadPayload, SiteRecord } from '../storage/types'
import { normalizeContact } from './normalize-contact'

export interface IngestOutcome {
  /** `replayed`: this id was accepted before; nothing new was stored or forwarded. */
  kind: 'created' | 'replayed'
  body: LeadAcceptedBody
  deliveryIds: string[]
}

export interface RequestMeta {
  ip: string | null
  userAgent: string | null
  now: number
}

function acceptedBody(record: LeadRecord): LeadAcceptedBody {
  return { id: record.payload.id, status: 'accepted', duplicate: record.payload.duplicate, reply: { text: record.replyText } }
}

async function replayOf(leads: LeadStore, id: string, siteId: string): Promise<IngestOutcome | null> {
  const existing = await leads.findLead(id)
  if (!existing) return null
  if (existing.payload.site !== siteId) {
    throw new ApiError(409, 'id_conflict', 'This lead id is already used by another site; generate a new id.')
  }
  return { kind: 'replayed', body: acceptedBody(existing), deliveryIds: [] }
}

function newDeliveryId(): string {
  // `msg_` as in the Standard Webhooks examples; random so ids reveal nothing about the lead.
  return `msg_${crypto.randomUUID().replaceAll('-', '')}`
}

/** Throws ApiError for what the visitor must fix; everything else returns. */
export async function ingestLead(leads: LeadStore, site: SiteRecord, input: LeadOutput, meta: RequestMeta): Promise<IngestOutcome> {
  const { config } = site
  // A replay must answer the same even if the site config changed since the first request.
  const replay = await replayOf(leads, input.id, site.id)
  if (replay) return replay

  const contact = normalizeContact(input.contact, config.country as CountryCode, config.locale)
  if (!contact.ok) throw new ApiError(400, contact.code, contact.message, { issues: contact.issues })
  if (config.consent?.required && input.consent?.given !== true) {
    const message = visitorErrorMessage('consent_required', config.locale)
    throw new ApiError(400, 'consent_required', message, { issues: [{ path: 'consent.given', message }] })
  }

  const payload: LeadPayload = {
    id: input.id,
    site: site.id,
    source: input.source,
    contact: contact.contact,
    ...(input.message !== undefined && { message: input.message }),
    ...(input.answers !== undefined && { answers: input.answers }),
    ...(input.callbackAt !== undefined && { callbackAt: input.callbackAt }),
    ...(input.consent !== undefined && { consent: input.consent }),
    ...(input.context !== undefined && { context: input.context }),
    createdAt: new Date(meta.now).toISOString(),
    duplicate: false,
  }
  const replyText = config.reply?.text ?? defaultReplyText(config.locale)
  const deliveries: NewDelivery[] = config.targets.map((target, index) => ({
    id: newDeliveryId(),
    targetId: targetId(target, index),
    eventType: 'lead.created',
    nextAttemptAt: meta.now,
  }))

  const stored = await leads.insertLead({ payload, replyText, ip: meta.ip, userAgent: meta.userAgent, createdAt: meta.now }, deliveries)
  if (stored === 'exists') {
    const raced = await replayOf(leads, input.id, site.id)
    if (raced) return raced
  }
  return {
    kind: 'created',
    body: { id: payload.id, status: 'accepted', duplicate: false, reply: { text: replyText } },
    deliveryIds: deliveries.map((d) => d.id),
  }
}
