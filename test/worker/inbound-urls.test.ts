// The addresses to register at each CRM and telephony provider (issue 16): exact, with the event to
// subscribe and the CRM's settings page where it follows from the target, and no secret in them;
// a site token sees its own site's only. Both runtimes.
import { describe, expect, it } from 'vitest'
import { adminRequest, putSite, siteConfig, uniqueSite } from './helpers'

const AMO_SECRET = 'amo-path-secret-0123456789'

describe('GET /v1/admin/sites/:site/inbound-urls', () => {
  it('lists each target’s address to paste, with secrets left as placeholders', async () => {
    const site = uniqueSite('inbound')
    await putSite(
      site,
      siteConfig({
        targets: [
          { type: 'webhook', id: 'hook', url: 'https://hooks.example/lead', secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' },
          { type: 'bitrix24', id: 'b24', webhookUrl: 'https://shop.bitrix24.ru/rest/1/abc123def456/', outcomes: { applicationToken: 'b24apptoken0123456789abcdef' } },
          { type: 'amocrm', id: 'amo', baseUrl: 'https://shop.amocrm.ru', token: 'eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.long-lived', outcomes: { pathSecret: AMO_SECRET } },
          { type: 'hubspot', id: 'hs', mode: 'contact', accessToken: 'pat-eu1-0123456789abcdef' },
          {
            type: 'uis',
            id: 'phone',
            accessToken: 'uis_token_0123456789',
            virtualPhoneNumber: '74951234567',
            notifyToken: 'notify_token_0123456789',
            operators: [{ manager: 'olga', number: '79001112233' }],
          },
        ] as never,
        routing: { managers: [{ id: 'olga', name: 'Ольга' }] },
      }),
    )
    const response = await adminRequest('GET', `/v1/admin/sites/${site}/inbound-urls`)
    expect(response.status).toBe(200)
    const text = await response.text()
    expect(text).not.toContain(AMO_SECRET)
    expect(text).not.toContain('notify_token_0123456789')
    expect(JSON.parse(text)).toEqual({
      site,
      inbound: [
        {
          targetId: 'b24',
          type: 'bitrix24',
          url: `https://worker.test/v1/inbound/bitrix24/${site}/b24`,
          secretPlaceholder: null,
          event: 'ONCRMLEADUPDATE',
          settingsUrl: 'https://shop.bitrix24.ru/devops/',
          ready: true,
        },
        {
          targetId: 'amo',
          type: 'amocrm',
          url: `https://worker.test/v1/inbound/amocrm/${site}/amo/<pathSecret>`,
          secretPlaceholder: '<pathSecret>',
          event: 'status_lead',
          settingsUrl: 'https://shop.amocrm.ru/settings/widgets/',
          ready: true,
        },
        {
          targetId: 'hs',
          type: 'hubspot',
          url: `https://worker.test/v1/inbound/hubspot/${site}/hs`,
          secretPlaceholder: null,
          event: 'contact.propertyChange (lifecyclestage, hs_lead_status)',
          settingsUrl: null,
          ready: false,
        },
        {
          targetId: 'phone',
          type: 'uis',
          url: `https://worker.test/v1/telephony/${site}/phone?token=<notifyToken>`,
          secretPlaceholder: '<notifyToken>',
          event: 'call notifications (docs/telephony.md#notifications)',
          settingsUrl: null,
          ready: true,
        },
      ],
    })
  })

  it('answers 404 for another site’s token and for an unknown site, 405 for writes', async () => {
    const mine = uniqueSite('inbound-a')
    const theirs = uniqueSite('inbound-b')
    await putSite(mine)
    await putSite(theirs)
    const minted = (await (await adminRequest('POST', `/v1/admin/sites/${mine}/tokens`, { label: 'console' })).json()) as { token: string }
    expect((await adminRequest('GET', `/v1/admin/sites/${mine}/inbound-urls`, undefined, minted.token)).status).toBe(200)
    expect((await adminRequest('GET', `/v1/admin/sites/${theirs}/inbound-urls`, undefined, minted.token)).status).toBe(404)
    expect((await adminRequest('GET', `/v1/admin/sites/${uniqueSite('none')}/inbound-urls`)).status).toBe(404)
    expect((await adminRequest('POST', `/v1/admin/sites/${mine}/inbound-urls`, {})).status).toBe(405)
    expect((await adminRequest('GET', `/v1/admin/sites/${mine}/inbound-urls`, undefined, null)).status).toBe(401)
  })
})
