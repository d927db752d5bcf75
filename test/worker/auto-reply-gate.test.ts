// Auto-replies cannot be turned on a victim or on the site's bill: one per contact per window,
// SMS only to mobiles of the site's countries, never to satellite networks, within a budget.
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { afterEach, describe, expect, it, vi } from 'vitest'
import worker from '../../worker/src/cloudflare/index'
import type { LeadInput } from '../../shared/schemas/lead'
import type { SiteConfigInput } from '../../shared/schemas/site-config'
import { fromIp, leadRequest, putSite, randomMobile, siteConfig, uniqueSite, validLead, testNetwork, clearOfWindowEdge } from './helpers'

const netA = testNetwork()
const netB = testNetwork()

const EMAIL_REPLY = {
  type: 'autoreply-email',
  id: 'reply-mail',
  provider: { name: 'dev', url: 'https://outbox.example/email' },
  from: 'hello@shop.example',
  company: 'Уют',
  templates: { ru: { subject: 'Заявка', text: 'Здравствуйте, {name}! Перезвоним {callbackAt}.' } },
} as const

const SMS_REPLY = {
  type: 'autoreply-sms',
  id: 'reply-sms',
  provider: { name: 'dev', url: 'https://outbox.example/sms' },
  company: 'Уют',
  templates: { ru: { text: '{company}: перезвоним {callbackAt}' } },
} as const

interface Outbox {
  email: string[]
  sms: string[]
}

let outbox: Outbox = { email: [], sms: [] }

afterEach(() => {
  vi.restoreAllMocks()
})

/** Sends every auto-reply to a recording outbox instead of a provider. */
function recordOutbox(): void {
  outbox = { email: [], sms: [] }
  vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
    const body = JSON.parse(await new Request(input, init).text()) as { channel: 'email' | 'sms'; to: string }
    outbox[body.channel].push(body.to)
    return new Response(null, { status: 204 })
  })
}

async function submit(lead: LeadInput, ip: string): Promise<number> {
  const ctx = createExecutionContext()
  const response = await worker.fetch(fromIp(leadRequest(lead), ip), env, ctx)
  await waitOnExecutionContext(ctx)
  return response.status
}

async function notes(siteId: string, targetId: string): Promise<(string | null)[]> {
  const { results } = await env.DB.prepare('SELECT d.last_error AS note FROM deliveries d WHERE d.site_id = ? AND d.target_id = ? ORDER BY d.created_at, d.id')
    .bind(siteId, targetId)
    .all<{ note: string | null }>()
  return results.map((r) => r.note)
}

async function site(config: Partial<SiteConfigInput>): Promise<string> {
  const id = uniqueSite('gate')
  await putSite(id, siteConfig({ consent: undefined, ...config }))
  return id
}

describe('email auto-replies', () => {
  it('sends no email for 8 leads from 8 IPs with a link in the name', async () => {
    const id = await site({ targets: [EMAIL_REPLY] })
    recordOutbox()
    const email = `victim.${crypto.randomUUID().slice(0, 8)}@mail.ru`
    const statuses = []
    await clearOfWindowEdge()
    for (let i = 0; i < 8; i++) {
      const lead = validLead(id, { source: 'form', contact: { name: 'Visit evil.click now', email } })
      statuses.push(await submit(lead, netB(i + 1)))
    }
    // Spam gets the 201 a person would; past the per-email limit (5 an hour) even that stops.
    expect(statuses).toEqual([201, 201, 201, 201, 201, 429, 429, 429])
    expect(outbox.email).toEqual([])
    // clearOfWindowEdge may wait up to 5 s first: more than vitest's default timeout.
  }, 15_000)

  it('sends one email to an address whatever number of leads name it, from any form and IP', async () => {
    const id = await site({ targets: [EMAIL_REPLY] })
    recordOutbox()
    const email = `anna.${crypto.randomUUID().slice(0, 8)}@mail.ru`
    const sources = ['form', 'callback', 'exit_intent', 'form', 'callback'] as const
    for (const [i, source] of sources.entries()) {
      expect(await submit(validLead(id, { source, contact: { name: 'Анна', email, phone: randomMobile() } }), netB(i + 20))).toBe(201)
    }
    expect(outbox.email).toEqual([email])
    const logged = await notes(id, 'reply-mail')
    expect(logged[0]).toBeNull()
    expect(logged.slice(1)).toEqual(new Array(4).fill('no email auto-reply for a repeated lead'))
  })

  it('still sends one email per address per day when the site turned dedupe off', async () => {
    const id = await site({ targets: [EMAIL_REPLY], dedupe: { windowDays: 0 } })
    recordOutbox()
    const email = `ivan.${crypto.randomUUID().slice(0, 8)}@mail.ru`
    for (let i = 0; i < 3; i++) {
      expect(await submit(validLead(id, { source: 'form', contact: { email: i === 1 ? email.toUpperCase() : email } }), netB(i + 40))).toBe(201)
    }
    expect(outbox.email).toEqual([email])
    expect((await notes(id, 'reply-mail')).slice(1)).toEqual(new Array(2).fill('not sent: this address already got this auto-reply for an earlier lead: one per contact per day'))
    // Another address is another person.
    const other = `other.${email}`
    expect(await submit(validLead(id, { source: 'form', contact: { email: other } }), netB(50))).toBe(201)
    expect(outbox.email).toEqual([email, other])
  })
})

