// Bitrix24 target: `crm.lead.add` through an incoming webhook; repeats become a timeline comment on
// the first lead, escalations reassign it. Formats: bitrix-tools/b24-rest-docs api-reference/crm/leads/
// crm-lead-add.md, crm-lead-list.md, crm-lead-update.md, timeline/comments/crm-timeline-comment-add.md,
// _includes/system-errors.md.
import type { Bitrix24Target } from '../../../../shared/schemas/targets/bitrix24'
import type { LeadPayload } from '../../model/lead'
import { exchange, field, snippet } from './http'
import { leadSummaryLines, leadTitle } from './lead-summary'
import type { AdapterContext, AdapterResult, DeliveryEvent } from './types'

/** ORIGINATOR_ID: marks leads we created, so ORIGIN_ID (our lead id) finds them again. */
export const BITRIX24_ORIGINATOR = 'leadcatcher'

/**
 * Bitrix24 allows 2 requests per second per portal after a burst of 50 (apidocs.bitrix24.ru/limits.html);
 * a throttled delivery waits at least this long before the next try.
 */
export const BITRIX24_THROTTLE_SECONDS = 2

const THROTTLED = new Set(['QUERY_LIMIT_EXCEEDED', 'OVERLOAD_LIMIT'])
const AUTH_ERRORS: Record<string, string> = {
  NO_AUTH_FOUND: 'the webhook code is wrong or the webhook was deleted',
  INVALID_CREDENTIALS: 'the webhook user has no rights for this method',
  ACCESS_DENIED: 'REST API access denied (it is only available on commercial plans)',
  insufficient_scope: 'the webhook lacks the "crm" scope',
  expired_token: 'the token expired',
  user_access_error: 'the webhook user has no access to this application',
  // Answered with HTTP 500, yet no retry brings a deleted portal back.
  PORTAL_DELETED: 'the portal was deleted or its public part is closed',
}

type Call = { ok: true; result: unknown } | { ok: false; result: AdapterResult }

/** One REST call; maps Bitrix24's `{ error, error_description }` answers to adapter outcomes. */
export async function callBitrix24(target: Bitrix24Target, method: string, params: unknown, ctx: AdapterContext): Promise<Call> {
  const base = target.webhookUrl.endsWith('/') ? target.webhookUrl : `${target.webhookUrl}/`
  const sent = await exchange(ctx, `${base}${method}.json`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'User-Agent': 'Leadcatcher/1' },
    body: JSON.stringify(params),
  })
  if (!sent.ok) return sent
  const { status, json, text } = sent.answer
  const code = field(json, 'error')
  if (status >= 200 && status < 300 && code === undefined && json !== null) return { ok: true, result: field(json, 'result') }
  const description = field(json, 'error_description')
  // Method-level "Access denied." comes with an empty code (b24-rest-docs crm-lead-add.md, crm-lead-list.md).
  const name = typeof code === 'string' && code !== '' ? code : `HTTP ${status}`
  const why = typeof description === 'string' && description ? ` (${description})` : ''
  const detail = `Bitrix24 ${method}: ${name}${why}`
  if (code === '' && typeof description === 'string' && /access denied/i.test(description)) {
    return {
      ok: false,
      result: {
        outcome: 'failed',
        httpStatus: status,
        error: `${detail}: the webhook user may not read or add leads; give them CRM lead rights or use another user's webhook`,
      },
    }
  }
  if (typeof code === 'string' && THROTTLED.has(code)) {
    return {
      ok: false,
      result: {
        outcome: 'retry',
        httpStatus: status,
        error: detail,
        retryAfterSeconds: BITRIX24_THROTTLE_SECONDS,
      },
    }
  }
  if (typeof code === 'string' && code in AUTH_ERRORS) {
    return {
      ok: false,
      result: {
        outcome: 'failed',
        httpStatus: status,
        error: `${detail}: ${AUTH_ERRORS[code]}; fix the webhook URL in the site config`,
      },
    }
  }
  if (status >= 500 || status === 429 || status === 408) {
    return {
      ok: false,
      result: {
        outcome: 'retry',
        httpStatus: status,
        error: code ? detail : `${detail} ${snippet(text)}`.trim(),
        retryAfterSeconds: null,
      },
    }
  }
  return {
    ok: false,
    result: {
      outcome: 'failed',
      httpStatus: status,
      error: code ? detail : `${detail} ${snippet(text)}`.trim(),
    },
  }
}

function multiField(value: string | undefined) {
  return value ? [{ VALUE: value, VALUE_TYPE: 'WORK' }] : undefined
}

