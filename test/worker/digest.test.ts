// The daily digest on both runtimes: not before the site's hour, then once per local day to the
// head of sales' Telegram chat, with yesterday's figures; a failed send is tried again.
import { env } from 'cloudflare:workers'
import * as v from 'valibot'
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { LeadSchema } from '../../shared/schemas/lead'
import { SiteConfigSchema } from '../../shared/schemas/site-config'
import { createDeps } from '../../worker/src/cloudflare/deps'
import { sendDigest } from '../../worker/src/daily-digest/send-digest'
import { ingestLead } from '../../worker/src/pipeline/ingest-lead'
import { putSite, siteConfig, uniqueSite, validLead, DEV_MAIL_TARGET } from './helpers'

const deps = createDeps(env)
const site = uniqueSite('digest')
const BOT = '123456:ABCdefGHIjklMNOpqrSTUvwxYZ0123456789'
// Local days in Moscow (UTC+3): "yesterday" is 2026-11-30, the digest goes at 09:00 on 2026-12-01.
const YESTERDAY_NOON = Date.UTC(2026, 10, 30, 9, 0)
const AT_EIGHT = Date.UTC(2026, 11, 1, 5, 0)
const AT_NINE = Date.UTC(2026, 11, 1, 6, 5)

beforeAll(async () => {
  await putSite(
    site,
    siteConfig({
      rateLimits: { perPhonePerHour: 1000, perSitePerMinute: 10_000 },
      targets: [{ type: 'telegram', id: 'managers', botToken: BOT, chatId: -1001234567890 } as never],
      routing: {
        mode: 'first_come',
        managers: [
          { id: 'olga', name: 'Ольга' },
          { id: 'boss', name: 'Борис', telegramUserId: 777 },
        ],
        sla: { minutes: { hot: 5, warm: 15, cold: 60 }, headOfSales: 'boss' },
      },
      digest: { hour: 9 },
      // Every test lead counts as hot.
      scoring: { warm: 10, hot: 20 },
    }),
  )
  const record = (await deps.sites.getSite(site))!
  vi.spyOn(globalThis, 'fetch').mockResolvedValue(Response.json({ ok: true, result: { message_id: 1 } }))
  for (const [i, overrides] of [{}, { context: { utm: { source: 'vk', campaign: 'broken' } } }, { hp: 'bot', context: { utm: { source: 'vk', campaign: 'broken' } } }].entries()) {
    const lead = v.parse(LeadSchema, validLead(site, overrides))
    expect((await ingestLead(deps, record, lead, { ip: null, userAgent: null, now: YESTERDAY_NOON + i * 1000 })).kind).toBe('created')
  }
  // A lead of today is not in yesterday's digest.
  expect((await ingestLead(deps, record, v.parse(LeadSchema, validLead(site)), { ip: null, userAgent: null, now: AT_EIGHT })).kind).toBe('created')
  vi.restoreAllMocks()
})

afterEach(() => vi.restoreAllMocks())

function telegram(answer: () => Response) {
  const sent: { url: string; body: Record<string, unknown> }[] = []
  vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
    const request = new Request(input, init)
    sent.push({ url: request.url, body: (await request.json()) as Record<string, unknown> })
    return answer()
  })
  return sent
}

