// The source-quality report's lifecycle columns (qualified, won, junk by reason, time to the first
// action), its groupings and worst-first order, and the trend by month and week, on a known mix of
// leads stored at chosen times through the pipeline and the store.
import { env } from 'cloudflare:workers'
import * as v from 'valibot'
import { beforeAll, describe, expect, it } from 'vitest'
import { LeadSchema } from '../../shared/schemas/lead'
import type { LeadInput } from '../../shared/schemas/lead'
import type { JunkReason, LeadStatus } from '../../shared/schemas/lead-status'
import { createDeps } from '../../worker/src/cloudflare/deps'
import { ingestLead } from '../../worker/src/pipeline/ingest-lead'
import { adminRequest, putSite, randomMobile, siteConfig, uniqueSite, validLead } from './helpers'

const HOUR = 60 * 60 * 1000
const DAY = 24 * HOUR
const deps = createDeps(env)
const OPERATOR = { kind: 'operator', id: null } as const

function withUtm(site: string, source: string | null, campaign: string | null, overrides: Partial<LeadInput> = {}): LeadInput {
  const lead = validLead(site, overrides)
  return { ...lead, context: { page: 'https://shop.example/flats', ...(source && campaign && { utm: { source, campaign } }) } }
}

/** Stores a lead as the pipeline would at `at`. */
async function store(site: string, lead: LeadInput, at: number): Promise<string> {
  const record = (await deps.sites.getSite(site))!
  const outcome = await ingestLead(deps, record, v.parse(LeadSchema, lead), { ip: null, userAgent: null, now: at })
  expect(outcome.kind).toBe('created')
  return outcome.body.id
}

async function setStatus(leadId: string, to: LeadStatus, at: number, reason: JunkReason | null = null): Promise<void> {
  const result = await deps.leads.changeStatus({ leadId, to, reason, note: null, actor: OPERATOR, at }, { eventId: crypto.randomUUID(), deliveries: [] })
  expect(result.status).toBe('changed')
}

interface Row {
  group: string | null
  leads: number
  accepted: number
  stored: number
  rejected: number
  spam: number
  spamPercent: number
  duplicatePercent: number
  repeatPercent: number
  new: number
  inWork: number
  qualified: number
  won: number
  notNow: number
  junk: number
  junkByReason: Record<JunkReason, number>
  qualifiedPercent: number
  wonPercent: number
  junkPercent: number
  medianFirstActionMs: number | null
}

async function report(site: string, by: string): Promise<Row[]> {
  const response = await adminRequest('GET', `/v1/admin/stats?site=${site}&by=${by}`)
  expect(response.status).toBe(200)
  return ((await response.json()) as { groups: Row[] }).groups
}

