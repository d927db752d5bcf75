// Tests for talking to the worker: request shape, the result union, and never throwing.
import * as v from 'valibot'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { LeadInput } from '../../../shared/schemas/lead'
import { LeadSchema } from '../../../shared/schemas/lead'
import { SEND_TIMEOUT_MS, fetchSiteConfig, newLeadId, sendLead } from './api'
import type { Fetch } from './api'
import { ENDPOINT, acceptedBody, jsonResponse } from '../testing'

const LEAD: LeadInput = {
  id: '0b6f4f0e-1c1e-4a4b-9a53-3f1e2d3c4b5a',
  site: 'shop',
  source: 'callback',
  contact: { phone: '+7 912 345-67-89' },
}

afterEach(() => {
  vi.useRealTimers()
  vi.unstubAllGlobals()
})

describe('newLeadId', () => {
  const isLeadId = (id: string) => v.safeParse(LeadSchema.entries.id, id).success

  it('makes a fresh UUID every time', () => {
    const ids = new Set(Array.from({ length: 50 }, newLeadId))
    expect(ids.size).toBe(50)
    for (const id of ids) expect(isLeadId(id)).toBe(true)
  })

  it('still makes v4 UUIDs on plain-HTTP pages, where crypto.randomUUID is missing', () => {
    const real = globalThis.crypto
    vi.stubGlobal('crypto', { getRandomValues: real.getRandomValues.bind(real) })
    const ids = Array.from({ length: 50 }, newLeadId)
    expect(new Set(ids).size).toBe(50)
    for (const id of ids) {
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
      expect(isLeadId(id)).toBe(true)
    }
  })
})

describe('sendLead', () => {
  it('POSTs the lead as JSON to /v1/leads', async () => {
    const fetchMock = vi.fn<Fetch>(async () => jsonResponse(201, acceptedBody(LEAD.id)))
    await sendLead(ENDPOINT, LEAD, fetchMock)
    const [url, init] = fetchMock.mock.calls[0] ?? []
    expect(url).toBe('https://leads.example/v1/leads')
    expect(init?.method).toBe('POST')
    expect(new Headers(init?.headers).get('Content-Type')).toBe('application/json')
    expect(JSON.parse(String(init?.body))).toEqual(LEAD)
  })

  it('treats 201 and a 200 replay as accepted', async () => {
    const body = { ...acceptedBody(LEAD.id), duplicate: true }
    for (const status of [201, 200]) {
      const result = await sendLead(ENDPOINT, LEAD, async () => jsonResponse(status, body))
      expect(result).toEqual({ kind: 'accepted', status, body })
    }
  })

  it('returns the error body of a 4xx as rejected', async () => {
    const error = {
      code: 'invalid_phone',
      message: 'This phone number does not look right.',
      issues: [{ path: 'contact.phone', message: 'This phone number does not look right.' }],
    }
    const result = await sendLead(ENDPOINT, LEAD, async () => jsonResponse(400, { error }))
    expect(result).toEqual({ kind: 'rejected', status: 400, error })
  })

  it('keeps a 4xx without a JSON body as rejected with no error details', async () => {
    const result = await sendLead(ENDPOINT, LEAD, async () => new Response('slow down', { status: 429 }))
    expect(result).toEqual({ kind: 'rejected', status: 429, error: null })
  })

  it('reports a network failure instead of throwing', async () => {
    const result = await sendLead(ENDPOINT, LEAD, async () => {
      throw new TypeError('Failed to fetch')
    })
    expect(result).toEqual({ kind: 'failed', status: 0 })
  })

  it('gives up on a request that hangs, so the visitor can retry', async () => {
    vi.useFakeTimers()
    const hanging: Fetch = (_url, init) =>
      new Promise((_resolve, reject) => {
        init?.signal?.addEventListener('abort', () => reject(new DOMException('Aborted', 'AbortError')))
      })
    const result = sendLead(ENDPOINT, LEAD, hanging)
    await vi.advanceTimersByTimeAsync(SEND_TIMEOUT_MS)
    expect(await result).toEqual({ kind: 'failed', status: 0 })
  })

  it('treats a 5xx or an unreadable 2xx as failed, so the same lead can be retried', async () => {
    expect(await sendLead(ENDPOINT, LEAD, async () => jsonResponse(503, {}))).toEqual({
      kind: 'failed',
      status: 503,
    })
    expect(await sendLead(ENDPOINT, LEAD, async () => new Response('<html>', { status: 200 }))).toEqual({ kind: 'failed', status: 200 })
  })
})

