// The site's brand in GET /v1/sites/:site/config: defaults, colours made to pass contrast, and
// the admin API's refusal of what the widget could not paint.
import { exports } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { ORIGIN, adminRequest, putSite, siteConfig, uniqueSite } from './helpers'

async function publicBrand(site: string): Promise<unknown> {
  const response = await exports.default.fetch(new Request(`https://worker.test/v1/sites/${site}/config`, { headers: { Origin: ORIGIN } }))
  expect(response.status).toBe(200)
  return ((await response.json()) as { brand: unknown }).brand
}

describe('the brand in the public config', () => {
  it('is the widget’s own look when the site sets none', async () => {
    const site = uniqueSite()
    await putSite(site)
    expect(await publicBrand(site)).toEqual({
      accent: '#0b57d0',
      onAccent: '#ffffff',
      ink: '#0b57d0',
      position: 'right',
      launcherText: null,
      launcherIcon: 'phone',
      radius: 12,
    })
  })

  it('carries the site’s colour, side, launcher and corners', async () => {
    const site = uniqueSite()
    await putSite(site, siteConfig({ brand: { accent: '#00707A', position: 'left', launcher: { text: 'Подобрать тур', icon: 'chat' }, radius: 4 } }))
    expect(await publicBrand(site)).toEqual({
      accent: '#00707a',
      onAccent: '#ffffff',
      ink: '#00707a',
      position: 'left',
      launcherText: 'Подобрать тур',
      launcherIcon: 'chat',
      radius: 4,
    })
  })

  it('gives a light accent dark text and a darker ink instead of refusing it', async () => {
    const site = uniqueSite()
    await putSite(site, siteConfig({ brand: { accent: '#f2b705' } }))
    expect(await publicBrand(site)).toMatchObject({ accent: '#f2b705', onAccent: '#1b1b1f', ink: expect.not.stringMatching(/^#f2b705$/) })
  })

  it.each([
    ['a colour name', { accent: 'teal' }, 'brand.accent'],
    ['CSS smuggled into the colour', { accent: '#00707a;background:url(//x)' }, 'brand.accent'],
    ['a side that is not left or right', { position: 'top' }, 'brand.position'],
    ['an unknown icon', { launcher: { icon: 'star' } }, 'brand.launcher.icon'],
    ['a radius past 24 px', { radius: 40 }, 'brand.radius'],
  ])('refuses %s with 400 at its path', async (_label, brand, path) => {
    const site = uniqueSite()
    const response = await adminRequest('PUT', `/v1/admin/sites/${site}`, siteConfig({ brand } as never))
    expect(response.status).toBe(400)
    const body = (await response.json()) as { error: { code: string; issues: { path: string; message: string }[] } }
    expect(body.error.code).toBe('validation_failed')
    expect(body.error.issues.map((issue) => issue.path)).toContain(path)
  })
})
