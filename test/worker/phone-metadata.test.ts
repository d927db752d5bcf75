// GET /v1/sites/:site/phone-metadata: the phone metadata of the site's countries only, built from
// the full set the worker validates with, for the widget's phone field (which ships none).
import { exports } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { parsePhoneMetadata } from '../../shared/phone-metadata'
import { ORIGIN, errorCode, putSite, siteConfig, uniqueSite } from './helpers'

function metadataRequest(site: string, init: RequestInit = { headers: { Origin: ORIGIN } }): Promise<Response> {
  return exports.default.fetch(new Request(`https://worker.test/v1/sites/${site}/phone-metadata`, init))
}

describe('the phone metadata of a site', () => {
  it('holds the site’s country and its likely countries, in that order, and nothing else', async () => {
    const site = uniqueSite()
    await putSite(site, siteConfig({ country: 'RU', countries: ['KZ', 'GB'] }))
    const response = await metadataRequest(site)
    expect(response.status).toBe(200)
    const metadata = parsePhoneMetadata(await response.json())
    expect(metadata && Object.keys(metadata)).toEqual(['RU', 'KZ', 'GB'])
    expect(metadata?.RU).toMatchObject({ callingCode: '7', nationalPrefix: '8', lengths: [10, 14] })
    // The Russian mobile layout, with the 8 (…) rule for a typed trunk prefix.
    expect(metadata?.RU?.formats).toContainEqual(expect.objectContaining({ pattern: '(\\d{3})(\\d{3})(\\d{2})(\\d{2})', format: '$1 $2-$3-$4', prefixRule: '8 ($1)' }))
    // KZ shares +7: its leading digits tell it apart, and it writes numbers with Russia's formats.
    expect(metadata?.KZ).toMatchObject({ callingCode: '7', leading: '7' })
    expect(metadata?.KZ?.formats).toEqual(metadata?.RU?.formats)
    expect(metadata?.GB).toMatchObject({ callingCode: '44', nationalPrefix: '0' })
  })

  it('follows a change of the site’s countries', async () => {
    const site = uniqueSite()
    await putSite(site, siteConfig({ country: 'DE' }))
    expect(Object.keys(parsePhoneMetadata(await (await metadataRequest(site)).json()) ?? {})).toEqual(['DE'])
    await putSite(site, siteConfig({ country: 'DE', countries: ['AT'] }))
    expect(Object.keys(parsePhoneMetadata(await (await metadataRequest(site)).json()) ?? {})).toEqual(['DE', 'AT'])
  })

  it('is cacheable, and readable by the site’s pages like its config', async () => {
    const site = uniqueSite()
    await putSite(site)
    const response = await metadataRequest(site)
    expect(response.headers.get('Cache-Control')).toBe('public, max-age=300')
    expect(response.headers.get('Content-Type')).toMatch(/^application\/json/)
    expect(response.headers.get('Access-Control-Allow-Origin')).toBe(ORIGIN)
    // A site of one country gets a small answer: the full set stays on the server.
    expect((await response.text()).length).toBeLessThan(2000)
  })

  it('refuses an unknown site and another origin, like the config', async () => {
    const site = uniqueSite()
    await putSite(site)
    const unknown = await metadataRequest(uniqueSite('missing'))
    expect(unknown.status).toBe(403)
    expect(await errorCode(unknown)).toBe('unknown_site')
    const foreign = await metadataRequest(site, { headers: { Origin: 'https://evil.example' } })
    expect(foreign.status).toBe(403)
    expect(await errorCode(foreign)).toBe('origin_not_allowed')
    const post = await metadataRequest(site, { method: 'POST', headers: { Origin: ORIGIN } })
    expect(post.status).toBe(405)
  })
})
