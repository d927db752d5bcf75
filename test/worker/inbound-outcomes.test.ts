// Lead outcomes back from the CRMs (issue 16): Bitrix24's ONCRMLEADUPDATE, amoCRM's status_lead and
// HubSpot's contact.propertyChange, each against its documented payload: the CRM's proof right and
// wrong, a replay, an event out of order, an unknown lead, a status nobody mapped.
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test'
import { env, exports } from 'cloudflare:workers'
import worker from '../../worker/src/cloudflare/index'
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { adminRequest, leadRequest, putSite, siteConfig, uniqueSite, validLead } from './helpers'

const site = uniqueSite('loop')
const B24_TOKEN = 'b24apptoken0123456789abcdef'
const AMO_SECRET = 'amo-path-secret-0123456789'
const HS_SECRET = 'c2f1a7e4-9b3d-4e21-8f6a-1d2c3b4a5e6f'

const config = siteConfig({
  targets: [
    {
      type: 'bitrix24',
      id: 'b24',
      webhookUrl: 'https://shop.bitrix24.ru/rest/1/abc123def456/',
      outcomes: { applicationToken: B24_TOKEN, statuses: { UC_BADNUM: 'junk:wrong_number' } },
    },
    {
      type: 'amocrm',
      id: 'amo',
      baseUrl: 'https://shop.amocrm.ru',
      token: 'eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.long-lived',
      mode: 'complex',
      outcomes: { pathSecret: AMO_SECRET, statuses: { '7001': 'in_work' }, lossReasons: { '9001': 'junk:spam' } },
    },
    {
      type: 'hubspot',
      id: 'hs',
      mode: 'contact',
      accessToken: 'pat-eu1-0123456789abcdef',
      portalId: '62515',
      outcomes: { clientSecret: HS_SECRET },
    },
  ] as never,
})

/** Our leads, and the ids each CRM gave them when they were delivered. */
const leads: { id: string; amoId: number; hubspotId: string }[] = []

/** Answers the CRMs' APIs as their docs show; `bitrixLead` is what crm.lead.get returns next. */
let bitrixLead: Record<string, string> = {}
let amoLossReason: number | null = null
const calls: { url: string; body: string }[] = []

function fakeCrms() {
  let created = 0
  vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
    const request = new Request(input, init)
    const url = request.url
    calls.push({ url, body: await request.text() })
    if (url.includes('crm.lead.list')) return Response.json({ result: [], total: 0 })
    if (url.includes('crm.lead.add')) return Response.json({ result: 100 + created })
    if (url.includes('crm.lead.get')) return Response.json({ result: bitrixLead })
    if (url.includes('crm.timeline')) return Response.json({ result: 1 })
    if (url.endsWith('/api/v4/leads/complex')) return Response.json([{ id: 5000 + ++created, contact_id: 1, request_id: ['0'] }])
    if (url.includes('/notes')) return Response.json({ _embedded: { notes: [] } })
    if (url.includes('/api/v4/leads/') && url.includes('with=loss_reason')) {
      return Response.json({ id: 1, status_id: 143, loss_reason_id: amoLossReason })
    }
    if (url.endsWith('/crm/v3/objects/contacts')) return Response.json({ id: String(9000 + created) }, { status: 201 })
    if (url.includes('/crm/v3/objects/contacts/')) return Response.json({ status: 'error', message: 'not found' }, { status: 404 })
    return Response.json({ ok: true })
  })
}

beforeAll(async () => {
  await putSite(site, config)
  fakeCrms()
  for (let i = 0; i < 6; i++) {
    const lead = validLead(site)
    const ctx = createExecutionContext()
    expect((await worker.fetch(leadRequest(lead), env, ctx)).status).toBe(201)
    await waitOnExecutionContext(ctx)
    leads.push({ id: lead.id!, amoId: 5000 + i + 1, hubspotId: String(9000 + i + 1) })
  }
  vi.restoreAllMocks()
})

afterEach(() => {
  vi.restoreAllMocks()
  calls.length = 0
})

async function lead(id: string) {
  const response = await adminRequest('GET', `/v1/admin/leads/${id}`)
  return (await response.json()) as {
    status: string
    junkReason: string | null
    history: { kind: string; from: string | null; to: string | null; reason: string | null; by: unknown; source: unknown }[]
  }
}

