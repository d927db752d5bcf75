// "Is the tag live?": the widget's config fetches counted per allowed origin and shown by
// GET /v1/admin/sites/:site/tag-status; a foreign origin is never counted, and the table holds
// counts and times only, nothing about the visitor.
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import worker from '../../worker/src/cloudflare/index'
import { ORIGIN, adminRequest, putSite, siteConfig, uniqueSite } from './helpers'

const SECOND_ORIGIN = 'https://www.shop.example'

interface TagStatusBody {
  site: string
  origins: { origin: string; lastLoadedAt: string | null; loadsToday: number }[]
}

/** The widget's config fetch, as a browser on `origin` sends it, with its background work awaited. */
async function loadWidget(site: string, origin: string, path = '/flats?utm_source=yandex'): Promise<number> {
  const request = new Request(`https://worker.test/v1/sites/${site}/config`, {
    headers: { Origin: origin, Referer: `${origin}${path}`, 'User-Agent': 'Mozilla/5.0 (TagStatusTest)', 'CF-Connecting-IP': '203.0.113.77', 'X-Forwarded-For': '203.0.113.77' },
  })
  const ctx = createExecutionContext()
  const response = await worker.fetch(request, env, ctx)
  await waitOnExecutionContext(ctx)
  return response.status
}

async function tagStatus(site: string, token?: string): Promise<TagStatusBody> {
  const response = await adminRequest('GET', `/v1/admin/sites/${site}/tag-status`, undefined, token)
  expect(response.status).toBe(200)
  return (await response.json()) as TagStatusBody
}

describe('the tag status', () => {
  it('lists every allowed origin, never loaded until the widget fetches its config', async () => {
    const site = uniqueSite('tag')
    await putSite(site, siteConfig({ origins: [ORIGIN, SECOND_ORIGIN] }))
    expect(await tagStatus(site)).toEqual({
      site,
      origins: [
        { origin: ORIGIN, lastLoadedAt: null, loadsToday: 0 },
        { origin: SECOND_ORIGIN, lastLoadedAt: null, loadsToday: 0 },
      ],
    })
  })

  it('shows a fetch from an allowed origin, with its time and today’s count', async () => {
    const site = uniqueSite('tag')
    await putSite(site, siteConfig({ origins: [ORIGIN, SECOND_ORIGIN] }))
    const before = Date.now()
    expect(await loadWidget(site, ORIGIN)).toBe(200)
    const { origins } = await tagStatus(site)
    expect(origins[1]).toEqual({ origin: SECOND_ORIGIN, lastLoadedAt: null, loadsToday: 0 })
    expect(origins[0]).toMatchObject({ origin: ORIGIN, loadsToday: 1 })
    expect(Date.parse(origins[0]!.lastLoadedAt!)).toBeGreaterThanOrEqual(before - 1000)
  })

  it('ignores a foreign origin and a fetch with no origin', async () => {
    const site = uniqueSite('tag')
    await putSite(site)
    expect(await loadWidget(site, 'https://evil.example')).toBe(403)
    const plain = await worker.fetch(new Request(`https://worker.test/v1/sites/${site}/config`), env, createExecutionContext())
    expect(plain.status).toBe(200)
    expect((await tagStatus(site)).origins).toEqual([{ origin: ORIGIN, lastLoadedAt: null, loadsToday: 0 }])
    const { results } = await env.DB.prepare('SELECT origin FROM tag_seen WHERE site_id = ?').bind(site).all<{ origin: string }>()
    expect(results).toEqual([])
  })

  it('stores counts and times only: no IP, user agent or page path', async () => {
    const site = uniqueSite('tag')
    await putSite(site)
    expect(await loadWidget(site, ORIGIN, '/secret-page?email=anna@example.ru')).toBe(200)
    const { results: columns } = await env.DB.prepare('SELECT name FROM pragma_table_info(?) ORDER BY cid').bind('tag_seen').all<{ name: string }>()
    expect(columns.map((c) => c.name)).toEqual(['site_id', 'origin', 'day', 'loads', 'last_loaded_at'])
    const { results } = await env.DB.prepare('SELECT * FROM tag_seen WHERE site_id = ?').bind(site).all<Record<string, unknown>>()
    expect(results).toHaveLength(1)
    const stored = JSON.stringify(results)
    for (const personal of ['203.0.113.77', 'TagStatusTest', 'secret-page', 'anna@example.ru']) expect(stored).not.toContain(personal)
    expect(results[0]).toMatchObject({ site_id: site, origin: ORIGIN, loads: 1 })
  })

  it('is readable by the site’s own token, not by another site’s', async () => {
    const site = uniqueSite('tag')
    const other = uniqueSite('tag')
    await putSite(site)
    await putSite(other)
    const minted = await adminRequest('POST', `/v1/admin/sites/${site}/tokens`, { label: 'embed check' })
    const { token } = (await minted.json()) as { token: string }
    expect((await tagStatus(site, token)).origins).toHaveLength(1)
    expect((await adminRequest('GET', `/v1/admin/sites/${other}/tag-status`, undefined, token)).status).toBe(404)
    expect((await adminRequest('GET', `/v1/admin/sites/${uniqueSite('none')}/tag-status`)).status).toBe(404)
  })
})