describe('GET /v1/admin/stats with lead statuses', () => {
  const site = uniqueSite('stats-life')
  // Every action happens at T; a lead created `d` hours before it waited d hours for it.
  const T = Date.now() - HOUR

  beforeAll(async () => {
    await putSite(site, siteConfig({ rateLimits: { perPhonePerHour: 1000, perSitePerMinute: 10_000 } }))
    // "brand", callbacks: 10 leads, 8 acted on after 1…8 hours.
    const brand = (outcome: LeadStatus | 'take' | null, delayHours: number, reason: JunkReason | null = null) => ({ outcome, delayHours, reason })
    const brandLeads = [
      brand('qualified', 1),
      brand('qualified', 2),
      brand('qualified', 3),
      brand('won', 4),
      brand('not_now', 5),
      brand('take', 6),
      brand('junk', 7, 'off_target'),
      brand('junk', 8, 'duplicate'),
      brand(null, 9),
      brand(null, 10),
    ]
    for (const { outcome, delayHours, reason } of brandLeads) {
      const id = await store(site, withUtm(site, 'yandex', 'brand'), T - delayHours * HOUR)
      if (outcome === 'take') expect(await deps.leads.takeLead(id, { id: 'olga', name: 'Ольга' }, T)).toEqual({ status: 'taken', statusChanged: true })
      else if (outcome) await setStatus(id, outcome, T, reason)
    }
    // "cheap", forms: 5 accepted (one a repeat), 3 bots caught at ingest, 2 impossible numbers refused.
    const phone = randomMobile()
    const cheap = (overrides: Partial<LeadInput> = {}) => withUtm(site, 'yandex', 'cheap', { source: 'form', ...overrides })
    const wrong1 = await store(site, cheap({ contact: { name: 'Анна', phone } }), T - 2 * HOUR)
    const repeat = await store(site, cheap({ contact: { name: 'Анна', phone } }), T - HOUR)
    const wrong2 = await store(site, cheap(), T - 3 * HOUR)
    const wrong3 = await store(site, cheap(), T - 4 * HOUR)
    const manualSpam = await store(site, cheap(), T - 5 * HOUR)
    await setStatus(wrong1, 'junk', T, 'wrong_number')
    await setStatus(wrong2, 'junk', T, 'wrong_number')
    await setStatus(wrong3, 'junk', T, 'wrong_number')
    await setStatus(manualSpam, 'junk', T, 'spam')
    await setStatus(repeat, 'qualified', T)
    for (let i = 0; i < 3; i++) await store(site, cheap({ hp: 'bot' }), T - HOUR)
    for (let i = 0; i < 2; i++) {
      await deps.stats.recordRejection({
        siteId: site,
        code: 'invalid_phone',
        source: 'form',
        utmSource: 'yandex',
        utmCampaign: 'cheap',
        page: 'https://shop.example/flats',
        createdAt: T - HOUR,
      })
    }
    // "quiet": 3 chat leads nobody touched; and 2 exit-intent leads without UTM tags.
    for (let i = 0; i < 3; i++) await store(site, withUtm(site, 'google', 'quiet', { source: 'chat' }), T - HOUR)
    for (let i = 0; i < 2; i++) await store(site, withUtm(site, null, null, { source: 'exit_intent' }), T - HOUR)
  })

  it('counts statuses, junk by reason and percentages over the leads stored, spam caught at ingest as junk', async () => {
    const byName = Object.fromEntries((await report(site, 'utm_campaign')).map((g) => [g.group ?? '(none)', g]))
    expect(byName.brand).toMatchObject({
      leads: 10,
      accepted: 10,
      stored: 10,
      spam: 0,
      new: 2,
      inWork: 1,
      qualified: 4,
      won: 1,
      notNow: 1,
      junk: 2,
      junkByReason: { wrong_number: 0, spam: 0, off_target: 1, duplicate: 1, other: 0 },
      qualifiedPercent: 40,
      wonPercent: 10,
      junkPercent: 20,
      spamPercent: 0,
      repeatPercent: 0,
      // The first actions came after 1, 2 … 8 hours: the median is 4.5 hours.
      medianFirstActionMs: 4.5 * HOUR,
    })
    expect(byName.cheap).toMatchObject({
      leads: 10,
      accepted: 5,
      stored: 8,
      rejected: 2,
      spam: 3,
      new: 0,
      qualified: 1,
      won: 0,
      junk: 7,
      junkByReason: { wrong_number: 3, spam: 4, off_target: 0, duplicate: 0, other: 0 },
      qualifiedPercent: 12.5,
      wonPercent: 0,
      junkPercent: 87.5,
      spamPercent: 30,
      duplicatePercent: 20,
      repeatPercent: 12.5,
      // Acted on after 1, 2, 3, 4 and 5 hours.
      medianFirstActionMs: 3 * HOUR,
    })
    expect(byName.quiet).toMatchObject({ leads: 3, new: 3, junk: 0, qualifiedPercent: 0, junkPercent: 0, medianFirstActionMs: null })
  })

  it('sorts worst first: the most junk, then the most submissions', async () => {
    expect((await report(site, 'utm_campaign')).map((g) => g.group)).toEqual(['cheap', 'brand', 'quiet', null])
    expect((await report(site, 'source_type')).map((g) => [g.group, g.junkPercent])).toEqual([
      ['form', 87.5],
      ['callback', 20],
      ['chat', 0],
      ['exit_intent', 0],
    ])
  })

  it('groups by UTM source and campaign together', async () => {
    const groups = await report(site, 'campaign')
    expect(groups.map((g) => [g.group, g.leads])).toEqual([
      ['yandex / cheap', 10],
      ['yandex / brand', 10],
      ['google / quiet', 3],
      [null, 2],
    ])
  })
})

interface Trend {
  by: string
  period: string
  timeZone: string
  groups: { group: string | null; leads: number; periods: { period: string; start: string; leads: number; qualifiedPercent: number | null; junkPercent: number | null }[] }[]
}