describe('SMS auto-replies', () => {
  const numbers = {
    iridium: '+881612345678',
    inmarsat: '+870773111632',
    comoros: '+2693212345',
    cuba: '+5372345678',
    germanLandline: '+493012345678',
    germanMobile: '+4915123456789',
    moscowLandline: '+74951234567',
  }

  it('sends SMS only to mobiles of the site country, never to satellite or foreign numbers', async () => {
    const id = await site({ targets: [SMS_REPLY] })
    recordOutbox()
    for (const [i, phone] of Object.values(numbers).entries()) expect(await submit(validLead(id, { contact: { phone } }), netA(i + 1))).toBe(201)
    expect(outbox.sms).toEqual([])
    const logged = await notes(id, 'reply-sms')
    expect(logged).toHaveLength(7)
    expect(logged.every((note) => note?.startsWith('not sent: '))).toBe(true)
    expect(logged).toContain('not sent: +881 is a satellite or international-network code: SMS there are always refused')
    expect(logged).toContain('not sent: a number of KM: SMS go only to RU (sms.countries)')
    expect(logged).toContain('not sent: not a mobile number (fixed line): SMS go to mobiles only')

    const mobile = randomMobile()
    expect(await submit(validLead(id, { contact: { phone: mobile } }), netA(99))).toBe(201)
    expect(outbox.sms).toHaveLength(1)
    expect(outbox.sms[0]).toMatch(/^\+7912\d{7}$/)
  })

  it('takes the countries a site lists, and still refuses satellites and landlines there', async () => {
    const id = await site({ targets: [SMS_REPLY], sms: { countries: ['RU', 'DE'] } })
    recordOutbox()
    for (const [i, phone] of [numbers.germanMobile, numbers.germanLandline, numbers.iridium, numbers.comoros].entries()) {
      expect(await submit(validLead(id, { contact: { phone } }), netA(i + 10))).toBe(201)
    }
    expect(outbox.sms).toEqual([numbers.germanMobile])
  })

  it('stops at the site budget per hour, however many numbers the leads bring', async () => {
    const id = await site({ targets: [SMS_REPLY], sms: { perHour: 2 } })
    recordOutbox()
    for (let i = 0; i < 5; i++) expect(await submit(validLead(id, { contact: { phone: randomMobile() } }), netA(i + 30))).toBe(201)
    expect(outbox.sms).toHaveLength(2)
    expect((await notes(id, 'reply-sms')).filter((n) => n === "not sent: the site's SMS budget of 2 an hour is spent (sms.perHour)")).toHaveLength(3)
  })

  it('sends one SMS per number when dedupe is off', async () => {
    const id = await site({ targets: [SMS_REPLY], dedupe: { windowDays: 0 } })
    recordOutbox()
    const phone = randomMobile()
    for (let i = 0; i < 3; i++) expect(await submit(validLead(id, { contact: { phone } }), netA(i + 50))).toBe(201)
    expect(outbox.sms).toHaveLength(1)
  })
})
