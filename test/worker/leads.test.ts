// POST /v1/leads through the real worker and D1: every response code of the ingest contract.
import { env } from 'cloudflare:workers'
import { beforeAll, describe, expect, it } from 'vitest'
import { ORIGIN, errorCode, postLead, putSite, siteConfig, uniqueSite, validLead } from './helpers'
import { exports } from 'cloudflare:workers'

const site = uniqueSite('leads')
const openSite = uniqueSite('open') // no consent required, English

beforeAll(async () => {
  await putSite(site)
  await putSite(openSite, siteConfig({ locale: 'en', consent: undefined, reply: undefined, country: 'GB' }))
})

async function storedLead(id: string) {
  return env.DB.prepare('SELECT site_id, phone, email, name, payload FROM leads WHERE id = ?').bind(id).first<{
    site_id: string
    phone: string | null
    email: string | null
    name: string | null
    payload: string
  }>()
}

describe('POST /v1/leads', () => {
  it('accepts a valid lead with 201, the site reply text, and stores the phone in E.164', async () => {
    const lead = validLead(site, { contact: { name: 'Анна', phone: '8 912 345-67-89' } })
    const response = await postLead(lead)
    expect(response.status).toBe(201)
    expect(await response.json()).toEqual({
      id: lead.id,
      status: 'accepted',
      duplicate: false,
      reply: { text: 'Спасибо! Перезвоним в течение 5 минут.' },
      score: expect.any(Number),
      temperature: expect.stringMatching(/^(hot|warm|cold)$/),
    })
    const row = await storedLead(lead.id)
    expect(row).toMatchObject({ site_id: site, phone: '+79123456789', name: 'Анна' })
    const payload = JSON.parse(row!.payload) as { context: { utm: { source: string } } }
    expect(payload.context.utm.source).toBe('yandex')
  })

  it('answers a repeated id with 200 and the same body, storing nothing twice', async () => {
    const lead = validLead(site)
    const first = await postLead(lead)
    const second = await postLead(lead)
    expect(first.status).toBe(201)
    expect(second.status).toBe(200)
    expect(await second.json()).toEqual(await first.json())
    const count = await env.DB.prepare('SELECT count(*) AS n FROM leads WHERE id = ?').bind(lead.id).first<{ n: number }>()
    expect(count?.n).toBe(1)
  })

  it('stores one lead when the same id arrives concurrently', async () => {
    const lead = validLead(site)
    const statuses = (await Promise.all([postLead(lead), postLead(lead), postLead(lead)])).map((r) => r.status).sort()
    expect(statuses).toEqual([200, 200, 201])
    const count = await env.DB.prepare('SELECT count(*) AS n FROM leads WHERE id = ?').bind(lead.id).first<{ n: number }>()
    expect(count?.n).toBe(1)
  })

  it('refuses an id already used by another site with 409', async () => {
    const lead = validLead(site)
    await postLead(lead)
    const response = await postLead({ ...lead, site: openSite, consent: undefined })
    expect(response.status).toBe(409)
    expect(await errorCode(response)).toBe('id_conflict')
  })

  it('accepts text/plain JSON as sent by navigator.sendBeacon', async () => {
    const lead = validLead(site)
    const response = await postLead(lead, { contentType: 'text/plain;charset=UTF-8' })
    expect(response.status).toBe(201)
  })

  it('accepts an email-only lead and lower-cases the domain', async () => {
    const lead = validLead(openSite, { contact: { email: 'Ivan@Mail.RU' }, consent: undefined })
    const response = await postLead(lead)
    expect(response.status).toBe(201)
    expect((await storedLead(lead.id))?.email).toBe('Ivan@mail.ru')
    // No phone, so no promise of a call.
    expect(((await response.json()) as { reply: { text: string } }).reply.text).toBe('Thank you! We have your request and will answer you by email shortly.')
  })

  it('parses national numbers with the site country', async () => {
    const lead = validLead(openSite, { contact: { phone: '020 7946 0958' }, consent: undefined })
    expect((await postLead(lead)).status).toBe(201)
    expect((await storedLead(lead.id))?.phone).toBe('+442079460958')
  })

  it('drops malformed attribution instead of losing the lead', async () => {
    const lead = validLead(site, { context: { page: 'not a url', referrer: 42 as unknown as string, utm: { source: 'vk' } } })
    const response = await postLead(lead)
    expect(response.status).toBe(201)
    const payload = JSON.parse((await storedLead(lead.id))!.payload) as { context: Record<string, unknown> }
    expect(payload.context.page).toBeUndefined()
    expect(payload.context.referrer).toBeUndefined()
    expect(payload.context.utm).toEqual({ source: 'vk' })
  })

  it.each([
    ['invalid_json', '{"id": ', 400],
    ['validation_failed', { site, source: 'callback', contact: { phone: '+79123456789' } }, 400],
  ])('answers %s for a broken body', async (code, body, status) => {
    const response = await postLead(body)
    expect(response.status).toBe(status)
    expect(await errorCode(response)).toBe(code)
  })

  it('names every invalid field in validation_failed', async () => {
    const response = await postLead({ ...validLead(site), id: 'nope', source: 'fax', answers: { __proto__x: 1, ok: { deep: 1 } } })
    expect(response.status).toBe(400)
    const body = (await response.json()) as { error: { code: string; issues: { path: string }[] } }
    expect(body.error.code).toBe('validation_failed')
    const paths = body.error.issues.map((i) => i.path)
    expect(paths).toEqual(expect.arrayContaining(['id', 'source', 'answers.ok']))
  })

  it('requires a phone or an email', async () => {
    const response = await postLead(validLead(site, { contact: { name: 'Анна' } }))
    expect(response.status).toBe(400)
    const body = (await response.json()) as { error: { code: string; message: string; issues: { path: string }[] } }
    expect(body.error.code).toBe('contact_required')
    expect(body.error.message).toMatch(/телефон/)
    expect(body.error.issues[0]?.path).toBe('contact.phone')
  })

  it.each(['12345', '+7 000 000-00-00', 'позвоните мне'])('rejects the impossible phone %s with invalid_phone', async (phone) => {
    const response = await postLead(validLead(site, { contact: { phone } }))
    expect(response.status).toBe(400)
    expect(await errorCode(response)).toBe('invalid_phone')
  })

  it('rejects a malformed email with invalid_email', async () => {
    const response = await postLead(validLead(site, { contact: { email: 'ivan@' } }))
    expect(response.status).toBe(400)
    expect(await errorCode(response)).toBe('invalid_email')
  })

  it('requires consent when the site does', async () => {
    for (const consent of [undefined, { given: false, text: 'x' }]) {
      const response = await postLead(validLead(site, { consent }))
      expect(response.status).toBe(400)
      expect(await errorCode(response)).toBe('consent_required')
    }
  })

  it('stores nothing for a rejected lead', async () => {
    const lead = validLead(site, { consent: undefined })
    await postLead(lead)
    expect(await storedLead(lead.id)).toBeNull()
  })

  it('answers 403 unknown_site for a site that is not configured', async () => {
    const response = await postLead(validLead('no-such-site'))
    expect(response.status).toBe(403)
    expect(await errorCode(response)).toBe('unknown_site')
  })

  it('answers 403 origin_not_allowed for an origin outside the allowlist, without CORS headers', async () => {
    const lead = validLead(site)
    const response = await postLead(lead, { origin: 'https://evil.example' })
    expect(response.status).toBe(403)
    expect(await errorCode(response)).toBe('origin_not_allowed')
    expect(response.headers.get('Access-Control-Allow-Origin')).toBeNull()
    expect(await storedLead(lead.id)).toBeNull()
  })

  it('sends CORS headers to an allowed origin', async () => {
    const response = await postLead(validLead(site))
    expect(response.headers.get('Access-Control-Allow-Origin')).toBe(ORIGIN)
    expect(response.headers.get('Vary')).toContain('Origin')
  })

  it('answers preflights for allowed origins only', async () => {
    const preflight = (origin: string) =>
      exports.default.fetch(
        new Request('https://worker.test/v1/leads', {
          method: 'OPTIONS',
          headers: { Origin: origin, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type' },
        }),
      )
    const allowed = await preflight(ORIGIN)
    expect(allowed.status).toBe(204)
    expect(allowed.headers.get('Access-Control-Allow-Origin')).toBe(ORIGIN)
    expect(allowed.headers.get('Access-Control-Allow-Methods')).toContain('POST')
    const denied = await preflight('https://evil.example')
    expect(denied.status).toBe(403)
    expect(denied.headers.get('Access-Control-Allow-Origin')).toBeNull()
  })

  it('answers 413 for a body over 32 KB before parsing it', async () => {
    const lead = validLead(site, { message: 'x'.repeat(40 * 1024) })
    const response = await postLead(lead)
    expect(response.status).toBe(413)
    expect(await errorCode(response)).toBe('payload_too_large')
  })

  it('answers 415 for other content types', async () => {
    const response = await postLead(validLead(site), { contentType: 'application/x-www-form-urlencoded' })
    expect(response.status).toBe(415)
    expect(await errorCode(response)).toBe('unsupported_media_type')
  })

  it('answers 405 with Allow for other methods', async () => {
    const response = await exports.default.fetch(new Request('https://worker.test/v1/leads', { method: 'GET' }))
    expect(response.status).toBe(405)
    expect(response.headers.get('Allow')).toBe('POST, OPTIONS')
    expect(await errorCode(response)).toBe('method_not_allowed')
  })
})
