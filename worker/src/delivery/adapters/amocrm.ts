// amoCRM / Kommo target: an incoming lead in "Неразобранное" (`leads/unsorted/forms`, default) or a
// lead with its contact at once (`leads/complex`). Formats: amocrm.ru/developers api-v4 unsorted, leads.
import type { AmoCrmTarget } from '../../../../shared/schemas/targets/amocrm'
import type { LeadPayload } from '../../model/lead'
import { exchange, field, maxOrNull, snippet } from './http'
import { leadSummaryLines, leadTitle } from './lead-summary'
import type { AdapterContext, AdapterResult, DeliveryEvent } from './types'

/** amoCRM allows 7 requests per second per account; a 429 waits at least this long. */
export const AMOCRM_THROTTLE_SECONDS = 1

type CustomField = {
  field_id?: number
  field_code?: string
  values: { value: string; enum_code?: string }[]
}

function contactOf(lead: LeadPayload) {
  const fields: CustomField[] = []
  if (lead.contact.phone) fields.push({ field_code: 'PHONE', values: [{ value: lead.contact.phone, enum_code: 'WORK' }] })
  if (lead.contact.email) fields.push({ field_code: 'EMAIL', values: [{ value: lead.contact.email, enum_code: 'WORK' }] })
  return {
    first_name: lead.contact.name ?? lead.contact.phone ?? lead.contact.email ?? '',
    custom_fields_values: fields,
  }
}

function utmFields(target: AmoCrmTarget, lead: LeadPayload): CustomField[] {
  const utm = lead.context?.utm
  const ids = target.utmFieldIds
  if (!utm || !ids) return []
  return (['source', 'medium', 'campaign', 'term', 'content'] as const).flatMap((key) => {
    const id = ids[key]
    const value = utm[key]
    return id !== undefined && value ? [{ field_id: id, values: [{ value }] }] : []
  })
}

function leadOf(target: AmoCrmTarget, lead: LeadPayload) {
  const responsible = lead.manager?.amocrmUserId ?? target.responsibleUserId
  const custom = utmFields(target, lead)
  return {
    name: leadTitle(lead),
    ...(target.pipelineId !== undefined && { pipeline_id: target.pipelineId }),
    ...(responsible !== undefined && { responsible_user_id: responsible }),
    ...(custom.length > 0 && { custom_fields_values: custom }),
    _embedded: { tags: target.tags.map((name) => ({ name })) },
  }
}

/** The request (path and JSON body) for one lead. */
export function amoCrmRequest(target: AmoCrmTarget, event: DeliveryEvent): { path: string; body: unknown } {
  const { lead } = event
  const sentAt = Math.floor(event.occurredAt / 1000)
  if (target.mode === 'complex') {
    return {
      path: '/api/v4/leads/complex',
      body: [
        {
          ...leadOf(target, lead),
          _embedded: { ...leadOf(target, lead)._embedded, contacts: [contactOf(lead)] },
        },
      ],
    }
  }
  return {
    path: '/api/v4/leads/unsorted/forms',
    body: [
      {
        // source_uid is ours: the lead id, so the incoming entry names the lead it came from.
        source_uid: lead.id,
        source_name: target.sourceName,
        ...(target.pipelineId !== undefined && { pipeline_id: target.pipelineId }),
        created_at: sentAt,
        // metadata sits at the top level; inside _embedded amoCRM answers 400 FieldMissing.
        metadata: {
          form_id: `leadcatcher-${lead.source}`,
          form_name: `Leadcatcher: ${lead.source}`,
          form_page: lead.context?.page ?? lead.site,
          form_sent_at: sentAt,
          ...(lead.context?.referrer && { referer: lead.context.referrer }),
        },
        _embedded: { leads: [leadOf(target, lead)], contacts: [contactOf(lead)] },
      },
    ],
  }
}

/** Validation errors from `application/problem+json`: `validation-errors[].errors[].{code,path,detail}`. */
function problemDetail(json: unknown): string {
  const groups = field(json, 'validation-errors')
  const text = (value: unknown) => (value === undefined || value === null ? '' : String(value))
  const details = (Array.isArray(groups) ? groups : []).flatMap((group) => {
    const errors = field(group, 'errors')
    return (Array.isArray(errors) ? errors : []).map((e) => `${text(field(e, 'path'))} ${text(field(e, 'code'))}: ${text(field(e, 'detail'))}`.trim())
  })
  const title = field(json, 'title') ?? field(json, 'detail')
  return [typeof title === 'string' ? title : '', ...details].filter(Boolean).join('; ')
}

