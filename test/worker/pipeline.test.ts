// Spam, dedupe and scoring through the real worker and D1.
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import worker from '../../worker/src/cloudflare/index'
import { fromIp, leadRequest, postLead, putSite, randomMobile, siteConfig, uniqueSite, validLead, WEBHOOK_TARGET } from './helpers'
import type { LeadInput } from '../../shared/schemas/lead'

interface Accepted {
  id: string
  status: string
  duplicate: boolean
  score: number
  temperature: string
}

async function stored(id: string) {
  return env.DB.prepare('SELECT status, flags, duplicate, duplicate_of, score, temperature, reasons, payload FROM leads WHERE id = ?')
    .bind(id)
    .first<{ status: string; flags: string | null; duplicate: number; duplicate_of: string | null; score: number; temperature: string; reasons: string; payload: string }>()
}

async function deliveryEvents(leadId: string): Promise<string[]> {
  const { results } = await env.DB.prepare('SELECT event_type FROM deliveries WHERE lead_id = ?').bind(leadId).all<{ event_type: string }>()
  return results.map((r) => r.event_type)
}

/** Posts through the fetch handler with outbound fetch answered 204, waiting for the first attempt. */
async function submit(lead: LeadInput) {
  const sent: string[] = []
  vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
    sent.push(await new Request(input, init).text())
    return new Response(null, { status: 204 })
  })
  const ctx = createExecutionContext()
  const response = await worker.fetch(leadRequest(lead), env, ctx)
  await waitOnExecutionContext(ctx)
  return { response, body: (await response.json()) as Accepted, sent }
}

const site = uniqueSite('pipe')
beforeAll(async () => {
  await putSite(
    site,
    siteConfig({
      targets: [WEBHOOK_TARGET],
      scoring: { answers: [{ question: 'timing', in: ['now'], points: 20, text: 'ready to buy now' }] },
    }),
  )
})
afterEach(() => {
  vi.restoreAllMocks()
})

describe('spam', () => {
  it.each<[string, Partial<LeadInput>, string]>([
    ['a filled honeypot', { hp: 'I am a bot' }, 'honeypot'],
    ['a submission 200 ms after the form appeared', { elapsedMs: 200 }, 'too_fast'],
    ['a disposable email', { contact: { phone: randomMobile(), email: 'bot@mailinator.com' } }, 'disposable_email'],
    ['a premium-rate number', { contact: { phone: '+44 909 876 5432' } }, 'premium_number'],
    ['a keyboard-mash name', { contact: { name: 'qwerty', phone: randomMobile() } }, 'gibberish_name'],
    ['a link in the name', { contact: { name: 'Loans http://spam.example', phone: randomMobile() } }, 'link_in_name'],
  ])('answers %s like a real lead, stores it flagged, and never forwards it', async (_label, overrides, code) => {
    const lead = validLead(site, overrides)
    const { response, body, sent } = await submit(lead)
    expect(response.status).toBe(201)
    expect(body).toMatchObject({ id: lead.id, status: 'accepted', duplicate: false })
    expect(body.score).toBeGreaterThan(0)
    const row = await stored(lead.id)
    expect(row?.status).toBe('spam')
    expect((JSON.parse(row!.flags!) as { code: string }[]).map((f) => f.code)).toContain(code)
    expect(row?.score).toBe(0)
    expect(row?.temperature).toBe('cold')
    expect(await deliveryEvents(lead.id)).toEqual([])
    expect(sent).toEqual([])
  })

  it('answers a replayed spam lead exactly as the first time', async () => {
    const lead = validLead(site, { hp: 'bot' })
    const first = await submit(lead)
    const again = await postLead(lead)
    expect(again.status).toBe(200)
    expect(await again.json()).toEqual(first.body)
  })

  it('does not let a spam lead make the next real lead with that phone a repeat', async () => {
    const phone = randomMobile()
    await submit(validLead(site, { hp: 'bot', contact: { phone } }))
    const real = await submit(validLead(site, { contact: { phone } }))
    expect(real.body.duplicate).toBe(false)
  })
})

