// Page, landing and referrer URLs that are not http(s) are dropped at ingest like any other bad
// attribution: the lead is kept, and no javascript: or data: link is stored or sent to a CRM.
import { env, exports } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { leadRequest, putSite, uniqueSite, validLead } from './helpers'

describe('attribution URLs', () => {
  it.each(['javascript:alert(document.cookie)', 'data:text/html,<script>alert(1)</script>'])('drops %s and keeps the lead', async (url) => {
    const site = uniqueSite('attr')
    await putSite(site)
    const lead = validLead(site, {
      context: { page: url, landing: url, referrer: url, utm: { source: 'yandex' }, firstTouch: { landing: url, referrer: url } },
    })
    const response = await exports.default.fetch(leadRequest(lead))
    expect(response.status).toBe(201)
    const row = await env.DB.prepare('SELECT page, payload FROM leads WHERE id = ?').bind(lead.id).first<{ page: string | null; payload: string }>()
    expect(row?.page).toBeNull()
    expect(row!.payload).not.toContain(url.slice(0, 10))
    expect((JSON.parse(row!.payload) as { context: { utm: unknown } }).context.utm).toEqual({ source: 'yandex' })
  })
})
