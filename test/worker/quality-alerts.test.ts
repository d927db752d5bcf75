// Junk-spike alerts end to end (issue 16): leads stored and marked junk tip a campaign over its
// threshold; the managers' chat and the webhook target get one signed quality.alert, nothing more
// that day, and a quality.recovered once the campaign's leads are good again. Both runtimes.
import { createExecutionContext, createScheduledController, waitOnExecutionContext } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { Webhook } from 'standardwebhooks'
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import worker from '../../worker/src/cloudflare/index'
import { ADMIN_TOKEN, DEV_MAIL_TARGET, WEBHOOK_SECRET, WEBHOOK_TARGET, leadRequest, putSite, siteConfig, uniqueSite, validLead } from './helpers'

const site = uniqueSite('quality')
const BOT = '123456:ABCdefGHIjklMNOpqrSTUvwxYZ0123456789'

interface Sent {
  url: string
  headers: Record<string, string>
  body: string
}
let sent: Sent[] = []

function recordFetch() {
  vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
    const request = new Request(input, init)
    sent.push({ url: request.url, headers: Object.fromEntries(request.headers), body: await request.text() })
    return request.url.includes('api.telegram.org') ? Response.json({ ok: true, result: { message_id: 1 } }) : new Response('ok')
  })
}

/** Runs a request and everything it left in the background (deliveries, the quality check). */
async function run(request: Request): Promise<Response> {
  const ctx = createExecutionContext()
  const response = await worker.fetch(request, env, ctx)
  await waitOnExecutionContext(ctx)
  return response
}

function lead(campaign: string) {
  return validLead(site, {
    context: { page: 'https://shop.example/flats', utm: { source: 'vk', campaign }, locale: 'ru-RU', timezone: 'Europe/Moscow' },
  })
}

async function store(campaign: string): Promise<string> {
  const body = lead(campaign)
  expect((await run(leadRequest(body))).status).toBe(201)
  return body.id!
}

async function markJunk(id: string, reason: string) {
  const response = await run(
    new Request(`https://worker.test/v1/admin/leads/${id}`, {
      method: 'PATCH',
      headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ status: 'junk', reason }),
    }),
  )
  expect(response.status).toBe(200)
}

/**
 * The quality notices one site's webhook target got, verified as Standard Webhooks. By site: the
 * worker project's files share one database, and the cron's sweep announces every site's spikes.
 */
function notices(of = site) {
  return sent
    .filter((s) => s.url === WEBHOOK_TARGET.url)
    .map((s) => new Webhook(WEBHOOK_SECRET).verify(s.body, s.headers) as { type: string; data: Record<string, unknown> })
    .filter((e) => e.type.startsWith('quality.') && e.data.site === of)
}
// A chat of this file's own, for the same reason.
const CHAT = -1001234000000 - Math.floor(Math.random() * 100_000)
const chats = () => sent.filter((s) => s.url.includes('api.telegram.org') && JSON.parse(s.body).chat_id === CHAT && !JSON.parse(s.body).reply_markup)

beforeAll(async () => {
  await putSite(
    site,
    siteConfig({
      targets: [WEBHOOK_TARGET, { type: 'telegram', id: 'managers', botToken: BOT, chatId: CHAT } as never, DEV_MAIL_TARGET],
      quality: { windowLeads: 5, thresholdPercent: 40 },
      notifyEmails: ['boss@shop.example'],
    }),
  )
  // A healthy history for the site's baseline: 15 good leads in another campaign.
  recordFetch()
  for (let i = 0; i < 15; i++) await store('spring')
  vi.restoreAllMocks()
})

afterEach(() => {
  vi.restoreAllMocks()
  sent = []
})