type Posted = { ok: true; status: number; json: unknown } | { ok: false; result: AdapterResult }

async function post(target: AmoCrmTarget, path: string, body: unknown, ctx: AdapterContext): Promise<Posted> {
  const sent = await exchange(ctx, `${target.baseUrl.replace(/\/+$/, '')}${path}`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      Authorization: `Bearer ${target.token}`,
      'User-Agent': 'Leadcatcher/1',
    },
    body: JSON.stringify(body),
  })
  if (!sent.ok) return sent
  const { status, json, text } = sent.answer
  if (status >= 200 && status < 300) return { ok: true, status, json }
  const detail = problemDetail(json) || snippet(text)
  const error = `amoCRM ${path}: HTTP ${status}${detail ? ` ${detail}` : ''}`
  if (status === 429)
    return {
      ok: false,
      result: {
        outcome: 'retry',
        httpStatus: status,
        error,
        retryAfterSeconds: maxOrNull(null, AMOCRM_THROTTLE_SECONDS),
      },
    }
  if (status >= 500 || status === 408)
    return {
      ok: false,
      result: { outcome: 'retry', httpStatus: status, error, retryAfterSeconds: null },
    }
  if (status === 401 || status === 403) {
    const hint = 'the token is invalid, expired or lacks rights; put a new long-lived token in the site config'
    return {
      ok: false,
      result: { outcome: 'failed', httpStatus: status, error: `${error}: ${hint}` },
    }
  }
  // 400 validation, 402 (account unpaid), 404 and the rest will not change by waiting.
  return { ok: false, result: { outcome: 'failed', httpStatus: status, error } }
}

/**
 * The created lead's id: `[{ id }]` from complex; unsorted answers `_embedded.unsorted[]` with
 * `uid`, `request_id` and `_embedded.leads[0].id` (read so by amoCRM's PHP library,
 * amocrm/amocrm-api-php src/AmoCRM/EntitiesServices/Unsorted.php). Null when neither is there.
 */
export function createdLeadId(json: unknown): number | null {
  const fromComplex = Array.isArray(json) ? field(json[0], 'id') : undefined
  const unsorted = field(field(json, '_embedded'), 'unsorted')
  const leads = Array.isArray(unsorted) ? field(field(unsorted[0], '_embedded'), 'leads') : undefined
  const fromUnsorted = Array.isArray(leads) ? field(leads[0], 'id') : undefined
  const id = Number(fromComplex ?? fromUnsorted)
  return Number.isInteger(id) && id > 0 ? id : null
}

/**
 * Delivers one event. The answers, score and reasons go as a note on the created lead; a failed
 * note does not fail the delivery (the lead is in the CRM), it is logged. Escalations are not sent:
 * without storing amoCRM ids there is nothing to update, and a new entry would be noise.
 */
export async function forwardToAmoCrm(target: AmoCrmTarget, event: DeliveryEvent, ctx: AdapterContext): Promise<AdapterResult> {
  if (event.type === 'lead.escalated') return { outcome: 'delivered', httpStatus: null, skipped: true, note: 'amoCRM: escalations are not forwarded' }
  const request = amoCrmRequest(target, event)
  if (event.type === 'lead.repeated') {
    const body = request.body as { _embedded: { leads: { name: string }[] } }[]
    for (const entry of body) for (const lead of entry._embedded.leads) lead.name = `Повторная заявка: ${lead.name}`
  }
  const created = await post(target, request.path, request.body, ctx)
  if (!created.ok) return created.result
  const leadId = createdLeadId(created.json)
  if (leadId === null)
    return {
      outcome: 'delivered',
      httpStatus: created.status,
      note: 'amoCRM: no lead id in the answer; summary note not added',
    }
  const note = [{ note_type: 'common', params: { text: leadSummaryLines(event.lead).join('\n') } }]
  const noted = await post(target, `/api/v4/leads/${leadId}/notes`, note, ctx)
  const externalId = String(leadId)
  return noted.ok
    ? { outcome: 'delivered', httpStatus: created.status, externalId }
    : {
        outcome: 'delivered',
        httpStatus: created.status,
        externalId,
        note: `lead ${leadId} created; note failed: ${noted.result.outcome === 'delivered' ? '' : noted.result.error}`,
      }
}
