// The site's likely countries (`countries`) in GET /v1/sites/:site/config, for the widget's phone
// picker, and the admin API's refusal of codes the phone metadata does not know.
import { exports } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { ORIGIN, adminRequest, putSite, siteConfig, uniqueSite } from './helpers'

async function publicConfig(site: string): Promise<Record<string, unknown>> {
  const response = await exports.default.fetch(new Request(`https://worker.test/v1/sites/${site}/config`, { headers: { Origin: ORIGIN } }))
  expect(response.status).toBe(200)
  return (await response.json()) as Record<string, unknown>
}

describe('the likely countries in the public config', () => {
  it('carries them in the site’s order after its country', async () => {
    const site = uniqueSite()
    await putSite(site, siteConfig({ country: 'RU', countries: ['KZ', 'BY', 'UZ'] }))
    expect(await publicConfig(site)).toMatchObject({ country: 'RU', countries: ['KZ', 'BY', 'UZ'] })
  })

  it('leaves them out for a site that names none', async () => {
    const site = uniqueSite()
    await putSite(site)
    expect(await publicConfig(site)).not.toHaveProperty('countries')
  })

  it.each([
    ['a lowercase code', ['kz'], 'countries.0'],
    ['a code no phone plan has', ['KZ', 'QQ'], 'countries.1'],
    ['more than 20 of them', Array.from({ length: 21 }, () => 'KZ'), 'countries'],
  ])('refuses %s with 400 at its path', async (_label, countries, path) => {
    const site = uniqueSite()
    const response = await adminRequest('PUT', `/v1/admin/sites/${site}`, siteConfig({ countries }))
    expect(response.status).toBe(400)
    const body = (await response.json()) as { error: { code: string; issues: { path: string }[] } }
    expect(body.error.code).toBe('validation_failed')
    expect(body.error.issues.map((issue) => issue.path)).toContain(path)
  })
})
