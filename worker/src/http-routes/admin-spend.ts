// POST /v1/admin/sites/:site/spend: campaign spend for cost per lead, as CSV (text/csv: date,
// utm_source, utm_campaign, cost, currency, or JSON { csv }) or JSON ({ rows: [...] }, a day or a
// period each).
// Every row is checked first; one bad row and nothing is imported, every bad one listed.
// GET /v1/admin/sites/:site/spend?from&to: the totals per campaign and currency.
import { Hono } from 'hono'
import * as v from 'valibot'
import type { AdminEnv } from '../deps'
import { ApiError } from '../http/api-error'
import { parseOrReject } from '../http/valibot-issues'
import { jsonBodyLimit } from '../middleware/json-body-limit'
import { assertSiteAccess } from '../security/access-scope'
import { parseSpendCsv, parseSpendJson } from '../spend/parse-spend'
import type { SpendParse } from '../spend/parse-spend'
import { DateParamSchema } from '../http/query-params'

export const adminSpendRoute = new Hono<AdminEnv>()

const DAY_MS = 24 * 60 * 60_000

async function siteOrNotFound(c: Parameters<typeof assertSiteAccess>[0], siteId: string): Promise<void> {
  assertSiteAccess(c, siteId, 'site')
  if (!(await c.var.deps.sites.getSite(siteId))) throw new ApiError(404, 'not_found', 'No site here.')
}

// 5000 rows of CSV fit in well under 1 MB.
adminSpendRoute.post('/:site/spend', jsonBodyLimit({ maxBytes: 1024 * 1024 }), async (c) => {
  const siteId = c.req.param('site')
  await siteOrNotFound(c, siteId)
  const mediaType = (c.req.header('Content-Type') ?? '').split(';')[0]!.trim().toLowerCase()
  const text = new TextDecoder().decode(await c.req.arrayBuffer())
  let parsed: SpendParse
  if (mediaType === 'text/csv') parsed = parseSpendCsv(text)
  else if (mediaType === 'application/json') {
    let body: unknown
    try {
      body = JSON.parse(text)
    } catch {
      throw new ApiError(400, 'invalid_json', 'The request body is not valid JSON.')
    }
    // The console uploads a file as { csv: "<its text>" }, through the same JSON client as the rest.
    const csv = typeof body === 'object' && body !== null && 'csv' in body ? body.csv : undefined
    parsed = typeof csv === 'string' ? parseSpendCsv(csv) : parseSpendJson(body)
  } else throw new ApiError(415, 'unsupported_media_type', 'Content-Type must be text/csv or application/json.')
  if (!parsed.ok) {
    throw new ApiError(400, 'validation_failed', `${parsed.issues.length} row problem(s); nothing was imported.`, { issues: parsed.issues })
  }
  const { deps } = c.var
  const days = await deps.spend.importDays(siteId, parsed.days, deps.now())
  return c.json({ site: siteId, imported: days })
})

const TotalsQuerySchema = v.object({ from: v.optional(DateParamSchema), to: v.optional(DateParamSchema) })

adminSpendRoute.get('/:site/spend', async (c) => {
  const siteId = c.req.param('site')
  await siteOrNotFound(c, siteId)
  const query = parseOrReject(TotalsQuerySchema, c.req.query(), 'Invalid query parameters.')
  const { deps } = c.var
  const to = query.to ?? deps.now()
  const from = query.from ?? to - 30 * DAY_MS
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10)
  const totals = await deps.spend.totals(siteId, day(from), day(to - 1))
  return c.json({
    site: siteId,
    from: day(from),
    to: day(to - 1),
    campaigns: totals.map((t) => ({ utmSource: t.utmSource, utmCampaign: t.utmCampaign, currency: t.currency, cost: t.costMinor / 100 })),
  })
})
