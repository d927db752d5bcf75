// Caps against callback bombing: the same number is dialled at most once per 30 minutes and 3
// times a day across all sites, each site has an hourly and a daily call budget, and a flood of
// 1 000 callback leads with 1 000 numbers from 500 IPs dials no more than the hourly budget; the
// rest stay ordinary leads for the managers.
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createDeps } from '../../worker/src/cloudflare/deps'
import worker from '../../worker/src/cloudflare/index'
import { adminRequest, fakeQueue, fromIp, leadRequest, putSite, siteConfig, uniqueSite, validLead } from './helpers'

const PHONE_TARGET = {
  type: 'twilio' as const,
  id: 'phone',
  accountSid: `AC${'2'.repeat(32)}`,
  authToken: 'twilio_token_0123456789',
  from: '+15005550006',
  publicUrl: 'https://leads.example',
  operators: [{ manager: 'olga', number: '+79001110001' }],
}
const CAPS = { numberIntervalMs: 30 * 60_000, numberPerDay: 3, sitePerHour: 30, sitePerDay: 200 }
const MINUTE = 60_000

function dialsRecorded(): string[] {
  const to: string[] = []
  vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
    const request = new Request(input, init)
    if (request.url.includes('/Calls.json')) {
      const form = new URLSearchParams(new TextDecoder().decode(await request.arrayBuffer()))
      to.push(/>(\+\d+)<\/Dial>/.exec(form.get('Twiml') ?? '')?.[1] ?? '')
      return Response.json({ sid: `CA${to.length}` }, { status: 201 })
    }
    return new Response(null, { status: 204 })
  })
  return to
}

async function submit(request: Request, testEnv: Env): Promise<number> {
  const ctx = createExecutionContext()
  const response = await worker.fetch(request, testEnv, ctx)
  await waitOnExecutionContext(ctx)
  return response.status
}

afterEach(() => {
  vi.restoreAllMocks()
})