function post(path: string, body: string, headers: Record<string, string> = {}) {
  return exports.default.fetch(
    new Request(`https://worker.test${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
      body,
    }),
  )
}

describe('Bitrix24 ONCRMLEADUPDATE', () => {
  function event(bitrixId: number, { token = B24_TOKEN, ts = Math.floor(Date.now() / 1000) } = {}) {
    // The documented form body of an outgoing webhook's event.
    const form = new URLSearchParams({
      event: 'ONCRMLEADUPDATE',
      event_handler_id: '17',
      'data[FIELDS][ID]': String(bitrixId),
      ts: String(ts),
      'auth[domain]': 'shop.bitrix24.ru',
      'auth[client_endpoint]': 'https://shop.bitrix24.ru/rest/',
      'auth[server_endpoint]': 'https://oauth.bitrix.info/rest/',
      'auth[member_id]': 'a223c6b3710f85df22e9377d6c4f7553',
      'auth[application_token]': token,
    })
    return post(`/v1/inbound/bitrix24/${site}/b24`, form.toString())
  }
  const ours = (i: number, STATUS_ID: string, STATUS_SEMANTIC_ID = 'P') => {
    bitrixLead = { ID: String(100 + i), STATUS_ID, STATUS_SEMANTIC_ID, ORIGINATOR_ID: 'leadcatcher', ORIGIN_ID: leads[i]!.id }
  }

  it('refuses a wrong application token before asking the portal anything', async () => {
    fakeCrms()
    ours(0, 'CONVERTED', 'S')
    const response = await event(100, { token: 'someone-elses-token-0000' })
    expect(response.status).toBe(401)
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('unauthorized')
    expect(calls.filter((c) => c.url.includes('crm.lead.get'))).toEqual([])
    expect((await lead(leads[0]!.id)).status).toBe('new')
  })

  it('reads the status with crm.lead.get and records the change as Bitrix24s, once', async () => {
    fakeCrms()
    ours(0, 'PROCESSED')
    const response = await event(100)
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({ ok: true, results: [{ result: 'changed', lead: leads[0]!.id }] })
    const asked = calls.find((c) => c.url.includes('crm.lead.get'))!
    expect(asked.url).toBe('https://shop.bitrix24.ru/rest/1/abc123def456/crm.lead.get.json')
    expect(JSON.parse(asked.body)).toEqual({ id: 100 })
    const after = await lead(leads[0]!.id)
    expect(after.status).toBe('qualified')
    expect(after.history.at(-1)).toMatchObject({
      kind: 'status',
      from: 'new',
      to: 'qualified',
      by: { kind: 'crm', id: 'bitrix24' },
      source: { kind: 'bitrix24', ref: 'PROCESSED' },
    })

    // The same event again (Bitrix24 fires on every edit of the lead too): nothing twice.
    const replay = await event(100)
    expect(await replay.json()).toEqual({ ok: true, results: [{ result: 'stale', lead: leads[0]!.id }] })
    expect((await lead(leads[0]!.id)).history.filter((h) => h.kind === 'status')).toHaveLength(1)
  })

  it('maps a custom UC_ status through the site mapping, and an unmapped one by its semantics', async () => {
    fakeCrms()
    ours(1, 'UC_BADNUM', 'F')
    await event(101)
    expect(await lead(leads[1]!.id)).toMatchObject({ status: 'junk', junkReason: 'wrong_number' })
    ours(2, 'UC_REFUSED', 'F')
    await event(102)
    expect((await lead(leads[2]!.id)).status).toBe('not_now')
  })

  it('logs and answers 200 for a status nobody mapped, and for a lead that is not ours', async () => {
    fakeCrms()
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    ours(3, 'UC_THINKING', 'P')
    const unmapped = await event(103)
    expect(unmapped.status).toBe(200)
    expect(await unmapped.json()).toEqual({ ok: true, results: [{ result: 'unmapped', lead: leads[3]!.id, status: 'UC_THINKING' }] })
    expect((await lead(leads[3]!.id)).status).toBe('new')

    bitrixLead = { ID: '555', STATUS_ID: 'CONVERTED', STATUS_SEMANTIC_ID: 'S', ORIGINATOR_ID: '', ORIGIN_ID: '' }
    const unknown = await event(555)
    expect(unknown.status).toBe(200)
    expect(await unknown.json()).toEqual({ ok: true, results: [{ result: 'unknown_lead', externalId: '555' }] })
    expect(warn.mock.calls.map((c) => c[0])).toEqual(['crm outcome not mapped', 'crm outcome for an unknown lead'])
  })

  it('answers 404 for a target without outcomes and 400 for an event without a lead id', async () => {
    expect((await post(`/v1/inbound/bitrix24/${site}/nope`, '')).status).toBe(404)
    const form = new URLSearchParams({ event: 'ONCRMLEADUPDATE', 'auth[application_token]': B24_TOKEN })
    const response = await post(`/v1/inbound/bitrix24/${site}/b24`, form.toString())
    expect(response.status).toBe(400)
    expect(await response.json()).toMatchObject({ error: { code: 'validation_failed', issues: [{ path: 'data[FIELDS][ID]' }] } })
  })
})

describe('amoCRM status_lead', () => {
  function event(items: { id: number; status: number; pipeline?: number; old?: number; modified: number }[], { secret = AMO_SECRET, subdomain = 'shop' } = {}) {
    const form = new URLSearchParams()
    items.forEach((item, n) => {
      form.set(`leads[status][${n}][id]`, String(item.id))
      form.set(`leads[status][${n}][status_id]`, String(item.status))
      form.set(`leads[status][${n}][pipeline_id]`, String(item.pipeline ?? 3001))
      form.set(`leads[status][${n}][old_status_id]`, String(item.old ?? 7000))
      form.set(`leads[status][${n}][old_pipeline_id]`, '3001')
      form.set(`leads[status][${n}][last_modified]`, String(item.modified))
      form.set(`leads[status][${n}][modified_user_id]`, '8001')
    })
    form.set('account[id]', '29085955')
    form.set('account[subdomain]', subdomain)
    return post(`/v1/inbound/amocrm/${site}/amo/${secret}`, form.toString())
  }

  it('refuses a wrong path secret and another account', async () => {
    const wrong = await event([{ id: leads[0]!.amoId, status: 142, modified: 1_700_000_000 }], { secret: 'guessed-secret-0000000000' })
    expect(wrong.status).toBe(401)
    const other = await event([{ id: leads[0]!.amoId, status: 142, modified: 1_700_000_000 }], { subdomain: 'rival' })
    expect(other.status).toBe(403)
    expect(await other.json()).toMatchObject({ error: { code: 'account_mismatch', issues: [{ path: 'account[subdomain]' }] } })
    expect((await lead(leads[0]!.id)).history.some((h) => (h.source as { kind: string }).kind === 'amocrm')).toBe(false)
  })

  it('finds our lead by the id amoCRM gave it, maps 142 to won, and drops a replay and an older event', async () => {
    const target = leads[3]!
    const won = await event([{ id: target.amoId, status: 142, modified: 1_700_000_200 }])
    expect(await won.json()).toEqual({ ok: true, results: [{ result: 'changed', lead: target.id }] })
    expect((await lead(target.id)).history.at(-1)).toMatchObject({ to: 'won', source: { kind: 'amocrm', ref: '142' }, by: { kind: 'crm', id: 'amocrm' } })

    const replay = await event([{ id: target.amoId, status: 142, modified: 1_700_000_200 }])
    expect(await replay.json()).toEqual({ ok: true, results: [{ result: 'stale', lead: target.id }] })
    // An earlier move to an in-work stage, delivered late, must not undo the win.
    const late = await event([{ id: target.amoId, status: 7001, modified: 1_700_000_100 }])
    expect(await late.json()).toEqual({ ok: true, results: [{ result: 'stale', lead: target.id }] })
    const after = await lead(target.id)
    expect(after.status).toBe('won')
    expect(after.history.filter((h) => h.kind === 'status')).toHaveLength(1)
  })

  it('maps 143 by its loss reason: junk/spam through the mapping, not now otherwise', async () => {
    fakeCrms()
    amoLossReason = 9001
    await event([{ id: leads[4]!.amoId, status: 143, modified: 1_700_000_300 }])
    expect(await lead(leads[4]!.id)).toMatchObject({ status: 'junk', junkReason: 'spam' })
    expect(calls.some((c) => c.url === `https://shop.amocrm.ru/api/v4/leads/${leads[4]!.amoId}?with=loss_reason`)).toBe(true)
    amoLossReason = 9002
    await event([{ id: leads[5]!.amoId, status: 143, modified: 1_700_000_300 }])
    expect((await lead(leads[5]!.id)).status).toBe('not_now')
  })

  it('answers 200 for an unknown amoCRM lead and a status nobody mapped', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {})
    const response = await event([
      { id: 999_999, status: 142, modified: 1_700_000_400 },
      { id: leads[2]!.amoId, status: 4242, modified: 1_700_000_400 },
    ])
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({
      ok: true,
      results: [
        { result: 'unknown_lead', externalId: '999999' },
        { result: 'unmapped', lead: leads[2]!.id, status: '4242' },
      ],
    })
  })
})