describe('dedupe', () => {
  it('links a second lead with the same phone to the first and delivers it as lead.repeated', async () => {
    const phone = randomMobile()
    const first = await submit(validLead(site, { contact: { phone } }))
    const second = await submit(validLead(site, { source: 'chat', contact: { phone: phone.replace(/^8 /, '+7 ') } }))
    expect(first.body.duplicate).toBe(false)
    expect(second.body.duplicate).toBe(true)
    const row = await stored(second.body.id)
    expect(row?.duplicate_of).toBe(first.body.id)
    expect(await deliveryEvents(first.body.id)).toEqual(['lead.created'])
    expect(await deliveryEvents(second.body.id)).toEqual(['lead.repeated'])
    const event = JSON.parse(second.sent[0]!) as { type: string; data: { duplicate: boolean; duplicateOf: string } }
    expect(event.type).toBe('lead.repeated')
    expect(event.data).toMatchObject({ duplicate: true, duplicateOf: first.body.id })
  })

  it('matches across sources by email, case-insensitively, and chains to the first lead', async () => {
    const email = `anna.${crypto.randomUUID().slice(0, 6)}@mail.ru`
    const first = await submit(validLead(site, { source: 'exit_intent', contact: { email } }))
    // Same person, new phone: a repeat by email; the phone now also points at the first lead.
    const phone = randomMobile()
    const second = await submit(validLead(site, { source: 'chat', contact: { email: email.toUpperCase(), phone } }))
    const third = await submit(validLead(site, { contact: { phone } }))
    expect((await stored(second.body.id))?.duplicate_of).toBe(first.body.id)
    expect((await stored(third.body.id))?.duplicate_of).toBe(first.body.id)
  })

  it('treats leads of different sites as unrelated', async () => {
    const other = uniqueSite('pipe2')
    await putSite(other)
    const phone = randomMobile()
    await submit(validLead(site, { contact: { phone } }))
    const elsewhere = await submit(validLead(other, { contact: { phone } }))
    expect(elsewhere.body.duplicate).toBe(false)
  })

  it('starts over once the first lead is older than the window', async () => {
    const phone = randomMobile()
    const first = await submit(validLead(site, { contact: { phone } }))
    await env.DB.prepare('UPDATE contact_keys SET first_at = first_at - 31 * 86400000 WHERE lead_id = ?').bind(first.body.id).run()
    const later = await submit(validLead(site, { contact: { phone } }))
    expect(later.body.duplicate).toBe(false)
    const third = await submit(validLead(site, { contact: { phone } }))
    expect((await stored(third.body.id))?.duplicate_of).toBe(later.body.id)
  })

  it('lets a site switch dedupe off', async () => {
    const own = uniqueSite('nodedupe')
    await putSite(own, siteConfig({ dedupe: { windowDays: 0 } }))
    const phone = randomMobile()
    await submit(validLead(own, { contact: { phone } }))
    expect((await submit(validLead(own, { contact: { phone } }))).body.duplicate).toBe(false)
  })

  it('makes exactly one of several concurrent leads with one phone the new one', async () => {
    const phone = randomMobile()
    vi.spyOn(globalThis, 'fetch').mockImplementation(async () => new Response(null, { status: 204 }))
    const leads = Array.from({ length: 5 }, () => validLead(site, { contact: { phone } }))
    const responses = await Promise.all(leads.map((lead) => postLead(lead)))
    const bodies = (await Promise.all(responses.map((r) => r.json()))) as Accepted[]
    expect(responses.map((r) => r.status)).toEqual([201, 201, 201, 201, 201])
    expect(bodies.filter((b) => !b.duplicate)).toHaveLength(1)
    const originalId = bodies.find((b) => !b.duplicate)!.id
    for (const b of bodies.filter((x) => x.duplicate)) expect((await stored(b.id))?.duplicate_of).toBe(originalId)
  })
})

