// GET /v1/admin/sites for the console's Sites page: each row says the site's country, language,
// how many targets it has and when it was made, without a config's secrets.
import { describe, expect, it } from 'vitest'
import { WEBHOOK_SECRET, WEBHOOK_TARGET, adminRequest, putSite, siteConfig, uniqueSite } from './helpers'

interface Row {
  site: string
  origins: string[]
  country: string
  locale: string
  targets: number
  createdAt: string
  updatedAt: string
}

describe('GET /v1/admin/sites rows', () => {
  it('carry the country, language, target count and times, and no secrets', async () => {
    const site = uniqueSite('list-row')
    await putSite(site, siteConfig({ country: 'KZ', locale: 'en', targets: [WEBHOOK_TARGET] }))
    const response = await adminRequest('GET', '/v1/admin/sites')
    expect(response.status).toBe(200)
    const text = await response.text()
    expect(text).not.toContain(WEBHOOK_SECRET)
    const row = (JSON.parse(text) as { sites: Row[] }).sites.find((s) => s.site === site)
    expect(row).toMatchObject({ country: 'KZ', locale: 'en', targets: 1 })
    expect(Date.parse(row!.createdAt)).toBeGreaterThan(0)
    expect(Date.parse(row!.updatedAt)).toBeGreaterThanOrEqual(Date.parse(row!.createdAt))
  })
})