describe('junk-spike alerts', () => {
  it('alert once when a campaign turns to junk, signed to the webhook and to the managers chat', async () => {
    recordFetch()
    const ids = [await store('broken'), await store('broken'), await store('broken'), await store('broken'), await store('broken')]
    // Four of five junk is not enough for five leads at 99 % confidence; the fifth tips it.
    for (const [i, reason] of ['wrong_number', 'spam', 'wrong_number', 'off_target'].entries()) await markJunk(ids[i]!, reason)
    expect(notices()).toEqual([])
    await markJunk(ids[4]!, 'wrong_number')

    const [alert, ...more] = notices()
    expect(more).toEqual([])
    expect(alert).toEqual({
      type: 'quality.alert',
      timestamp: expect.any(String),
      data: {
        site,
        group: { utmSource: 'vk', utmCampaign: 'broken', page: null },
        window: { leads: 5, junk: 5, spam: 1, invalidPhone: 0, wrongNumber: 3, offTarget: 1 },
        junkPercent: 100,
        baselinePercent: 25,
        since: expect.any(String),
        consoleUrl: `https://worker.test/console/#/report?site=${site}&by=campaign`,
      },
    })
    const [chat] = chats()
    expect(JSON.parse(chat!.body)).toMatchObject({ chat_id: CHAT, parse_mode: 'HTML' })
    expect(JSON.parse(chat!.body).text).toContain('🚨 Всплеск брака: <b>vk / broken</b> — 100 % из последних 5')
    expect(JSON.parse(chat!.body).text).toContain('Неверный номер: 3, спам: 1, номер отклонён: 0, нецелевые: 1')
    // And by email to notifyEmails, as plain text with the report's address.
    const mails = sent
      .filter((s) => s.url === 'https://outbox.example/send')
      .map((s) => JSON.parse(s.body) as Record<string, string>)
      .filter((m) => m.text?.includes(`site=${site}&`))
    expect(mails).toHaveLength(1)
    expect(mails[0]).toMatchObject({ channel: 'email', to: 'boss@shop.example', from: 'hello@shop.example', subject: 'Всплеск брака: vk / broken — 100 % из последних 5' })
    expect(mails[0]!.text).toContain(`Отчёт: https://worker.test/console/#/report?site=${site}&by=campaign`)

    // The same day: more junk and the sweep raise nothing new.
    sent = []
    await markJunk(await store('broken'), 'spam')
    const ctx = createExecutionContext()
    await worker.scheduled(createScheduledController(), env, ctx)
    await waitOnExecutionContext(ctx)
    expect(notices()).toEqual([])
    expect(chats()).toEqual([])
  })

  it('sends a recovery notice once the campaign is good again, and never alerts a good campaign', async () => {
    recordFetch()
    // Three good leads leave 2 of the last 5 junk: 40 %, not under the limit yet.
    for (let i = 0; i < 3; i++) await store('broken')
    expect(notices()).toEqual([])
    await store('broken')
    const [recovered, ...more] = notices()
    expect(more).toEqual([])
    expect(recovered).toMatchObject({ type: 'quality.recovered', data: { group: { utmCampaign: 'broken' }, window: { leads: 5, junk: 1 }, junkPercent: 20 } })
    expect(JSON.parse(chats()[0]!.body).text).toContain('✅ Брак снова в норме: <b>vk / broken</b> — 20 % из последних 5')
    // "spring" had twenty good leads by now and never an alert.
    const rows = await env.DB.prepare("SELECT kind FROM quality_notices WHERE site_id = ? AND group_key LIKE '%spring'").bind(site).all()
    expect(rows.results).toEqual([])
  })

  it('can be switched off per site', async () => {
    const quiet = uniqueSite('quality-off')
    await putSite(quiet, siteConfig({ targets: [WEBHOOK_TARGET], quality: { enabled: false, windowLeads: 5 } }))
    recordFetch()
    for (let i = 0; i < 5; i++) {
      const body = validLead(quiet, { context: { utm: { source: 'vk', campaign: 'x' } } })
      expect((await run(leadRequest(body))).status).toBe(201)
      await markJunk(body.id!, 'spam')
    }
    expect(notices(quiet)).toEqual([])
  })
})

describe('a campaign that sends only numbers that cannot exist', () => {
  // Its visitors' submissions are all refused (400 invalid_phone), so no lead of it is ever
  // stored; the refusals still count as junk in its windows, and each counted one checks it.
  // (The notice's webhook and chat deliveries hang off a stored lead of the group, so such a
  // campaign is told by email only, for now.)
  it('raises the alert on refusals alone: the group alerts, the notice is kept, the email goes', async () => {
    const dead = uniqueSite('quality-refused')
    await putSite(
      dead,
      siteConfig({
        targets: [WEBHOOK_TARGET, DEV_MAIL_TARGET],
        quality: { windowLeads: 5 },
        notifyEmails: ['boss@shop.example'],
      }),
    )
    recordFetch()
    for (let i = 0; i < 5; i++) {
      const body = validLead(dead, { contact: { name: 'Анна', phone: '12345' }, context: { utm: { source: 'vk', campaign: 'dead-numbers' } } })
      const response = await run(leadRequest(body))
      expect(response.status).toBe(400)
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('invalid_phone')
    }
    const group = await env.DB.prepare('SELECT alerting, notified FROM quality_groups WHERE site_id = ?').bind(dead).all()
    expect(group.results).toEqual([{ alerting: 1, notified: 1 }])
    const kept = await env.DB.prepare('SELECT kind, data FROM quality_notices WHERE site_id = ?').bind(dead).all<{ kind: string; data: string }>()
    expect(kept.results.map((n) => n.kind)).toEqual(['alert'])
    expect(JSON.parse(kept.results[0]!.data)).toMatchObject({
      group: { utmSource: 'vk', utmCampaign: 'dead-numbers', page: null },
      window: { leads: 5, junk: 5, invalidPhone: 5 },
      junkPercent: 100,
    })
    const mails = sent.filter((s) => s.url === 'https://outbox.example/send').map((s) => JSON.parse(s.body) as Record<string, string>)
    expect(mails).toHaveLength(1)
    expect(mails[0]).toMatchObject({ to: 'boss@shop.example', subject: 'Всплеск брака: vk / dead-numbers — 100 % из последних 5' })
  })
})

