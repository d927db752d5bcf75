// PUT /v1/admin/sites/:site with `If-None-Match: *` creates a site and never replaces one: the
// console's new-site wizard sends it, so a key someone took meanwhile is refused, not overwritten.
import { exports } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { ADMIN_TOKEN, adminRequest, putSite, siteConfig, uniqueSite } from './helpers'

function createOnly(site: string, body: unknown): Promise<Response> {
  return exports.default.fetch(
    new Request(`https://worker.test/v1/admin/sites/${site}`, {
      method: 'PUT',
      headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, 'Content-Type': 'application/json', 'If-None-Match': '*' },
      body: JSON.stringify(body),
    }),
  )
}

describe('PUT /v1/admin/sites/:site with If-None-Match: *', () => {
  it('creates a new site (201)', async () => {
    const site = uniqueSite('create-only')
    const response = await createOnly(site, siteConfig())
    expect(response.status).toBe(201)
    expect((await adminRequest('GET', `/v1/admin/sites/${site}`)).status).toBe(200)
  })

  it('refuses with 412 site_exists at the key and leaves the stored config as it was', async () => {
    const site = uniqueSite('create-only')
    await putSite(site, siteConfig({ locale: 'en' }))
    const before = await (await adminRequest('GET', `/v1/admin/sites/${site}`)).json()
    const response = await createOnly(site, siteConfig({ locale: 'ru', origins: ['https://other.example'] }))
    expect(response.status).toBe(412)
    const body = (await response.json()) as { error: { code: string; issues: { path: string }[] } }
    expect(body.error.code).toBe('site_exists')
    expect(body.error.issues.map((i) => i.path)).toEqual(['site'])
    expect(await (await adminRequest('GET', `/v1/admin/sites/${site}`)).json()).toEqual(before)
  })

  it('replaces as before without the header', async () => {
    const site = uniqueSite('create-only')
    await putSite(site, siteConfig({ locale: 'en' }))
    expect((await adminRequest('PUT', `/v1/admin/sites/${site}`, siteConfig({ locale: 'ru' }))).status).toBe(200)
  })
})
