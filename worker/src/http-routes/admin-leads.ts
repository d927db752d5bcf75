// GET /v1/admin/leads (filters, search, cursor pages, CSV export) and GET /v1/admin/leads/:id with
// its deliveries, every attempt and its status history.
import { Hono } from 'hono'
import * as v from 'valibot'
import { normalizePhone } from '../../../shared/phone'
import type { CountryCode } from '../../../shared/phone'
import { LEAD_SOURCES, SITE_KEY_PATTERN } from '../../../shared/schemas/lead'
import { reasonLine } from '../../../shared/score-reasons'
import { JUNK_REASONS, LEAD_STATUSES } from '../../../shared/schemas/lead-status'
import type { LeadStatus } from '../../../shared/schemas/lead-status'
import { csvStream } from '../http/csv'
import { parseOrReject } from '../http/valibot-issues'
import { PHONE_METADATA } from '../phone/phone-metadata'
import type { LeadQuery, LeadRecord, LeadSearch } from '../storage/types'
import { BooleanParamSchema, DateParamSchema, LimitParamSchema, cursorParam, encodeCursor } from '../http/query-params'
import { scopedSite } from '../security/access-scope'
import type { AdminEnv, Deps } from '../deps'
import { describeLead, findVisibleLead, leadDetail } from './lead-view'

export const adminLeadsRoute = new Hono<AdminEnv>()

const CSV_MAX_ROWS = 10_000
/** Rows read and written per step of the CSV stream: at most ~6 MB of stored leads in memory. */
export const CSV_PAGE_ROWS = 200

function textParam(max: number) {
  return v.pipe(v.string(), v.minLength(1, 'must not be empty'), v.maxLength(max, `must be at most ${max} characters`))
}

const ListQuerySchema = v.object({
  site: v.optional(v.pipe(v.string(), v.regex(SITE_KEY_PATTERN, 'must be a site key'))),
  from: v.optional(DateParamSchema),
  to: v.optional(DateParamSchema),
  temperature: v.optional(v.picklist(['hot', 'warm', 'cold'], 'must be hot, warm or cold')),
  spam: v.optional(BooleanParamSchema),
  duplicate: v.optional(BooleanParamSchema),
  /** One status or a comma list: `status=new,in_work`. */
  status: v.optional(
    v.pipe(
      v.string(),
      v.transform((s) => s.split(',').map((part) => part.trim())),
      v.check(
        (parts): parts is LeadStatus[] => parts.every((p) => (LEAD_STATUSES as readonly string[]).includes(p)),
        `must be one or more of ${LEAD_STATUSES.join(', ')}, comma-separated`,
      ),
      v.transform((parts) => parts as LeadStatus[]),
    ),
  ),
  /** Junk leads with this reason (implies status=junk): the report's "junk by reason" cells. */
  junkReason: v.optional(v.picklist(JUNK_REASONS, `must be one of ${JUNK_REASONS.join(', ')}`)),
  campaign: v.optional(textParam(200)),
  utmSource: v.optional(textParam(200)),
  source: v.optional(v.picklist(LEAD_SOURCES, `must be one of ${LEAD_SOURCES.join(', ')}`)),
  page: v.optional(textParam(2000)),
  manager: v.optional(v.pipe(v.string(), v.regex(/^[a-z0-9][a-z0-9_-]{0,31}$/, 'must be a manager id'))),
  q: v.optional(v.pipe(v.string(), v.trim(), v.minLength(1, 'must not be empty'), v.maxLength(200, 'must be at most 200 characters'))),
  format: v.optional(v.picklist(['json', 'csv'], 'must be json or csv'), 'json'),
  limit: LimitParamSchema,
  // Any case: a lead stored before ids were lower-cased at ingest still ends a page.
  cursor: cursorParam('[0-9a-fA-F-]{36}'),
})

/**
 * The search box: a name or email fragment, or a phone in any format. A phone is normalised as
 * ingest does it (E.164 for the site's country, or for each country of the operator's sites), so
 * "8 (912) 345-67-89" finds +79123456789; four digits or more also match inside stored numbers.
 */
async function searchFor(deps: Deps, text: string, site: string | undefined): Promise<LeadSearch> {
  const digits = text.replace(/\D/g, '')
  if (!/^[\d\s()+.-]+$/.test(text) || digits.length < 4) return { text, phones: [] }
  const sites = site === undefined ? await deps.sites.listSites() : [await deps.sites.getSite(site)]
  const countries = new Set(sites.flatMap((s) => (s ? [s.config.country as CountryCode] : [])))
  const phones = new Set<string>()
  for (const defaultCountry of countries) {
    const phone = normalizePhone(text, { defaultCountry, metadata: PHONE_METADATA, strictness: 'valid' })
    if (phone.ok) phones.add(phone.e164)
  }
  return { text, phones: [...phones], digits }
}