async function trend(site: string, query: string): Promise<Trend> {
  const response = await adminRequest('GET', `/v1/admin/stats/trend?site=${site}&${query}`)
  expect(response.status, query).toBe(200)
  return (await response.json()) as Trend
}

describe('GET /v1/admin/stats: speed to lead', () => {
  const site = uniqueSite('stats-speed')
  const MIN = 60_000
  const T = Date.now() - 2 * HOUR
  const olga = { id: 'olga', name: 'Ольга' }
  const pavel = { id: 'pavel', name: 'Павел' }

  beforeAll(async () => {
    await putSite(
      site,
      siteConfig({
        rateLimits: { perPhonePerHour: 1000, perSitePerMinute: 10_000 },
        hours: { timezone: 'Asia/Yekaterinburg', week: { mon: [['09:00', '18:00']] } },
        routing: { mode: 'first_come', managers: [olga, pavel], sla: { minutes: { hot: 5, warm: 5, cold: 5 } } },
      }),
    )
    // Olga takes two callbacks after 2 and 4 minutes; Pavel a chat lead after 12 (late) and marks
    // a form lead after 1; one callback waits unanswered for an hour (an SLA breach).
    const take = async (source: 'callback' | 'chat', manager: typeof olga, waitMin: number) => {
      const id = await store(site, validLead(site, { source }), T)
      expect((await deps.leads.takeLead(id, manager, T + waitMin * MIN)).status).toBe('taken')
    }
    await take('callback', olga, 2)
    await take('callback', olga, 4)
    await take('chat', pavel, 12)
    const form = await store(site, validLead(site, { source: 'form' }), T)
    await setStatus(form, 'qualified', T + MIN)
    await store(site, validLead(site), T)
  })

  it('answers the time to the first action, the SLA share, per manager, source and hour of day', async () => {
    const response = await adminRequest('GET', `/v1/admin/stats?site=${site}`)
    const body = (await response.json()) as { speedToLead: Record<string, unknown> & { byManager: unknown[]; bySource: unknown[]; byHour: { hour: number; leads: number }[] } }
    const speed = body.speedToLead
    expect(speed).toMatchObject({
      leads: 5,
      answered: 4,
      medianMs: 2 * MIN,
      p90Ms: 12 * MIN,
      withinSla: { decided: 5, within: 3, percent: 60 },
      timeZone: 'Asia/Yekaterinburg',
      truncated: false,
    })
    expect(speed.byManager).toEqual([
      expect.objectContaining({ managerId: 'olga', leads: 2, answered: 2, medianMs: 2 * MIN, withinSla: { decided: 2, within: 2, percent: 100 } }),
      expect.objectContaining({ managerId: null, leads: 2, answered: 1 }),
      expect.objectContaining({ managerId: 'pavel', leads: 1, withinSla: { decided: 1, within: 0, percent: 0 } }),
    ])
    expect(speed.bySource).toEqual([
      expect.objectContaining({ source: 'callback', leads: 3, answered: 2 }),
      expect.objectContaining({ source: 'chat', leads: 1, medianMs: 12 * MIN }),
      expect.objectContaining({ source: 'form', leads: 1, medianMs: MIN }),
    ])
    // Every lead came in at T, in the site's time zone (UTC+5).
    const hour = (new Date(T).getUTCHours() + 5) % 24
    expect(speed.byHour.filter((h) => h.leads > 0)).toEqual([expect.objectContaining({ hour, leads: 5 })])
  })
})