describe('the daily digest', () => {
  it('goes by email to notifyEmails too, and counts as sent when Telegram is down but the mail went', async () => {
    const mailed = uniqueSite('digest-mail')
    await putSite(
      mailed,
      siteConfig({
        targets: [{ type: 'telegram', id: 'managers', botToken: BOT, chatId: -100500 } as never, DEV_MAIL_TARGET],
        notifyEmails: ['boss@shop.example', 'olga@shop.example'],
        digest: { hour: 9 },
      }),
    )
    const sent: { url: string; body: Record<string, string> }[] = []
    vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
      const request = new Request(input, init)
      sent.push({ url: request.url, body: (await request.json()) as Record<string, string> })
      return request.url.includes('telegram') ? Response.json({ ok: false, description: 'Bad Gateway' }, { status: 502 }) : Response.json({ ok: true })
    })
    vi.spyOn(console, 'error').mockImplementation(() => {})
    expect(await sendDigest(deps, (await deps.sites.getSite(mailed))!, { now: AT_NINE, baseUrl: null })).toBe('sent')
    const mails = sent.filter((s) => s.url === 'https://outbox.example/send').map((s) => s.body)
    expect(mails.map((m) => m.to).sort()).toEqual(['boss@shop.example', 'olga@shop.example'])
    expect(mails[0]).toMatchObject({ subject: `Сводка за 2026-11-30 · ${mailed}` })
    expect(String(mails[0]!.text).split('\n')).toEqual([`📊 Сводка за 2026-11-30 · ${mailed}`, 'Заявок: 0 (🔥 0, 🌤 0, ❄️ 0)', 'Горячие, которые никто не взял: 0', 'Брака нет.'])
  })

  it('never goes to a Telegram apiUrl on a private address, and follows no redirect', async () => {
    // Stored directly, as if saved while ALLOW_PRIVATE_TARGETS was on (the save refuses it now).
    const stored = async (apiUrl: string) => {
      const id = uniqueSite('digest-api')
      const targets = [{ type: 'telegram', id: 'managers', botToken: BOT, chatId: -100500, apiUrl }] as never
      await deps.sites.putSite(id, v.parse(SiteConfigSchema, siteConfig({ targets, digest: { hour: 9 } })), Date.now())
      return (await deps.sites.getSite(id))!
    }
    const seen: { url: string; redirect: RequestInit['redirect'] }[] = []
    vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
      seen.push({ url: new Request(input, init).url, redirect: init?.redirect })
      return new Response(null, { status: 302, headers: { Location: 'https://evil.example/steal' } })
    })
    vi.spyOn(console, 'error').mockImplementation(() => {})
    expect(await sendDigest(deps, await stored('http://169.254.169.254/telegram'), { now: AT_NINE, baseUrl: null })).toBe('failed')
    expect(seen).toEqual([])
    expect(await sendDigest(deps, await stored('https://tg-proxy.example'), { now: AT_NINE, baseUrl: null })).toBe('failed')
    expect(seen).toEqual([{ url: `https://tg-proxy.example/bot${BOT}/sendMessage`, redirect: 'manual' }])
  })

  it('waits for the hour, sends once that day to the head of sales, and retries a failed send', async () => {
    const record = (await deps.sites.getSite(site))!
    const failing = telegram(() => Response.json({ ok: false, error_code: 500, description: 'Internal' }, { status: 500 }))
    expect(await sendDigest(deps, record, { now: AT_EIGHT, baseUrl: null })).toBe('not_due')
    expect(failing).toEqual([])
    vi.spyOn(console, 'error').mockImplementation(() => {})
    expect(await sendDigest(deps, record, { now: AT_NINE, baseUrl: 'https://leads.example' })).toBe('failed')
    vi.restoreAllMocks()

    const sent = telegram(() => Response.json({ ok: true, result: { message_id: 2 } }))
    expect(await sendDigest(deps, record, { now: AT_NINE + 5 * 60_000, baseUrl: 'https://leads.example' })).toBe('sent')
    expect(await sendDigest(deps, record, { now: AT_NINE + 10 * 60_000, baseUrl: 'https://leads.example' })).toBe('already_sent')
    expect(sent).toHaveLength(1)
    expect(sent[0]!.url).toBe(`https://api.telegram.org/bot${BOT}/sendMessage`)
    expect(sent[0]!.body).toMatchObject({ chat_id: 777, parse_mode: 'HTML' })
    const lines = String(sent[0]!.body.text).split('\n')
    expect(lines[0]).toBe(`📊 <b>Сводка за 2026-11-30</b> · ${site}`)
    // Two real leads (the bot caught at ingest is junk, not a lead), both hot and untaken by now.
    expect(lines).toContain('Заявок: 2 (🔥 2, 🌤 0, ❄️ 0)')
    expect(lines).toContain('Горячие, которые никто не взял: 2')
    expect(lines).toContain('Нарушений SLA: 2')
    expect(lines).toContain('• vk / broken: 1 / 2')
    expect(lines.at(-1)).toBe(`<a href="https://leads.example/console/#/report?site=${site}&amp;days=7">Отчёт</a>`)
  })
})