const CSV_HEADER = [
  'id',
  'created_at',
  'site',
  'source',
  'status',
  'junk_reason',
  'first_action_at',
  'manager',
  'spam',
  'spam_flags',
  'name',
  'phone',
  'email',
  'score',
  'temperature',
  'reasons',
  'duplicate_of',
  'utm_source',
  'utm_medium',
  'utm_campaign',
  'page',
  'message',
]

/** The score's reasons in the lead's language (the one the visitor saw; Russian when unknown). */
function reasonsColumn(payload: LeadRecord['payload'], flags: LeadRecord['flags']): string {
  const facts = { visits: payload.context?.visits, pagesViewed: payload.context?.pagesViewed, spam: flags.map((f) => f.code) }
  return payload.reasons.map((r) => reasonLine(r, payload.locale ?? 'ru', facts)).join('; ')
}

function csvRow({ payload, status, flags, stage, junkReason, firstActionAt }: LeadRecord): unknown[] {
  const utm = payload.context?.utm
  return [
    payload.id,
    payload.createdAt,
    payload.site,
    payload.source,
    stage,
    junkReason,
    firstActionAt === null ? null : new Date(firstActionAt).toISOString(),
    payload.manager?.id,
    status === 'spam' ? 'true' : 'false',
    flags.map((f) => f.code).join(' '),
    payload.contact.name,
    payload.contact.phone,
    payload.contact.email,
    payload.score,
    payload.temperature,
    reasonsColumn(payload, flags),
    payload.duplicateOf,
    utm?.source,
    utm?.medium,
    utm?.campaign,
    payload.context?.page,
    payload.message,
  ]
}

adminLeadsRoute.get('/', async (c) => {
  const params = parseOrReject(ListQuerySchema, c.req.query(), 'Invalid query parameters.')
  const { from, to, temperature, spam, duplicate, status, junkReason, campaign, utmSource, source, page: landing, manager, q, format, limit, cursor } = params
  const site = scopedSite(c, params.site)
  const { deps } = c.var
  const query: LeadQuery = {
    ...(site !== undefined && { siteId: site }),
    ...(from !== undefined && { from }),
    ...(to !== undefined && { to }),
    ...(temperature !== undefined && { temperature }),
    ...(spam !== undefined && { spam }),
    ...(duplicate !== undefined && { duplicate }),
    ...(status !== undefined && { stages: status }),
    ...(junkReason !== undefined && { junkReason }),
    ...(campaign !== undefined && { utmCampaign: campaign }),
    ...(utmSource !== undefined && { utmSource }),
    ...(source !== undefined && { source }),
    ...(landing !== undefined && { page: landing }),
    ...(manager !== undefined && { managerId: manager }),
    ...(q !== undefined && { search: await searchFor(deps, q, site) }),
    limit,
    ...(cursor && { before: cursor }),
  }

  if (format === 'csv') {
    // Streamed a page at a time: 10 000 leads of 32 KB each held at once took workerd past 1 GB.
    const truncated = (await deps.leads.listLeads({ ...query, limit: 1, offset: CSV_MAX_ROWS })).length > 0
    let before = query.before
    let sent = 0
    let done = false
    const nextPage = async () => {
      if (done) return null
      const limit = Math.min(CSV_PAGE_ROWS, CSV_MAX_ROWS - sent)
      const page = await deps.leads.listLeads({ ...query, limit, ...(before && { before }) })
      sent += page.length
      done = page.length < limit || sent >= CSV_MAX_ROWS
      before = page.length > 0 ? { createdAt: page.at(-1)!.createdAt, id: page.at(-1)!.payload.id } : before
      return page.map(csvRow)
    }
    c.header('Content-Type', 'text/csv; charset=utf-8')
    c.header('Content-Disposition', `attachment; filename="leads${site ? `-${site}` : ''}.csv"`)
    if (truncated) c.header('X-Truncated', 'true')
    return c.body(csvStream(CSV_HEADER, nextPage))
  }

  // One row more than asked tells whether there is a next page without a COUNT query.
  const rows = await deps.leads.listLeads({ ...query, limit: limit + 1 })
  const page = rows.slice(0, limit)
  const deliveries = await deps.deliveries.listForLeads(page.map((r) => r.payload.id))
  return c.json({
    leads: page.map((r) =>
      describeLead(
        r,
        deliveries.filter((d) => d.leadId === r.payload.id),
      ),
    ),
    nextCursor: rows.length > limit ? encodeCursor({ createdAt: page.at(-1)!.createdAt, id: page.at(-1)!.payload.id }) : null,
  })
})

adminLeadsRoute.get('/:id', async (c) => {
  const { record } = await findVisibleLead(c, c.req.param('id'))
  return c.json(await leadDetail(c.var.deps, record))
})
