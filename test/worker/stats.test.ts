// Source-quality stats on a fixture of 200 submissions where one campaign is mostly junk.
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import worker from '../../worker/src/cloudflare/index'
import type { LeadInput } from '../../shared/schemas/lead'
import { WEBHOOK_TARGET, adminRequest, leadRequest, putSite, randomMobile, siteConfig, uniqueSite, validLead } from './helpers'

const site = uniqueSite('stats')

function withUtm(lead: LeadInput, campaign: string | null, page = 'https://shop.example/flats'): LeadInput {
  const url = campaign ? `${page}?utm_source=yandex&utm_campaign=${campaign}` : page
  return { ...lead, context: { page: url, ...(campaign && { utm: { source: 'yandex', campaign } }) } }
}

async function submit(lead: LeadInput): Promise<number> {
  const ctx = createExecutionContext()
  const response = await worker.fetch(leadRequest(lead), env, ctx)
  await waitOnExecutionContext(ctx)
  return response.status
}

interface Group {
  group: string | null
  leads: number
  accepted: number
  spamPercent: number
  invalidPhonePercent: number
  duplicatePercent: number
  rejected: number
  hot: number
  warm: number
  cold: number
  medianFirstDeliveryMs: number | null
}

async function stats(query: string) {
  const response = await adminRequest('GET', `/v1/admin/stats?site=${site}&${query}`)
  expect(response.status).toBe(200)
  return (await response.json()) as { by: string; groups: Group[] }
}

beforeAll(async () => {
  await putSite(site, siteConfig({ targets: [WEBHOOK_TARGET], rateLimits: { perPhonePerHour: 1000, perSitePerMinute: 10_000 } }))
  vi.spyOn(globalThis, 'fetch').mockImplementation(async () => new Response(null, { status: 204 }))
  const statuses: number[] = []
  // "brand": 70 returning visitors asking for a call — all real, all hot.
  for (let i = 0; i < 70; i++) {
    const lead = withUtm(validLead(site, { contact: { name: 'Анна', phone: randomMobile() } }), 'brand')
    statuses.push(await submit({ ...lead, context: { ...lead.context, visits: 3 } }))
  }
  // "cheap": 100 submissions, mostly junk — 50 bots, 30 impossible numbers, 20 from one phone.
  for (let i = 0; i < 50; i++) statuses.push(await submit(withUtm(validLead(site, { hp: 'x' }), 'cheap')))
  for (let i = 0; i < 30; i++) statuses.push(await submit(withUtm(validLead(site, { contact: { phone: '12345' } }), 'cheap', 'https://shop.example/promo')))
  const samePhone = randomMobile()
  for (let i = 0; i < 20; i++) statuses.push(await submit(withUtm(validLead(site, { contact: { name: 'Анна', phone: samePhone } }), 'cheap')))
  // No UTM: 30 plain form leads with only an email — cold.
  for (let i = 0; i < 30; i++) {
    statuses.push(await submit(withUtm(validLead(site, { source: 'form', contact: { email: `p${i}.${crypto.randomUUID().slice(0, 6)}@mail.ru` } }), null)))
  }
  vi.restoreAllMocks()
  expect(statuses.filter((s) => s === 201)).toHaveLength(170)
  expect(statuses.filter((s) => s === 400)).toHaveLength(30)
})
// The spy goes with this file even when a submit above threw: the next file may share its worker.
afterAll(() => {
  vi.restoreAllMocks()
})

describe('GET /v1/admin/stats', () => {
  it('shows the junk campaign for what it is, next to the good ones', async () => {
    const { by, groups } = await stats('by=utm_campaign')
    expect(by).toBe('utm_campaign')
    const byName = Object.fromEntries(groups.map((g) => [g.group ?? '(none)', g]))
    expect(byName.cheap).toMatchObject({
      leads: 100,
      accepted: 20,
      spamPercent: 50,
      invalidPhonePercent: 30,
      duplicatePercent: 95,
      rejected: 30,
      hot: 0,
      warm: 20,
      cold: 0,
    })
    expect(byName.brand).toMatchObject({ leads: 70, accepted: 70, spamPercent: 0, invalidPhonePercent: 0, duplicatePercent: 0, hot: 70 })
    expect(byName['(none)']).toMatchObject({ leads: 30, accepted: 30, cold: 30 })
    expect(byName.brand!.medianFirstDeliveryMs).toEqual(expect.any(Number))
    expect(byName.brand!.medianFirstDeliveryMs).toBeGreaterThanOrEqual(0)
    expect(groups.map((g) => g.group)).toEqual(['cheap', 'brand', null])
  })

  it('groups by lead source, UTM source and landing page', async () => {
    const bySource = Object.fromEntries((await stats('by=source')).groups.map((g) => [g.group, g.leads]))
    expect(bySource).toEqual({ callback: 170, form: 30 })
    const byUtm = Object.fromEntries((await stats('by=utm_source')).groups.map((g) => [g.group ?? '(none)', g.leads]))
    expect(byUtm).toEqual({ yandex: 170, '(none)': 30 })
    const byPage = Object.fromEntries((await stats('by=page')).groups.map((g) => [g.group, g.leads]))
    expect(byPage).toEqual({ 'https://shop.example/flats': 170, 'https://shop.example/promo': 30 })
  })

  it('counts only the date range asked for', async () => {
    const { groups } = await stats('by=source&from=2020-01-01&to=2020-02-01')
    expect(groups).toEqual([])
  })

  it('rejects a missing site, an unknown grouping and a reversed range', async () => {
    for (const query of ['by=colour', 'from=2026-02-01&to=2026-01-01', 'from=soon']) {
      expect((await adminRequest('GET', `/v1/admin/stats?site=${site}&${query}`)).status, query).toBe(400)
    }
    expect((await adminRequest('GET', '/v1/admin/stats')).status).toBe(400)
  })
})
