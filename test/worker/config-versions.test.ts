// Config versions: every save (PUT, PATCH, restore) is a numbered version with who saved it and
// when; a version reads with its secrets redacted; a diff names what changed and only whether a
// secret did; a restore saves the old config again as a new version, secrets and all, from the
// stored version; site tokens read them but cannot restore; unknown versions answer 404.
import { env, exports } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import type { ConfigDiffBody, ConfigRestoreBody, ConfigVersionBody, ConfigVersionListBody } from '../../shared/config-versions-api'
import { createDeps } from '../../worker/src/cloudflare/deps'
import { CONFIG_VERSIONS_KEPT } from '../../worker/src/storage/sql-config-version-store'
import * as v from 'valibot'
import { SiteConfigSchema } from '../../shared/schemas/site-config'
import { ADMIN_TOKEN, WEBHOOK_SECRET, adminRequest, errorCode, putSite, siteConfig, uniqueSite } from './helpers'

const BASE = 'https://console.example'
const OTHER_SECRET = 'whsec_QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo0NTY3'
const HOOK_URL = 'https://svc:p4ssw0rd@crm.example/hook?api_key=k3y-s3cr3t'
const CAPTCHA_SECRET = '1x0000000000000000000000000000000AA'
const SECRETS = [WEBHOOK_SECRET, OTHER_SECRET, 'p4ssw0rd', 'k3y-s3cr3t', CAPTCHA_SECRET]

function configWithSecrets(secret = WEBHOOK_SECRET) {
  return siteConfig({
    captcha: { provider: 'turnstile', siteKey: '1x00000000000000000000AA', secret: CAPTCHA_SECRET },
    targets: [{ type: 'webhook', id: 'crm', url: HOOK_URL, secret }],
    brand: { accent: '#0b57d0' },
  })
}

/** The answer's text, checked to hold no secret, parsed. */
async function body<T>(response: Response, status = 200): Promise<T> {
  const text = await response.text()
  expect(response.status, text).toBe(status)
  for (const secret of SECRETS) expect(text).not.toContain(secret)
  return JSON.parse(text) as T
}

function patch(site: string, change: unknown, headers: Record<string, string> = { Authorization: `Bearer ${ADMIN_TOKEN}` }): Promise<Response> {
  return exports.default.fetch(
    new Request(`${BASE}/v1/admin/sites/${site}`, {
      method: 'PATCH',
      headers: { 'Content-Type': 'application/merge-patch+json', Origin: BASE, ...headers },
      body: JSON.stringify(change),
    }),
  )
}

async function consoleSession(): Promise<Record<string, string>> {
  const response = await exports.default.fetch(
    new Request(`${BASE}/v1/console/session`, { method: 'POST', headers: { 'Content-Type': 'application/json', Origin: BASE }, body: JSON.stringify({ token: ADMIN_TOKEN }) }),
  )
  expect(response.status).toBe(200)
  const { csrfToken } = (await response.json()) as { csrfToken: string }
  return { Cookie: (response.headers.get('Set-Cookie') ?? '').split(';')[0]!, 'X-CSRF-Token': csrfToken }
}

const list = async (site: string, query = '', token: string = ADMIN_TOKEN) =>
  body<ConfigVersionListBody>(await adminRequest('GET', `/v1/admin/sites/${site}/versions${query}`, undefined, token))
const stored = async (site: string) => (await createDeps(env).sites.getSite(site))!.config