/** The `fields` of `crm.lead.add` for this lead. */
export function bitrix24LeadFields(target: Bitrix24Target, lead: LeadPayload): Record<string, unknown> {
  const utm = lead.context?.utm
  const sourceId = lead.source === 'callback' ? (target.sourceIds?.callback ?? 'CALLBACK') : (target.sourceIds?.other ?? 'WEB')
  const assignedBy = lead.manager?.bitrixUserId ?? target.assignedById
  const fields: Record<string, unknown> = {
    TITLE: leadTitle(lead),
    NAME: lead.contact.name,
    PHONE: multiField(lead.contact.phone),
    EMAIL: multiField(lead.contact.email),
    SOURCE_ID: sourceId,
    SOURCE_DESCRIPTION: lead.context?.page ?? `Leadcatcher, ${lead.site}`,
    COMMENTS: leadSummaryLines(lead).join('\n'),
    UTM_SOURCE: utm?.source,
    UTM_MEDIUM: utm?.medium,
    UTM_CAMPAIGN: utm?.campaign,
    UTM_CONTENT: utm?.content,
    UTM_TERM: utm?.term,
    ORIGINATOR_ID: BITRIX24_ORIGINATOR,
    ORIGIN_ID: lead.id,
    ASSIGNED_BY_ID: assignedBy,
    OPENED: 'Y',
  }
  // JSON.stringify drops undefined, but the tests compare objects: keep only what is set.
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined))
}

/** The Bitrix24 id of the lead we created for our lead id, if any. */
async function findOurLead(target: Bitrix24Target, leadId: string, ctx: AdapterContext): Promise<{ ok: true; id: number | null } | { ok: false; result: AdapterResult }> {
  const found = await callBitrix24(target, 'crm.lead.list', { filter: { ORIGINATOR_ID: BITRIX24_ORIGINATOR, ORIGIN_ID: leadId }, select: ['ID'] }, ctx)
  if (!found.ok) return found
  const first = Array.isArray(found.result) ? (found.result[0] as unknown) : undefined
  const id = Number(field(first, 'ID'))
  return { ok: true, id: Number.isInteger(id) && id > 0 ? id : null }
}

async function addLead(target: Bitrix24Target, lead: LeadPayload, ctx: AdapterContext): Promise<AdapterResult> {
  const added = await callBitrix24(target, 'crm.lead.add', { fields: bitrix24LeadFields(target, lead), params: { REGISTER_SONET_EVENT: 'Y' } }, ctx)
  return added.ok ? { outcome: 'delivered', httpStatus: 200 } : added.result
}

async function comment(target: Bitrix24Target, bitrixLeadId: number, text: string, ctx: AdapterContext): Promise<AdapterResult> {
  const added = await callBitrix24(target, 'crm.timeline.comment.add', { fields: { ENTITY_ID: bitrixLeadId, ENTITY_TYPE: 'lead', COMMENT: text } }, ctx)
  return added.ok ? { outcome: 'delivered', httpStatus: 200 } : added.result
}

/**
 * Delivers one event to Bitrix24. Bitrix24 has no idempotency key, so a new lead is first looked up
 * by ORIGIN_ID: a retry after a timeout that did land finds it and creates nothing twice.
 */
export async function forwardToBitrix24(target: Bitrix24Target, event: DeliveryEvent, ctx: AdapterContext): Promise<AdapterResult> {
  const { lead } = event
  if (event.type === 'lead.repeated' && lead.duplicateOf) {
    const first = await findOurLead(target, lead.duplicateOf, ctx)
    if (!first.ok) return first.result
    // The first lead may predate this target; then the repeat is a lead of its own.
    if (first.id !== null) {
      return comment(target, first.id, ['Повторная заявка', ...leadSummaryLines(lead), lead.contact.phone ?? '', lead.contact.email ?? ''].filter(Boolean).join('\n'), ctx)
    }
  }
  if (event.type === 'lead.escalated') {
    const ours = await findOurLead(target, lead.id, ctx)
    if (!ours.ok) return ours.result
    if (ours.id === null)
      return {
        outcome: 'failed',
        httpStatus: null,
        error: 'Bitrix24: the escalated lead was never created there',
      }
    const assignedBy = lead.manager?.bitrixUserId
    if (assignedBy !== undefined) {
      const updated = await callBitrix24(target, 'crm.lead.update', { id: ours.id, fields: { ASSIGNED_BY_ID: assignedBy } }, ctx)
      if (!updated.ok) return updated.result
    }
    const who = [lead.manager?.name, lead.headOfSales && `руководитель: ${lead.headOfSales.name}`].filter(Boolean).join(', ')
    return comment(target, ours.id, `Заявку не взяли вовремя (эскалация ${lead.escalations ?? 1})${who ? `: ${who}` : ''}`, ctx)
  }
  const existing = await findOurLead(target, lead.id, ctx)
  if (!existing.ok) return existing.result
  if (existing.id !== null) return { outcome: 'delivered', httpStatus: 200 }
  return addLead(target, lead, ctx)
}