describe('scoring', () => {
  it('computes the score on the server from the answers, ignoring anything the client claims', async () => {
    const lead = { ...validLead(site, { source: 'chat', answers: { timing: 'now' } }), score: 100, temperature: 'hot' }
    const { body } = await submit(lead as LeadInput)
    const row = await stored(lead.id)
    const reasons = JSON.parse(row!.reasons) as { rule: string; points: number }[]
    expect(reasons).toContainEqual({ rule: 'answer.timing', points: 20, text: 'ready to buy now' })
    expect(body.score).toBe(reasons.reduce((s, r) => s + r.points, 0))
    expect(row?.score).toBe(body.score)
    expect(row?.temperature).toBe(body.temperature)
  })

  it('sends the score, temperature and reasons to the targets', async () => {
    const { sent } = await submit(validLead(site))
    const event = JSON.parse(sent[0]!) as { data: { score: number; temperature: string; reasons: { rule: string }[] } }
    expect(event.data.score).toBeGreaterThan(0)
    expect(event.data.temperature).toMatch(/hot|warm|cold/)
    expect(event.data.reasons.map((r) => r.rule)).toContain('source.callback')
  })
})

describe('Turnstile', () => {
  // Cloudflare's documented test secrets: 1x… always passes, 2x… always fails.
  const PASS = '1x0000000000000000000000000000000AA'
  const FAIL = '2x0000000000000000000000000000000AA'

  /** Plays siteverify for the documented test secrets and records what the worker sent. */
  function siteverify(answer: 'by-secret' | 'down') {
    const calls: Record<string, string>[] = []
    vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
      const request = new Request(input, init)
      if (!request.url.startsWith('https://challenges.cloudflare.com/turnstile/v0/siteverify')) return new Response(null, { status: 204 })
      const form = Object.fromEntries((await request.formData()).entries()) as Record<string, string>
      calls.push(form)
      if (answer === 'down') return new Response('unavailable', { status: 503 })
      const success = form.secret === PASS
      return Response.json({ success, 'error-codes': success ? [] : ['invalid-input-response'] })
    })
    return calls
  }

  async function turnstileSite(secret: string) {
    const own = uniqueSite('ts')
    await putSite(own, siteConfig({ turnstile: { siteKey: '1x00000000000000000000AA', secret } }))
    return own
  }

  async function post(lead: LeadInput) {
    const ctx = createExecutionContext()
    const request = leadRequest(lead)
    fromIp(request, '203.0.113.5')
    const response = await worker.fetch(request, env, ctx)
    await waitOnExecutionContext(ctx)
    return response
  }

  it('verifies the token server-side with the secret, IP and the lead id as idempotency key', async () => {
    const own = await turnstileSite(PASS)
    const calls = siteverify('by-secret')
    const lead = { ...validLead(own), turnstileToken: 'XXXX.DUMMY.TOKEN.XXXX' }
    expect((await post(lead)).status).toBe(201)
    expect(calls).toEqual([{ secret: PASS, response: 'XXXX.DUMMY.TOKEN.XXXX', remoteip: '203.0.113.5', idempotency_key: lead.id }])
    expect((await stored(lead.id))?.status).toBe('accepted')
  })

  it('marks leads spam when the token is refused or missing, answering the same 201', async () => {
    const own = await turnstileSite(FAIL)
    siteverify('by-secret')
    const refused = { ...validLead(own), turnstileToken: 'XXXX.DUMMY.TOKEN.XXXX' }
    expect((await post(refused)).status).toBe(201)
    expect((await stored(refused.id))?.flags).toContain('turnstile_failed')
    const passing = await turnstileSite(PASS)
    const missing = validLead(passing)
    expect((await post(missing)).status).toBe(201)
    expect((await stored(missing.id))?.status).toBe('spam')
  })

  it('keeps the lead when siteverify is unreachable', async () => {
    const own = await turnstileSite(PASS)
    siteverify('down')
    const lead = { ...validLead(own), turnstileToken: 'XXXX.DUMMY.TOKEN.XXXX' }
    expect((await post(lead)).status).toBe(201)
    expect((await stored(lead.id))?.status).toBe('accepted')
  })

  it('publishes the site key, never the secret', async () => {
    const own = await turnstileSite(PASS)
    const publicConfig = await (await publicConfigOf(own)).json()
    expect(publicConfig).toMatchObject({ turnstileSiteKey: '1x00000000000000000000AA' })
    expect(JSON.stringify(publicConfig)).not.toContain(PASS)
  })
})

function publicConfigOf(site: string) {
  return worker.fetch(new Request(`https://worker.test/v1/sites/${site}/config`), env, createExecutionContext())
}