describe('config versions', () => {
  it('keeps each save as a version, newest first, with who saved it and when', async () => {
    const site = uniqueSite('ver')
    const before = Date.now()
    await putSite(site, configWithSecrets())
    expect((await patch(site, { brand: { accent: '#c2410c' } }, await consoleSession())).status).toBe(200)
    const { versions, nextBefore, kept } = await list(site)
    expect(versions.map((x) => [x.version, x.savedBy])).toEqual([
      [2, { kind: 'console_session', name: 'console (operator)' }],
      [1, { kind: 'admin_token', name: 'admin token' }],
    ])
    for (const x of versions) {
      expect(Date.parse(x.savedAt)).toBeGreaterThanOrEqual(before - 1000)
      expect(x.restoredFrom).toBeNull()
    }
    expect(nextBefore).toBeNull()
    expect(kept).toBe(CONFIG_VERSIONS_KEPT)

    const one = await body<ConfigVersionBody>(await adminRequest('GET', `/v1/admin/sites/${site}/versions/1`))
    expect(one.config.brand).toEqual({ accent: '#0b57d0' })
    expect((one.config.targets as { secret: string }[])[0]!.secret).toBe(`whsec_•••${WEBHOOK_SECRET.slice(-4)}`)
  })

  it('pages the list with limit and before', async () => {
    const site = uniqueSite('ver-page')
    await putSite(site)
    for (const accent of ['#111111', '#222222', '#333333']) expect((await patch(site, { brand: { accent } })).status).toBe(200)
    const first = await list(site, '?limit=2')
    expect(first.versions.map((x) => x.version)).toEqual([4, 3])
    expect(first.nextBefore).toBe(3)
    const second = await list(site, `?limit=2&before=${first.nextBefore}`)
    expect(second.versions.map((x) => x.version)).toEqual([2, 1])
    expect(second.nextBefore).toBeNull()
    const bad = await adminRequest('GET', `/v1/admin/sites/${site}/versions?before=x`)
    expect(bad.status).toBe(400)
    expect(await errorCode(bad)).toBe('validation_failed')
  })

  it('restores an old version as a new one: the config equals it, secrets included, though the browser never had them', async () => {
    const site = uniqueSite('ver-restore')
    await putSite(site, configWithSecrets())
    const first = await stored(site)
    // A new webhook secret and colour, then the consent dropped: versions 2 and 3.
    await putSite(site, { ...configWithSecrets(OTHER_SECRET), brand: { accent: '#c2410c' } })
    expect((await patch(site, { consent: null })).status).toBe(200)
    expect((await stored(site)).targets[0]).toMatchObject({ secret: OTHER_SECRET })

    const restored = await body<ConfigRestoreBody>(await adminRequest('POST', `/v1/admin/sites/${site}/versions/1/restore`))
    expect(restored.version).toMatchObject({ version: 4, restoredFrom: 1, savedBy: { kind: 'admin_token' } })
    expect(await stored(site)).toEqual(first)
    // The secret is the stored version's own: a delivery would sign with it.
    expect((await stored(site)).targets[0]).toMatchObject({ secret: WEBHOOK_SECRET, url: HOOK_URL })
    expect((await stored(site)).captcha).toEqual({ provider: 'turnstile', siteKey: '1x00000000000000000000AA', secret: CAPTCHA_SECRET })
    const read = await body<{ config: Record<string, unknown> }>(await adminRequest('GET', `/v1/admin/sites/${site}`))
    expect(restored.config).toEqual(read.config)
    expect(read.config.consent).toEqual(siteConfig().consent)
    expect((await list(site)).versions[0]).toMatchObject({ version: 4, restoredFrom: 1 })
  })

  it('diffs two versions by path, and a secret only as changed or unchanged', async () => {
    const site = uniqueSite('ver-diff')
    await putSite(site, configWithSecrets())
    await putSite(site, { ...configWithSecrets(OTHER_SECRET), brand: { accent: '#c2410c', radius: 4 }, consent: undefined })
    const diff = await body<ConfigDiffBody>(await adminRequest('GET', `/v1/admin/sites/${site}/versions/1/diff/2`))
    expect(diff.changes).toEqual(
      expect.arrayContaining([
        { path: 'brand.accent', kind: 'changed', before: '#0b57d0', after: '#c2410c' },
        { path: 'brand.radius', kind: 'added', after: 4 },
        { path: 'consent.required', kind: 'removed', before: true },
        { path: 'targets.0.secret', kind: 'changed', secret: true },
      ]),
    )
    expect(diff.changes).toHaveLength(5)
    expect(diff.secrets).toEqual([
      { path: 'captcha.secret', changed: false },
      { path: 'targets.0.secret', changed: true },
      { path: 'targets.0.url', changed: false },
    ])
    const none = await body<ConfigDiffBody>(await adminRequest('GET', `/v1/admin/sites/${site}/versions/2/diff/2`))
    expect(none.changes).toEqual([])
  })

  it('answers 404 not_found for a version the site does not have, and 400 for one that is no number', async () => {
    const site = uniqueSite('ver-404')
    await putSite(site)
    for (const [method, path] of [
      ['GET', `/v1/admin/sites/${site}/versions/7`],
      ['POST', `/v1/admin/sites/${site}/versions/7/restore`],
      ['GET', `/v1/admin/sites/${site}/versions/1/diff/7`],
    ] as const) {
      const response = await adminRequest(method, path)
      expect(response.status).toBe(404)
      expect(await errorCode(response)).toBe('not_found')
    }
    const unknownSite = await adminRequest('GET', `/v1/admin/sites/${uniqueSite('none')}/versions`)
    expect(unknownSite.status).toBe(404)
    const notANumber = await adminRequest('GET', `/v1/admin/sites/${site}/versions/0`)
    expect(notANumber.status).toBe(400)
    expect(await errorCode(notANumber)).toBe('validation_failed')
    expect((await list(site)).versions).toHaveLength(1)
  })

  it('lets a site token read its own versions but not restore them, nor see another site', async () => {
    const site = uniqueSite('ver-token')
    const other = uniqueSite('ver-other')
    await putSite(site, configWithSecrets())
    await putSite(other)
    const made = (await (await adminRequest('POST', `/v1/admin/sites/${site}/tokens`, { label: 'agency' })).json()) as { token: string }
    expect((await list(site, '', made.token)).versions).toHaveLength(1)
    await body<ConfigVersionBody>(await adminRequest('GET', `/v1/admin/sites/${site}/versions/1`, undefined, made.token))
    const restore = await adminRequest('POST', `/v1/admin/sites/${site}/versions/1/restore`, undefined, made.token)
    expect(restore.status).toBe(403)
    expect((await adminRequest('GET', `/v1/admin/sites/${other}/versions`, undefined, made.token)).status).toBe(404)
    expect((await adminRequest('GET', `/v1/admin/sites/${site}/versions`, undefined, null)).status).toBe(401)
  })

  it('refuses a restore the checks of today refuse, and keeps the config and the versions as they were', async () => {
    const site = uniqueSite('ver-refuse')
    await putSite(site)
    await putSite(site, siteConfig({ brand: { accent: '#c2410c' } }))
    // Version 1 made unrestorable: its stored config names a country nobody knows.
    await env.DB.prepare("UPDATE config_versions SET config = json_set(config, '$.country', 'QQ') WHERE site_id = ? AND version = 1").bind(site).run()
    const response = await adminRequest('POST', `/v1/admin/sites/${site}/versions/1/restore`)
    expect(response.status).toBe(400)
    expect(await errorCode(response)).toBe('validation_failed')
    expect((await stored(site)).brand).toEqual({ accent: '#c2410c' })
    expect((await list(site)).versions).toHaveLength(2)
  })

  it(`keeps the newest ${CONFIG_VERSIONS_KEPT} versions of a site`, async () => {
    const site = uniqueSite('ver-keep')
    const sites = createDeps(env).sites
    const config = v.parse(SiteConfigSchema, siteConfig())
    for (let i = 0; i < CONFIG_VERSIONS_KEPT + 3; i++) await sites.putSite(site, config, 1_000 + i)
    const page = await list(site, '?limit=200')
    expect(page.versions).toHaveLength(CONFIG_VERSIONS_KEPT)
    expect(page.versions[0]!.version).toBe(CONFIG_VERSIONS_KEPT + 3)
    expect(page.versions.at(-1)!.version).toBe(4)
    expect(page.versions[0]!.savedBy).toEqual({ kind: 'system', name: 'system' })
  })
})
