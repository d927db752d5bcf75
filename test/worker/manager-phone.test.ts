// A manager's own phone (routing.managers[].phone): saved as E.164 after the lead phone's check,
// refused at its field when it is no number, and rung by auto-dial for a telephony operator that
// gives no number of its own; an operator with neither is refused and nothing is stored.
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { SiteConfigInput } from '../../shared/schemas/site-config'
import worker from '../../worker/src/cloudflare/index'
import { WEBHOOK_TARGET, adminRequest, fakeQueue, leadRequest, putSite, siteConfig, uniqueSite, validLead } from './helpers'

const PHONE_TARGET = {
  type: 'twilio' as const,
  id: 'phone',
  accountSid: `AC${'1'.repeat(32)}`,
  authToken: 'twilio_token_0123456789',
  from: '+15005550006',
  publicUrl: 'https://leads.example',
  ringSeconds: 20,
}

type Issues = { error: { code: string; issues: { path: string; code?: string; message: string }[] } }

async function storedConfig(site: string): Promise<{ status: number; config?: SiteConfigInput }> {
  const response = await adminRequest('GET', `/v1/admin/sites/${site}`)
  return response.status === 200 ? { status: 200, config: ((await response.json()) as { config: SiteConfigInput }).config } : { status: response.status }
}

afterEach(() => {
  vi.restoreAllMocks()
})

describe("a manager's phone", () => {
  it('is saved as E.164, read in the site’s country when typed without "+"', async () => {
    const site = uniqueSite('mphone')
    await putSite(
      site,
      siteConfig({
        routing: {
          managers: [
            { id: 'olga', name: 'Ольга', phone: ' 8 (912) 345-67-89 ' },
            { id: 'pavel', name: 'Павел' },
          ],
        },
      }),
    )
    const { config } = await storedConfig(site)
    expect(config!.routing!.managers).toEqual([
      { id: 'olga', name: 'Ольга', phone: '+79123456789' },
      { id: 'pavel', name: 'Павел' },
    ])
  })

  it('is refused at its field when it is no real number, and nothing is stored', async () => {
    const site = uniqueSite('mphone')
    await putSite(site, siteConfig({ routing: { managers: [{ id: 'olga', name: 'Ольга' }] } }))
    const response = await adminRequest('PUT', `/v1/admin/sites/${site}`, siteConfig({ routing: { managers: [{ id: 'olga', name: 'Ольга', phone: '12345' }] } }))
    expect(response.status).toBe(400)
    const body = (await response.json()) as Issues
    expect(body.error.code).toBe('validation_failed')
    expect(body.error.issues).toEqual([expect.objectContaining({ path: 'routing.managers.0.phone', code: 'invalid_format', message: expect.stringContaining('+79123456789') })])
    expect((await storedConfig(site)).config!.routing!.managers).toEqual([{ id: 'olga', name: 'Ольга' }])
  })
})

describe('a telephony operator without a number', () => {
  it('is refused at targets.N.operators.M.number when the manager has no phone either, and nothing is stored', async () => {
    const site = uniqueSite('mphone')
    const bad = siteConfig({
      targets: [WEBHOOK_TARGET, { ...PHONE_TARGET, operators: [{ manager: 'olga', number: '+79001110001' }, { manager: 'pavel' }] }],
      routing: {
        managers: [
          { id: 'olga', name: 'Ольга' },
          { id: 'pavel', name: 'Павел' },
        ],
      },
    })
    const response = await adminRequest('PUT', `/v1/admin/sites/${site}`, bad)
    expect(response.status).toBe(400)
    const body = (await response.json()) as Issues
    expect(body.error.issues).toEqual([expect.objectContaining({ path: 'targets.1.operators.1.number', code: 'required', message: expect.stringContaining('"pavel"') })])
    expect((await storedConfig(site)).status).toBe(404)
  })

  it('rings the manager’s own phone', async () => {
    const site = uniqueSite('mphone')
    await putSite(
      site,
      siteConfig({
        targets: [{ ...PHONE_TARGET, operators: [{ manager: 'olga' }, { manager: 'pavel', number: '+79001110002' }] }],
        routing: {
          managers: [
            { id: 'olga', name: 'Ольга', phone: '8 912 345-67-89' },
            { id: 'pavel', name: 'Павел' },
          ],
        },
      }),
    )
    const sent: string[] = []
    vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
      const request = new Request(input, init)
      if (!request.url.includes('/Calls.json')) return new Response(null, { status: 204 })
      sent.push(new URLSearchParams(new TextDecoder().decode(await request.arrayBuffer())).get('To') ?? '')
      return Response.json({ sid: `CA${sent.length}`, status: 'queued' }, { status: 201 })
    })
    const queue = fakeQueue()
    const ctx = createExecutionContext()
    const response = await worker.fetch(leadRequest(validLead(site)), queue.env, ctx)
    await waitOnExecutionContext(ctx)
    expect(response.status).toBe(201)
    // Round robin starts at olga: her phone from the Team page, normalized when saved.
    expect(sent).toEqual(['+79123456789'])
  })
})