describe('the dial caps', () => {
  it('dials a number at most once per 30 minutes and 3 times a day, whichever site asks', async () => {
    const { calls } = createDeps(env)
    const phoneHash = crypto.randomUUID()
    const t0 = Date.parse('2026-12-01T08:00:00Z')
    const dial = (siteId: string, at: number) => calls.reserveDial({ phoneHash, siteId, leadId: crypto.randomUUID() }, CAPS, at)
    expect(await dial('site-a', t0)).toBeNull()
    expect(await dial('site-b', t0 + 10 * MINUTE)).toBe('number_interval')
    expect(await dial('site-b', t0 + 31 * MINUTE)).toBeNull()
    expect(await dial('site-c', t0 + 62 * MINUTE)).toBeNull()
    expect(await dial('site-a', t0 + 93 * MINUTE)).toBe('number_per_day')
    // A day after the first dial, one of the three leaves the window.
    expect(await dial('site-a', t0 + 24 * 60 * MINUTE + MINUTE)).toBeNull()
  })

  it('lets only one of two simultaneous leads with the same number through', async () => {
    const { calls } = createDeps(env)
    const phoneHash = crypto.randomUUID()
    const now = Date.parse('2026-12-01T09:00:00Z')
    const results = await Promise.all(Array.from({ length: 5 }, () => calls.reserveDial({ phoneHash, siteId: uniqueSite(), leadId: crypto.randomUUID() }, CAPS, now)))
    expect(results.filter((r) => r === null)).toHaveLength(1)
  })

  it('holds each site to its hourly and daily budget', async () => {
    const { calls } = createDeps(env)
    const siteId = uniqueSite('budget')
    const t0 = Date.parse('2026-12-01T10:00:00Z')
    const caps = { ...CAPS, sitePerHour: 2, sitePerDay: 3 }
    const dial = (at: number) => calls.reserveDial({ phoneHash: crypto.randomUUID(), siteId, leadId: crypto.randomUUID() }, caps, at)
    expect([await dial(t0), await dial(t0 + MINUTE), await dial(t0 + 2 * MINUTE)]).toEqual([null, null, 'site_per_hour'])
    expect(await dial(t0 + 61 * MINUTE)).toBeNull()
    expect(await dial(t0 + 125 * MINUTE)).toBe('site_per_day')
  })

  it('never dials the same visitor twice through two sites within 30 minutes', async () => {
    const to = dialsRecorded()
    const queue = fakeQueue()
    const phone = `+7912${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`
    const sites = [uniqueSite('bomb'), uniqueSite('bomb')]
    for (const site of sites) {
      await putSite(site, siteConfig({ targets: [PHONE_TARGET], routing: { managers: [{ id: 'olga', name: 'Ольга' }] } }))
      expect(await submit(leadRequest(validLead(site, { contact: { name: 'Анна', phone } })), queue.env)).toBe(201)
    }
    expect(to).toEqual([phone])
    const second = await env.DB.prepare("SELECT d.status, d.last_error FROM deliveries d JOIN leads l ON l.id = d.lead_id WHERE l.site_id = ? AND d.target_id = 'phone'")
      .bind(sites[1]!)
      .first<{ status: string; last_error: string }>()
    expect(second).toEqual({ status: 'delivered', last_error: 'not dialled: over the cap (number interval); left to the managers' })
  })

  it('turns 1 000 callback leads with 1 000 numbers from 500 IPs into at most 30 calls; the rest stay leads', { timeout: 180_000 }, async () => {
    const to = dialsRecorded()
    const queue = fakeQueue()
    const site = uniqueSite('flood')
    await putSite(
      site,
      siteConfig({
        targets: [PHONE_TARGET],
        routing: { managers: [{ id: 'olga', name: 'Ольга' }] },
        // The flood is spread thin enough to pass the per-IP and per-phone limits; only the site's
        // per-minute ceiling would stop it, so it is raised here to leave the call budget alone.
        rateLimits: { perSitePerMinute: 100_000 },
        dedupe: { windowDays: 0 },
      }),
    )
    const ips = new Set(Array.from({ length: 1000 }, (_, n) => Math.floor(n / 2)))
    expect(ips.size).toBe(500)
    const statuses: number[] = []
    for (let batch = 0; batch < 20; batch++) {
      const requests = Array.from({ length: 50 }, (_, i) => {
        const n = batch * 50 + i
        const lead = validLead(site, { contact: { name: 'Анна', phone: `+7913${String(n).padStart(7, '0')}` } })
        const ip = Math.floor(n / 2)
        return fromIp(leadRequest(lead), `198.51.${ip >> 8}.${ip & 255}`)
      })
      statuses.push(...(await Promise.all(requests.map((r) => submit(r, queue.env)))))
    }
    expect(statuses.filter((s) => s === 201)).toHaveLength(1000)
    expect(to).toHaveLength(30)
    expect(new Set(to).size).toBe(30)
    const counts = await env.DB.prepare(
      `SELECT COUNT(*) AS leads, SUM(CASE WHEN d.last_error LIKE 'not dialled: over the cap (site per hour)%' THEN 1 ELSE 0 END) AS capped
       FROM leads l JOIN deliveries d ON d.lead_id = l.id WHERE l.site_id = ?`,
    )
      .bind(site)
      .first<{ leads: number; capped: number }>()
    expect(counts).toEqual({ leads: 1000, capped: 970 })
  })

  it('warns a site with auto-dial and no captcha, and not one with a captcha', async () => {
    const routing = { managers: [{ id: 'olga', name: 'Ольга' }] }
    const open = await adminRequest('PUT', `/v1/admin/sites/${uniqueSite('warn')}`, siteConfig({ targets: [PHONE_TARGET], routing }))
    expect(((await open.json()) as { warnings?: { code: string }[] }).warnings).toEqual([expect.objectContaining({ code: 'autodial_without_captcha', path: 'targets.0' })])
    const guarded = await adminRequest(
      'PUT',
      `/v1/admin/sites/${uniqueSite('warn')}`,
      siteConfig({ targets: [PHONE_TARGET], routing, captcha: { provider: 'turnstile', siteKey: '1x00000000000000000000AA', secret: '1x0000000000000000000000000000000AA' } }),
    )
    expect(((await guarded.json()) as { warnings?: unknown }).warnings).toBeUndefined()
  })

  it('refuses operators who are not the site’s managers', async () => {
    const response = await adminRequest(
      'PUT',
      `/v1/admin/sites/${uniqueSite('ops')}`,
      siteConfig({ targets: [PHONE_TARGET], routing: { managers: [{ id: 'pavel', name: 'Павел' }] } }),
    )
    expect(response.status).toBe(400)
    const body = (await response.json()) as { error: { issues: { path: string }[] } }
    expect(body.error.issues.map((i) => i.path)).toContain('targets.0.operators.0.manager')
  })

  it('forgets the numbers’ hashes once the caps no longer look at them (24 h)', async () => {
    const { calls } = createDeps(env)
    const phoneHash = crypto.randomUUID()
    const t0 = Date.parse('2026-12-01T11:00:00Z')
    expect(await calls.reserveDial({ phoneHash, siteId: uniqueSite(), leadId: crypto.randomUUID() }, CAPS, t0)).toBeNull()
    const count = () => env.DB.prepare('SELECT COUNT(*) AS n FROM dials WHERE phone_hash = ?').bind(phoneHash).first<{ n: number }>()
    await calls.prune(t0 + 23 * 60 * MINUTE)
    expect(await count()).toEqual({ n: 1 })
    await calls.prune(t0 + 24 * 60 * MINUTE)
    expect(await count()).toEqual({ n: 0 })
  })

  it('never reads a telephony secret back, and a config sent back as read keeps the stored secrets', async () => {
    const site = uniqueSite('secret')
    const sms = { provider: { name: 'smsru' as const, apiId: 'smsru_api_id_0123456789' } }
    await putSite(site, siteConfig({ targets: [{ ...PHONE_TARGET, missedSms: sms }], routing: { managers: [{ id: 'olga', name: 'Ольга' }] } }))
    const read = (await (await adminRequest('GET', `/v1/admin/sites/${site}`)).json()) as { config: Record<string, unknown> }
    expect(JSON.stringify(read)).not.toContain('twilio_token_0123456789')
    expect(JSON.stringify(read)).not.toContain('smsru_api_id_0123456789')
    expect((await adminRequest('PUT', `/v1/admin/sites/${site}`, read.config)).status).toBe(200)
    const stored = await env.DB.prepare('SELECT config FROM sites WHERE id = ?').bind(site).first<{ config: string }>()
    const target = (JSON.parse(stored!.config) as { targets: { authToken: string; missedSms: { provider: { apiId: string } } }[] }).targets[0]!
    expect(target.authToken).toBe('twilio_token_0123456789')
    expect(target.missedSms.provider.apiId).toBe('smsru_api_id_0123456789')
  })
})