describe('GET /v1/admin/stats/trend', () => {
  const site = uniqueSite('trend')
  const month = (m: number, day: number) => Date.UTC(2025, m - 1, day, 12)

  beforeAll(async () => {
    await putSite(site, siteConfig({ rateLimits: { perPhonePerHour: 1000, perSitePerMinute: 10_000 } }))
    // A campaign that goes bad: 25 leads a month, qualified 44 % in July, 12 % in October, while
    // its junk (mostly wrong numbers) grows to 60 %.
    const plan: [m: number, qualified: number, junk: number][] = [
      [7, 11, 2],
      [8, 8, 5],
      [9, 6, 10],
      [10, 3, 15],
    ]
    for (const [m, qualified, junk] of plan) {
      for (let i = 0; i < 25; i++) {
        const created = month(m, 1 + i)
        const id = await store(site, withUtm(site, 'yandex', 'autumn'), created)
        if (i < qualified) await setStatus(id, 'qualified', created + DAY)
        else if (i < qualified + junk) await setStatus(id, 'junk', created + DAY, i % 3 === 0 ? 'off_target' : 'wrong_number')
      }
    }
    // A smaller campaign, all qualified, in July only.
    for (let i = 0; i < 4; i++) await setStatus(await store(site, withUtm(site, 'google', 'brand'), month(7, 2 + i)), 'qualified', month(7, 20))
  })

  it('shows qualified % and junk % of the biggest campaign month by month', async () => {
    const body = await trend(site, 'by=utm_campaign&period=month&from=2025-07-01&to=2025-11-01&top=1')
    expect(body).toMatchObject({ by: 'utm_campaign', period: 'month', timeZone: 'UTC' })
    expect(body.groups).toEqual([
      {
        group: 'autumn',
        leads: 100,
        periods: [
          { period: '2025-07', start: '2025-07-01', leads: 25, qualifiedPercent: 44, junkPercent: 8 },
          { period: '2025-08', start: '2025-08-01', leads: 25, qualifiedPercent: 32, junkPercent: 20 },
          { period: '2025-09', start: '2025-09-01', leads: 25, qualifiedPercent: 24, junkPercent: 40 },
          { period: '2025-10', start: '2025-10-01', leads: 25, qualifiedPercent: 12, junkPercent: 60 },
        ],
      },
    ])
  })

  it('keeps the top groups by leads, each with every period of the range, an empty one without percentages', async () => {
    const body = await trend(site, 'by=campaign&period=month&from=2025-06-01&to=2025-09-01')
    expect(body.groups.map((g) => [g.group, g.leads])).toEqual([
      ['yandex / autumn', 50],
      ['google / brand', 4],
    ])
    expect(body.groups[1]!.periods).toEqual([
      { period: '2025-06', start: '2025-06-01', leads: 0, qualifiedPercent: null, junkPercent: null },
      { period: '2025-07', start: '2025-07-01', leads: 4, qualifiedPercent: 100, junkPercent: 0 },
      { period: '2025-08', start: '2025-08-01', leads: 0, qualifiedPercent: null, junkPercent: null },
    ])
  })

  it('buckets by ISO week starting on Monday, in UTC', async () => {
    // 2025-07-13 is a Sunday, 2025-07-14 a Monday: week 28 ends and week 29 begins between them.
    const weekSite = uniqueSite('trend-week')
    await putSite(weekSite)
    await setStatus(await store(weekSite, withUtm(weekSite, 'yandex', 'w'), Date.parse('2025-07-13T23:59:00Z')), 'qualified', Date.parse('2025-07-20T00:00:00Z'))
    await store(weekSite, withUtm(weekSite, 'yandex', 'w'), Date.parse('2025-07-14T00:01:00Z'))
    await store(weekSite, withUtm(weekSite, 'yandex', 'w'), Date.parse('2025-07-07T00:00:00Z'))
    const body = await trend(weekSite, 'by=utm_source&period=week&from=2025-07-07&to=2025-07-21')
    expect(body.groups).toEqual([
      {
        group: 'yandex',
        leads: 3,
        periods: [
          { period: '2025-W28', start: '2025-07-07', leads: 2, qualifiedPercent: 50, junkPercent: 0 },
          { period: '2025-W29', start: '2025-07-14', leads: 1, qualifiedPercent: 0, junkPercent: 0 },
        ],
      },
    ])
    // The ISO year of a week is the year of its Thursday: 2024-12-30 starts 2025-W01.
    const yearSite = uniqueSite('trend-year')
    await putSite(yearSite)
    await store(yearSite, withUtm(yearSite, 'yandex', 'w'), Date.parse('2024-12-31T10:00:00Z'))
    const turn = await trend(yearSite, 'by=utm_source&period=week&from=2024-12-30&to=2025-01-06')
    expect(turn.groups[0]!.periods).toEqual([{ period: '2025-W01', start: '2024-12-30', leads: 1, qualifiedPercent: 0, junkPercent: 0 }])
  })

  it('refuses groupings, periods and sizes it does not know', async () => {
    for (const query of ['by=source', 'period=day', 'top=0', 'top=21', 'from=2025-02-01&to=2025-01-01']) {
      const response = await adminRequest('GET', `/v1/admin/stats/trend?site=${site}&${query}`)
      expect(response.status, query).toBe(400)
    }
    expect((await adminRequest('GET', '/v1/admin/stats/trend')).status).toBe(400)
  })
})