describe('fetchSiteConfig', () => {
  it('keeps the site’s likely countries for the phone picker, strings only', async () => {
    const answer = (countries: unknown) => vi.fn<Fetch>(async () => jsonResponse(200, { site: 'shop', locale: 'ru', country: 'RU', countries }))
    expect((await fetchSiteConfig(ENDPOINT, 'shop', answer(['KZ', 'BY'])))?.countries).toEqual(['KZ', 'BY'])
    expect((await fetchSiteConfig(ENDPOINT, 'shop', answer(['KZ', 7, null])))?.countries).toEqual(['KZ'])
    expect((await fetchSiteConfig(ENDPOINT, 'shop', answer('KZ')))?.countries).toBeUndefined()
  })

  it('reads the public config of the site', async () => {
    const fetchMock = vi.fn<Fetch>(async () =>
      jsonResponse(200, {
        site: 'shop',
        locale: 'ru',
        country: 'RU',
        consent: { required: true, text: 'Согласен' },
        captcha: { provider: 'smartcaptcha', siteKey: 'ysc1_client' },
        turnstileSiteKey: null,
        chatInvite: { enabled: true, afterSeconds: 30, capPerDays: 1 },
      }),
    )
    const config = await fetchSiteConfig(ENDPOINT, 'shop', fetchMock)
    expect(fetchMock).toHaveBeenCalledWith('https://leads.example/v1/sites/shop/config')
    expect(config).toEqual({
      site: 'shop',
      locale: 'ru',
      country: 'RU',
      consent: { required: true, text: 'Согласен' },
      captcha: { provider: 'smartcaptcha', siteKey: 'ysc1_client' },
      hours: null,
      exitIntent: null,
      chatInvite: { enabled: true, afterSeconds: 30, capPerDays: 1 },
      analytics: null,
      chat: null,
      brand: null,
    })
  })

  it('takes the brand only when its three colours are #rrggbb, which CSS custom properties would not check', async () => {
    const brand = { accent: '#00707a', onAccent: '#ffffff', ink: '#00707a', position: 'left', launcherText: 'Тур', launcherIcon: 'chat', radius: 4 }
    const read = async (value: unknown) => (await fetchSiteConfig(ENDPOINT, 'shop', async () => jsonResponse(200, { locale: 'ru', brand: value })))?.brand
    expect(await read(brand)).toEqual(brand)
    for (const bad of [
      { ...brand, accent: 'url(https://evil.example/track)' },
      { ...brand, ink: '#00707a;background:url(x)' },
      { ...brand, onAccent: undefined },
      '#00707a',
      null,
    ]) {
      expect(await read(bad), JSON.stringify(bad)).toBeNull()
    }
  })

  it('takes a chat invite only when it is on and its numbers are numbers', async () => {
    const read = async (chatInvite: unknown) => (await fetchSiteConfig(ENDPOINT, 'shop', async () => jsonResponse(200, { locale: 'en', chatInvite })))?.chatInvite
    expect(await read({ enabled: true, afterSeconds: 5, capPerDays: 0, text: 'Hi' })).toEqual({
      enabled: true,
      afterSeconds: 5,
      capPerDays: 0,
      text: 'Hi',
    })
    for (const odd of [{ enabled: 'false', afterSeconds: 5, capPerDays: 1 }, { enabled: true, afterSeconds: 5 }, { enabled: false, afterSeconds: 5, capPerDays: 1 }, 'yes']) {
      expect(await read(odd), JSON.stringify(odd)).toBeNull()
    }
  })

  it('takes a captcha only with a site key', async () => {
    const read = async (captcha: unknown) => (await fetchSiteConfig(ENDPOINT, 'shop', async () => jsonResponse(200, { locale: 'en', captcha })))?.captcha
    expect(await read({ provider: 'turnstile', siteKey: '1x00000000000000000000AA' })).toEqual({
      provider: 'turnstile',
      siteKey: '1x00000000000000000000AA',
    })
    for (const odd of [{ provider: 'smartcaptcha' }, { provider: 'smartcaptcha', siteKey: 1 }, 'ysc1_client', null, undefined]) {
      expect(await read(odd), JSON.stringify(odd)).toBeNull()
    }
  })

  it('returns null for an unknown site, no network or a body that is no config', async () => {
    const unknown = jsonResponse(403, { error: { code: 'unknown_site', message: 'No site' } })
    expect(await fetchSiteConfig(ENDPOINT, 'nope', async () => unknown)).toBeNull()
    expect(
      await fetchSiteConfig(ENDPOINT, 'shop', async () => {
        throw new TypeError('Failed to fetch')
      }),
    ).toBeNull()
    expect(await fetchSiteConfig(ENDPOINT, 'shop', async () => jsonResponse(200, ['x']))).toBeNull()
    expect(await fetchSiteConfig(ENDPOINT, 'shop', async () => jsonResponse(200, { locale: 'de' }))).toBeNull()
  })

  it('escapes the site key in the URL', async () => {
    const fetchMock = vi.fn<Fetch>(async () => jsonResponse(404, {}))
    await fetchSiteConfig(ENDPOINT, '../admin', fetchMock)
    expect(fetchMock).toHaveBeenCalledWith('https://leads.example/v1/sites/..%2Fadmin/config')
  })
})
