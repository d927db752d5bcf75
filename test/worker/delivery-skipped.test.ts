// A delivery that sends nothing on purpose (an email auto-reply to a visitor who left only a phone)
// is "skipped" in the API, not "delivered": the inbox and the console show it as neither sent nor failed.
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import worker from '../../worker/src/cloudflare/index'
import { adminRequest, leadRequest, putSite, siteConfig, uniqueSite, validLead } from './helpers'

const EMAIL_REPLY = {
  type: 'autoreply-email',
  id: 'email-reply',
  provider: { name: 'dev', url: 'https://outbox.example/outbox' },
  from: 'hello@shop.example',
  company: 'Демо',
  templates: { ru: { subject: 'Заявка принята', text: 'Здравствуйте, {name}!' } },
} as const

interface Delivery {
  targetId: string
  status: string
  lastError: string | null
  deliveredAt: string | null
}

describe('a skipped auto-reply', () => {
  it('is status skipped with the reason, in the lead and in the deliveries list, and was never sent', async () => {
    const site = uniqueSite('skip')
    await putSite(site, siteConfig({ targets: [EMAIL_REPLY] }))
    const sent: string[] = []
    const realFetch = globalThis.fetch
    globalThis.fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
      sent.push(String(input instanceof Request ? input.url : input))
      return realFetch(input, init)
    }) as typeof fetch
    const lead = validLead(site, { contact: { name: 'Анна', phone: '+79123456780' } })
    try {
      const ctx = createExecutionContext()
      expect((await worker.fetch(leadRequest(lead), env, ctx)).status).toBe(201)
      await waitOnExecutionContext(ctx)
    } finally {
      globalThis.fetch = realFetch
    }
    expect(sent.filter((url) => url.startsWith('https://outbox.example'))).toEqual([])

    const detail = (await (await adminRequest('GET', `/v1/admin/leads/${lead.id}`)).json()) as { deliveries: Delivery[] }
    expect(detail.deliveries).toEqual([
      expect.objectContaining({ targetId: 'email-reply', status: 'skipped', lastError: expect.stringContaining('no address'), deliveredAt: null }),
    ])
    const listed = (await (await adminRequest('GET', `/v1/admin/deliveries?site=${site}&status=skipped`)).json()) as { deliveries: Delivery[] }
    expect(listed.deliveries.map((d) => [d.targetId, d.status])).toEqual([['email-reply', 'skipped']])
    const failedOrPending = (await (await adminRequest('GET', `/v1/admin/deliveries?site=${site}`)).json()) as { deliveries: Delivery[] }
    expect(failedOrPending.deliveries).toEqual([])
  })
})