describe('the sweep’s console link', () => {
  // A spike that outlasts the day is announced again by the sweep, which has no request to take
  // the console's address from: PUBLIC_URL gives it (wrangler.toml [vars]; the Node server's own).
  const swept = uniqueSite('quality-sweep')

  async function spikeAnnouncedYesterday() {
    await putSite(swept, siteConfig({ targets: [WEBHOOK_TARGET], quality: { windowLeads: 5 } }))
    recordFetch()
    for (let i = 0; i < 5; i++) {
      const body = validLead(swept, { context: { utm: { source: 'vk', campaign: 'stale' } } })
      expect((await run(leadRequest(body))).status).toBe(201)
      await markJunk(body.id!, 'spam')
    }
    expect(notices(swept)).toHaveLength(1)
    sent = []
    // The alert was sent more than a day ago, and the spike is still under way.
    await env.DB.prepare('UPDATE quality_groups SET last_alert_at = last_alert_at - ? WHERE site_id = ?')
      .bind(25 * 60 * 60_000, swept)
      .run()
  }

  async function sweep(vars: Record<string, string>) {
    const ctx = createExecutionContext()
    await worker.scheduled(createScheduledController(), { ...env, ...vars }, ctx)
    await waitOnExecutionContext(ctx)
    return notices(swept)
  }

  it('carries consoleUrl from PUBLIC_URL', async () => {
    await spikeAnnouncedYesterday()
    const [again, ...more] = await sweep({ PUBLIC_URL: 'https://leads.example/' })
    expect(more).toEqual([])
    expect(again).toMatchObject({
      type: 'quality.alert',
      data: { group: { utmCampaign: 'stale' }, consoleUrl: `https://leads.example/console/#/report?site=${swept}&by=campaign` },
    })
  })

  it('goes without a link when PUBLIC_URL is not set, and says so in the log', async () => {
    const other = uniqueSite('quality-nolink')
    await putSite(other, siteConfig({ targets: [WEBHOOK_TARGET], quality: { windowLeads: 5 } }))
    recordFetch()
    for (let i = 0; i < 5; i++) {
      const body = validLead(other, { context: { utm: { source: 'vk', campaign: 'stale' } } })
      expect((await run(leadRequest(body))).status).toBe(201)
      await markJunk(body.id!, 'spam')
    }
    sent = []
    await env.DB.prepare('UPDATE quality_groups SET last_alert_at = last_alert_at - ? WHERE site_id = ?')
      .bind(25 * 60 * 60_000, other)
      .run()
    const ctx = createExecutionContext()
    await worker.scheduled(createScheduledController(), { ...env, PUBLIC_URL: '' }, ctx)
    await waitOnExecutionContext(ctx)
    const [again] = notices(other)
    expect(again).toMatchObject({ type: 'quality.alert', data: { consoleUrl: null } })

    // Said once per process (each cron run would repeat it), in words an operator can act on.
    vi.resetModules()
    const { cronPublicUrl } = await import('../../worker/src/cloudflare/cron-public-url')
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    expect([cronPublicUrl(''), cronPublicUrl(undefined), cronPublicUrl('ftp://x')]).toEqual([null, null, null])
    expect(warn.mock.calls.map((c) => String(c[0]))).toEqual([expect.stringMatching(/^PUBLIC_URL is not set: the cron's alerts and digests go without a console link/)])
    expect(cronPublicUrl('https://leads.example.ru//')).toBe('https://leads.example.ru')
  })
})
