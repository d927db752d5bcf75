// Auto-replies whose provider has no idempotency key are sent at most once: an unclear outcome
// (no answer, a 500) or an attempt that died mid-way is recorded as a failure, never re-sent; clear
// refusals still retry, and at-least-once targets (webhooks) still send again. Real D1, fake clock.
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createDeps } from '../../worker/src/cloudflare/deps'
import { attemptDelivery } from '../../worker/src/delivery/attempt-delivery'
import worker from '../../worker/src/cloudflare/index'
import { WEBHOOK_TARGET, fakeQueue, leadRequest, putSite, siteConfig, uniqueSite, validLead } from './helpers'

const SID = `AC${'0123456789abcdef'.repeat(2)}`
const TWILIO = `https://api.twilio.com/2010-04-01/Accounts/${SID}/Messages.json`
const SMS_TARGET = {
  type: 'autoreply-sms',
  id: 'sms',
  provider: { name: 'twilio', accountSid: SID, authToken: 'twilio-auth-token', from: '+15005550006' },
  company: 'Уют',
  templates: { ru: { text: '{company}: перезвоним {callbackAt}' } },
} as const

/** Answers every outbound request with the given maker and records the URLs asked. */
function outbound(answer: () => Response | Promise<Response>): string[] {
  const urls: string[] = []
  vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
    urls.push(new Request(input, init).url)
    return answer()
  })
  return urls
}

async function submit(site: string) {
  const queue = fakeQueue()
  const lead = validLead(site)
  const ctx = createExecutionContext()
  expect((await worker.fetch(leadRequest(lead), queue.env, ctx)).status).toBe(201)
  await waitOnExecutionContext(ctx)
  const row = await env.DB.prepare(`SELECT id, status, attempts, last_error, lease_until FROM deliveries WHERE lead_id = ? AND target_id = ?`)
    .bind(lead.id, site.startsWith('amo-wh') ? 'crm' : 'sms')
    .first<{ id: string; status: string; attempts: number; last_error: string | null; lease_until: number | null }>()
  return { row: row!, woken: queue.woken() }
}

async function deliveryRow(id: string) {
  return env.DB.prepare(`SELECT status, attempts, last_error, lease_until FROM deliveries WHERE id = ?`)
    .bind(id)
    .first<{ status: string; attempts: number; last_error: string | null; lease_until: number | null }>()
}

afterEach(() => {
  vi.restoreAllMocks()
})

describe('an SMS whose outcome is unknown', () => {
  it('is not retried after no answer: one request, the delivery failed with a message saying why', async () => {
    const site = uniqueSite('amo-sms')
    await putSite(site, siteConfig({ targets: [SMS_TARGET] }))
    const urls = outbound(() => Promise.reject(new TypeError('Network connection lost.')))

    const { row, woken } = await submit(site)

    expect(urls).toEqual([TWILIO])
    expect(row.status).toBe('failed')
    expect(row.last_error).toBe(
      'outcome unknown (request failed: Network connection lost.); not retried: Twilio has no ' +
        "idempotency key, so a retry could send the message twice. Check Twilio's log to see whether it went out.",
    )
    expect(woken).toEqual([])
  })

  it('is not retried after a 500 either (Twilio: a retried 500 may send twice), but a 503 or 429 is', async () => {
    const site = uniqueSite('amo-sms')
    await putSite(site, siteConfig({ targets: [SMS_TARGET] }))
    outbound(() => Response.json({ code: 20500, message: 'Internal Server Error', status: 500 }, { status: 500 }))
    const failed = await submit(site)
    expect(failed.row).toMatchObject({ status: 'failed', attempts: 1 })
    expect(failed.row.last_error).toMatch(/^outcome unknown \(Twilio 20500: Internal Server Error: HTTP 500/)

    vi.restoreAllMocks()
    outbound(() => Response.json({ code: 20503, message: 'Service Unavailable', status: 503 }, { status: 503 }))
    const later = await submit(site)
    expect(later.row).toMatchObject({ status: 'pending', attempts: 1 })
    expect(later.woken).toEqual([later.row.id])
  })
})

describe('an attempt that died after claiming its delivery', () => {
  it('is not repeated for an SMS: the next attempt records "outcome unknown" and sends nothing', async () => {
    const site = uniqueSite('amo-sms')
    await putSite(site, siteConfig({ targets: [SMS_TARGET] }))
    // The first attempt is throttled, so the delivery is pending with a retry due later.
    outbound(() => Response.json({ code: 20429, message: 'Too Many Requests', status: 429 }, { status: 429 }))
    const { row } = await submit(site)
    expect(row.status).toBe('pending')

    // The retry claims the delivery and the worker stops before recording anything.
    const later = Date.now() + 86_400_000
    const deps = createDeps(env)
    expect(await deps.deliveries.claimDelivery(row.id, later, 60_000)).toMatchObject({ interrupted: false })

    // Once that lease has expired, the next attempt must not send again.
    vi.restoreAllMocks()
    const urls = outbound(() => Response.json({ sid: 'SM1', status: 'queued' }, { status: 201 }))
    const result = await attemptDelivery({ ...deps, now: () => later + 61_000 }, row.id)

    expect(urls).toEqual([])
    expect(result.kind).toBe('failed')
    const after = await deliveryRow(row.id)
    expect(after).toMatchObject({ status: 'failed', attempts: 2, lease_until: null })
    expect(after!.last_error).toBe(
      'outcome unknown: the previous attempt stopped before recording its result and may have sent the ' +
        "message; not sent again because Twilio has no idempotency key. Check Twilio's log.",
    )
  })

  it('is repeated for a webhook, whose receiver drops the duplicate by webhook-id', async () => {
    const site = uniqueSite('amo-wh')
    await putSite(site, siteConfig({ targets: [WEBHOOK_TARGET] }))
    outbound(() => new Response(null, { status: 503 }))
    const { row } = await submit(site)
    expect(row.status).toBe('pending')

    const later = Date.now() + 86_400_000
    const deps = createDeps(env)
    await deps.deliveries.claimDelivery(row.id, later, 60_000)
    vi.restoreAllMocks()
    const urls = outbound(() => new Response(null, { status: 204 }))
    expect(await attemptDelivery({ ...deps, now: () => later + 61_000 }, row.id)).toEqual({ kind: 'delivered' })
    expect(urls).toEqual([WEBHOOK_TARGET.url])
  })

  it('cannot be claimed twice while the lease holds, and a finished attempt leaves no stale lease', async () => {
    const site = uniqueSite('amo-sms')
    await putSite(site, siteConfig({ targets: [SMS_TARGET] }))
    outbound(() => Response.json({ code: 20429, message: 'Too Many Requests', status: 429 }, { status: 429 }))
    const { row } = await submit(site)
    expect(row.lease_until).toBeNull()

    const later = Date.now() + 86_400_000
    const deps = createDeps(env)
    const [first, second] = await Promise.all([deps.deliveries.claimDelivery(row.id, later, 60_000), deps.deliveries.claimDelivery(row.id, later, 60_000)])
    expect([first, second].filter(Boolean)).toHaveLength(1)
  })
})