describe('HubSpot contact.propertyChange', () => {
  const path = `/v1/inbound/hubspot/${site}/hs`

  /** The v3 signature, computed here from HubSpot's description: base64 HMAC-SHA256 of method + URI + body + timestamp. */
  async function sign(body: string, timestamp: string, secret = HS_SECRET) {
    const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign'])
    const mac = await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(`POST` + `https://worker.test${path}` + body + timestamp))
    return btoa(String.fromCharCode(...new Uint8Array(mac)))
  }
  function batch(objectId: string, propertyName: string, propertyValue: string, occurredAt: number, eventId = 1) {
    return JSON.stringify([
      {
        eventId,
        subscriptionId: 12345,
        portalId: 62515,
        appId: 54321,
        occurredAt,
        subscriptionType: 'contact.propertyChange',
        attemptNumber: 0,
        objectId: Number(objectId),
        propertyName,
        propertyValue,
        changeSource: 'CRM_UI',
      },
    ])
  }
  async function send(body: string, { timestamp = String(Date.now()), secret = HS_SECRET } = {}) {
    return exports.default.fetch(
      new Request(`https://worker.test${path}`, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          'X-HubSpot-Request-Timestamp': timestamp,
          'X-HubSpot-Signature-v3': await sign(body, timestamp, secret),
          'X-HubSpot-Signature-Version': 'v3',
        },
        body,
      }),
    )
  }

  it('applies a signed change to the contact our delivery created', async () => {
    const target = leads[1]!
    const response = await send(batch(target.hubspotId, 'lifecyclestage', 'customer', Date.now() - 1000))
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({ ok: true, results: [{ result: 'changed', lead: target.id }] })
    expect((await lead(target.id)).history.at(-1)).toMatchObject({ from: 'junk', to: 'won', source: { kind: 'hubspot', ref: 'lifecyclestage:customer' } })
  })

  it('refuses a bad signature and a request older than 5 minutes', async () => {
    const body = batch(leads[0]!.hubspotId, 'hs_lead_status', 'UNQUALIFIED', Date.now())
    const bad = await send(body, { secret: 'not-the-client-secret-000000' })
    expect(bad.status).toBe(401)
    expect(await bad.json()).toMatchObject({ error: { code: 'unauthorized' } })
    const old = await send(body, { timestamp: String(Date.now() - 6 * 60_000) })
    expect(old.status).toBe(401)
    expect(await old.json()).toMatchObject({ error: { code: 'request_expired' } })
    expect((await lead(leads[0]!.id)).status).toBe('qualified')
  })

  it('changes nothing twice when HubSpot retries a batch', async () => {
    const target = leads[0]!
    const occurredAt = Date.now() - 500
    const first = await send(batch(target.hubspotId, 'hs_lead_status', 'UNQUALIFIED', occurredAt, 7))
    expect(await first.json()).toEqual({ ok: true, results: [{ result: 'changed', lead: target.id }] })
    // A retry is signed anew (a fresh timestamp) but carries the same event.
    const retry = await send(batch(target.hubspotId, 'hs_lead_status', 'UNQUALIFIED', occurredAt, 7))
    expect(await retry.json()).toEqual({ ok: true, results: [{ result: 'stale', lead: target.id }] })
    const after = await lead(target.id)
    expect(after).toMatchObject({ status: 'junk', junkReason: 'off_target' })
    expect(after.history.filter((h) => (h.source as { kind: string }).kind === 'hubspot')).toHaveLength(1)
  })

  it('answers 200 for an unknown contact and a value nobody mapped', async () => {
    fakeCrms()
    vi.spyOn(console, 'warn').mockImplementation(() => {})
    const unknown = await send(batch('123456', 'lifecyclestage', 'customer', Date.now()))
    expect(await unknown.json()).toEqual({ ok: true, results: [{ result: 'unknown_lead', externalId: '123456' }] })
    // Without a contact of ours, it asked HubSpot for the contact's email (404 here).
    expect(calls.some((c) => c.url.startsWith('https://api.hubapi.com/crm/v3/objects/contacts/123456'))).toBe(true)
    const unmapped = await send(batch(leads[2]!.hubspotId, 'hs_lead_status', 'WAITING_FOR_BUDGET', Date.now()))
    expect(await unmapped.json()).toEqual({
      ok: true,
      results: [{ result: 'unmapped', lead: leads[2]!.id, status: 'hs_lead_status:WAITING_FOR_BUDGET' }],
    })
  })
})

describe('outcome secrets', () => {
  it('are write-only: an admin read shows only their last characters', async () => {
    const response = await adminRequest('GET', `/v1/admin/sites/${site}`)
    const text = await response.text()
    for (const secret of [B24_TOKEN, AMO_SECRET, HS_SECRET]) {
      expect(text).not.toContain(secret)
      expect(text).toContain(secret.slice(-4))
    }
  })
})
