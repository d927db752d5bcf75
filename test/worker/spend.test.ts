// Campaign spend (issue 16): a CSV with bad rows is refused whole with every bad line named, a good
// one and a JSON period are imported, a re-import replaces, and the report shows cost per lead,
// per qualified and per won lead for the campaign's row. Both runtimes.
import { env } from 'cloudflare:workers'
import * as v from 'valibot'
import { beforeAll, describe, expect, it } from 'vitest'
import { LeadSchema } from '../../shared/schemas/lead'
import { createDeps } from '../../worker/src/cloudflare/deps'
import { ingestLead } from '../../worker/src/pipeline/ingest-lead'
import { ADMIN_TOKEN, adminRequest, putSite, siteConfig, uniqueSite, validLead } from './helpers'
import { exports } from 'cloudflare:workers'

const deps = createDeps(env)
const site = uniqueSite('spend')
const DAY = 24 * 60 * 60_000
const today = new Date().toISOString().slice(0, 10)
const yesterday = new Date(Date.now() - DAY).toISOString().slice(0, 10)

function csv(body: string, target = site) {
  return exports.default.fetch(
    new Request(`https://worker.test/v1/admin/sites/${target}/spend`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, 'Content-Type': 'text/csv; charset=utf-8' },
      body,
    }),
  )
}

async function totals() {
  const response = await adminRequest('GET', `/v1/admin/sites/${site}/spend`)
  return ((await response.json()) as { campaigns: unknown[] }).campaigns
}

beforeAll(async () => {
  await putSite(site, siteConfig({ rateLimits: { perPhonePerHour: 1000, perSitePerMinute: 10_000 } }))
  // yandex / spring: 4 leads, 2 qualified (one of them won).
  const record = (await deps.sites.getSite(site))!
  const ids: string[] = []
  for (let i = 0; i < 4; i++) {
    const lead = validLead(site, { context: { utm: { source: 'yandex', campaign: 'spring' } } })
    const outcome = await ingestLead(deps, record, v.parse(LeadSchema, lead), { ip: null, userAgent: null, now: Date.now() - 60_000 })
    expect(outcome.kind).toBe('created')
    ids.push(outcome.body.id)
  }
  const set = (id: string, to: 'qualified' | 'won') =>
    deps.leads.changeStatus({ leadId: id, to, reason: null, note: null, actor: { kind: 'operator', id: null }, at: Date.now() }, { eventId: crypto.randomUUID(), deliveries: [] })
  await set(ids[0]!, 'qualified')
  await set(ids[1]!, 'won')
})

describe('spend import', () => {
  it('refuses a CSV with bad rows as a whole, naming each line', async () => {
    const response = await csv(`date,utm_source,utm_campaign,cost,currency\n${yesterday},yandex,spring,1000,RUB\n${today},yandex,spring,lots,RUB\nyesterday,vk,x,5,RUB\n`)
    expect(response.status).toBe(400)
    expect(await response.json()).toEqual({
      error: {
        code: 'validation_failed',
        message: '2 row problem(s); nothing was imported.',
        issues: [
          { path: 'line 3: cost', message: 'must be an amount like 12500 or 12500.50' },
          { path: 'line 4: date', message: 'must be a day like 2026-11-23' },
        ],
      },
    })
    expect(await totals()).toEqual([])
  })

  it('imports a good CSV and a JSON period, a re-import replacing the same day', async () => {
    const first = await csv(`date,utm_source,utm_campaign,cost,currency\n${yesterday},yandex,spring,1000,RUB\n${today},yandex,spring,500,RUB\n`)
    expect(await first.json()).toEqual({ site, imported: 2 })
    // The same day again: replaced, not added.
    expect((await csv(`date,utm_source,utm_campaign,cost,currency\n${today},yandex,spring,"1 000,00",RUB\n`)).status).toBe(200)
    const period = await adminRequest('POST', `/v1/admin/sites/${site}/spend`, {
      rows: [{ from: yesterday, to: today, utmSource: 'vk', utmCampaign: 'retarget', cost: 300, currency: 'RUB' }],
    })
    expect(await period.json()).toEqual({ site, imported: 2 })
    // The console's upload: the file's text as JSON { csv }.
    const upload = await adminRequest('POST', `/v1/admin/sites/${site}/spend`, { csv: `date,utm_source,utm_campaign,cost,currency\n${yesterday},google,brand,0,RUB\n` })
    expect(await upload.json()).toEqual({ site, imported: 1 })
    expect(await totals()).toEqual(
      expect.arrayContaining([
        { utmSource: 'yandex', utmCampaign: 'spring', currency: 'RUB', cost: 2000 },
        { utmSource: 'vk', utmCampaign: 'retarget', currency: 'RUB', cost: 300 },
      ]),
    )
  })

  it('shows cost per lead, per qualified and per won lead in the report, and spend with no leads apart', async () => {
    const response = await adminRequest('GET', `/v1/admin/stats?site=${site}&by=campaign`)
    const body = (await response.json()) as { groups: { group: string; spend: unknown }[]; unmatchedSpend: unknown }
    expect(body.groups.find((g) => g.group === 'yandex / spring')!.spend).toEqual([{ currency: 'RUB', cost: 2000, perLead: 500, perQualified: 1000, perWon: 2000 }])
    expect(body.unmatchedSpend).toEqual(
      expect.arrayContaining([
        { group: 'vk / retarget', currency: 'RUB', cost: 300 },
        { group: 'google / brand', currency: 'RUB', cost: 0 },
      ]),
    )
    expect(body.unmatchedSpend).toHaveLength(2)
    const bySource = (await (await adminRequest('GET', `/v1/admin/stats?site=${site}&by=utm_source`)).json()) as { groups: { group: string; spend: unknown }[] }
    expect(bySource.groups.find((g) => g.group === 'yandex')!.spend).toEqual([{ currency: 'RUB', cost: 2000, perLead: 500, perQualified: 1000, perWon: 2000 }])
    const byPage = (await (await adminRequest('GET', `/v1/admin/stats?site=${site}&by=page`)).json()) as { groups: { spend: unknown }[] }
    expect(byPage.groups.every((g) => Array.isArray(g.spend) && g.spend.length === 0)).toBe(true)
  })

  it('answers 404 for an unknown site and 415 for another body type', async () => {
    expect((await csv('date,utm_source,utm_campaign,cost,currency\n', 'no-such-site')).status).toBe(404)
    const response = await exports.default.fetch(
      new Request(`https://worker.test/v1/admin/sites/${site}/spend`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, 'Content-Type': 'text/plain' },
        body: 'x',
      }),
    )
    expect(response.status).toBe(415)
  })
})
