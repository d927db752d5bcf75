// Admin API: token checks, site create/replace/read, secrets never readable, SSRF refusal.
import { env, exports } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { app } from '../../worker/src/cloudflare/index'
import { ORIGIN, WEBHOOK_SECRET, WEBHOOK_TARGET, adminRequest, errorCode, postLead, putSite, siteConfig, uniqueSite, validLead } from './helpers'

describe('admin auth', () => {
  const routes: [string, string][] = [
    ['GET', '/v1/admin/sites/demo'],
    ['PUT', '/v1/admin/sites/demo'],
    ['GET', '/v1/admin/leads'],
    ['GET', '/v1/admin/leads?format=csv'],
    ['GET', `/v1/admin/leads/${crypto.randomUUID()}`],
    ['POST', `/v1/admin/leads/${crypto.randomUUID()}/take`],
    ['GET', '/v1/admin/stats?site=demo'],
    ['POST', '/v1/admin/erasure'],
    ['POST', `/v1/admin/deliveries/msg_${'0'.repeat(32)}/replay`],
    ['POST', '/v1/admin/sites/demo/replay-failed'],
    ['GET', '/v1/admin/anything-else'],
  ]

  it.each(routes)('%s %s rejects a missing token with 401', async (method, path) => {
    const response = await adminRequest(method, path, method === 'PUT' ? siteConfig() : undefined, null)
    expect(response.status).toBe(401)
    expect(await response.clone().text()).not.toMatch(/phone|whsec_|origins/)
    expect(await errorCode(response)).toBe('unauthorized')
    expect(response.headers.get('WWW-Authenticate')).toMatch(/^Bearer/)
  })

  it.each(routes)('%s %s rejects a wrong token with 401', async (method, path) => {
    for (const token of ['wrong', `${env.ADMIN_TOKEN}x`, env.ADMIN_TOKEN.slice(0, -1), '']) {
      const response = await adminRequest(method, path, method === 'PUT' ? siteConfig() : undefined, token)
      expect(response.status).toBe(401)
    }
  })

  it('never opens the admin API when ADMIN_TOKEN is unset or too short', async () => {
    for (const ADMIN_TOKEN of ['', 'short']) {
      const response = await app.request('/v1/admin/leads', { headers: { Authorization: `Bearer ${ADMIN_TOKEN}` } }, { ...env, ADMIN_TOKEN })
      expect(response.status).toBe(401)
    }
  })
})

describe('PUT /v1/admin/sites/:site', () => {
  it('creates with 201, replaces with 200, and reads back with secrets redacted', async () => {
    const site = uniqueSite()
    const config = siteConfig({ targets: [WEBHOOK_TARGET] })
    const created = await adminRequest('PUT', `/v1/admin/sites/${site}`, config)
    expect(created.status).toBe(201)
    const replaced = await adminRequest('PUT', `/v1/admin/sites/${site}`, { ...config, locale: 'en' })
    expect(replaced.status).toBe(200)
    const read = await adminRequest('GET', `/v1/admin/sites/${site}`)
    expect(read.status).toBe(200)
    const body = (await read.json()) as { site: string; config: { locale: string; targets: { url: string; secret: string }[] } }
    expect(body.site).toBe(site)
    expect(body.config.locale).toBe('en')
    expect(body.config.targets[0]?.url).toBe(WEBHOOK_TARGET.url)
    expect(body.config.targets[0]?.secret).toBe(`whsec_•••${WEBHOOK_SECRET.slice(-4)}`)
    expect(JSON.stringify(body)).not.toContain(WEBHOOK_SECRET)
  })

  it('applies defaults for omitted optional fields', async () => {
    const site = uniqueSite()
    await putSite(site, { origins: [ORIGIN] })
    const body = (await (await adminRequest('GET', `/v1/admin/sites/${site}`)).json()) as { config: Record<string, unknown> }
    expect(body.config).toMatchObject({ origins: [ORIGIN], country: 'RU', locale: 'ru', targets: [] })
  })

  it.each([
    ['an unknown field', { ...siteConfig(), colour: 'red' }, 'colour'],
    ['an origin with a path', siteConfig({ origins: ['https://shop.example/'] }), 'origins.0'],
    ['a bad locale', { ...siteConfig(), locale: 'de' }, 'locale'],
    ['a lowercase country', { ...siteConfig(), country: 'ru' }, 'country'],
    ['an unknown country', { ...siteConfig(), country: 'QQ' }, 'country'],
    ['an unknown target type', siteConfig({ targets: [{ type: 'fax', url: 'https://x.example' } as never] }), 'targets.0.type'],
    ['a short webhook secret', siteConfig({ targets: [{ ...WEBHOOK_TARGET, secret: 'whsec_c2hvcnQ=' }] }), 'targets.0.secret'],
    ['an unknown target field', siteConfig({ targets: [{ ...WEBHOOK_TARGET, token: 'x' } as never] }), 'targets.0.token'],
    ['a loopback target', siteConfig({ targets: [{ ...WEBHOOK_TARGET, url: 'http://127.0.0.1:8790/hook' }] }), 'targets.0.url'],
    ['a metadata-address target', siteConfig({ targets: [{ ...WEBHOOK_TARGET, url: 'http://169.254.169.254/latest' }] }), 'targets.0.url'],
    ['a private-network target', siteConfig({ targets: [{ ...WEBHOOK_TARGET, url: 'https://10.1.2.3/hook' }] }), 'targets.0.url'],
  ])('refuses %s with 400 naming the path', async (_label, config, path) => {
    const site = uniqueSite()
    const response = await adminRequest('PUT', `/v1/admin/sites/${site}`, config)
    expect(response.status).toBe(400)
    const body = (await response.json()) as { error: { code: string; issues: { path: string }[] } }
    expect(body.error.code).toBe('validation_failed')
    expect(body.error.issues.map((i) => i.path)).toContain(path)
    expect((await adminRequest('GET', `/v1/admin/sites/${site}`)).status).toBe(404)
  })

  it('allows private targets when ALLOW_PRIVATE_TARGETS=true (local development)', async () => {
    const site = uniqueSite()
    const config = siteConfig({ targets: [{ ...WEBHOOK_TARGET, url: 'http://127.0.0.1:8790/hook' }] })
    const request = () =>
      new Request(`https://worker.test/v1/admin/sites/${site}`, {
        method: 'PUT',
        headers: { Authorization: `Bearer ${env.ADMIN_TOKEN}`, 'Content-Type': 'application/json' },
        body: JSON.stringify(config),
      })
    expect((await app.request(request(), undefined, { ...env, ALLOW_PRIVATE_TARGETS: 'false' })).status).toBe(400)
    expect((await app.request(request(), undefined, { ...env, ALLOW_PRIVATE_TARGETS: 'true' })).status).toBe(201)
  })

  it('accepts Cloudflare Email auto-replies on Workers and refuses them at save on Node, saying why', async () => {
    const site = uniqueSite('cfmail')
    const target = {
      type: 'autoreply-email',
      provider: { name: 'cloudflare' },
      from: 'hello@shop.example',
      company: 'Кухни Уют',
      defaultLocale: 'ru',
      templates: { ru: { subject: 'Заявка', text: 'Спасибо!' } },
    }
    const response = await adminRequest('PUT', `/v1/admin/sites/${site}`, siteConfig({ targets: [target] as never }))
    if (env.TEST_RUNTIME === 'workerd') {
      expect(response.status).toBe(201)
      return
    }
    expect(response.status).toBe(400)
    const body = (await response.json()) as { error: { code: string; issues: { path: string; message: string }[] } }
    expect(body.error.code).toBe('validation_failed')
    expect(body.error.issues).toContainEqual({
      path: 'targets.0.provider',
      code: 'unavailable',
      message: expect.stringMatching(/not available on this runtime \(node\).*unisender/),
    })
    expect((await adminRequest('GET', `/v1/admin/sites/${site}`)).status).toBe(404)
  })

  it('leaves the stored config unchanged when a replacement is refused', async () => {
    const site = uniqueSite()
    await putSite(site)
    const refused = await adminRequest('PUT', `/v1/admin/sites/${site}`, { ...siteConfig(), locale: 'xx' })
    expect(refused.status).toBe(400)
    const body = (await (await adminRequest('GET', `/v1/admin/sites/${site}`)).json()) as { config: { locale: string } }
    expect(body.config.locale).toBe('ru')
  })

  it('rejects an invalid site key, invalid JSON and non-JSON bodies', async () => {
    expect((await adminRequest('PUT', '/v1/admin/sites/Bad%20Key', siteConfig())).status).toBe(400)
    const raw = (body: string, type: string) =>
      exports.default.fetch(
        new Request(`https://worker.test/v1/admin/sites/${uniqueSite()}`, {
          method: 'PUT',
          headers: { Authorization: `Bearer ${env.ADMIN_TOKEN}`, 'Content-Type': type },
          body,
        }),
      )
    const invalid = await raw('{', 'application/json')
    expect(invalid.status).toBe(400)
    expect(await errorCode(invalid)).toBe('invalid_json')
    expect((await raw('origins=x', 'application/x-www-form-urlencoded')).status).toBe(415)
  })

  it('answers 404 for a site that does not exist and 405 for other methods', async () => {
    expect((await adminRequest('GET', `/v1/admin/sites/${uniqueSite()}`)).status).toBe(404)
    const post = await adminRequest('POST', `/v1/admin/sites/${uniqueSite()}`, siteConfig())
    expect(post.status).toBe(405)
  })
})

describe('GET /v1/sites/:site/config', () => {
  it('returns only what the widget needs: no target URLs, no secrets, no origins', async () => {
    const site = uniqueSite()
    await putSite(site, siteConfig({ targets: [WEBHOOK_TARGET] }))
    const response = await exports.default.fetch(new Request(`https://worker.test/v1/sites/${site}/config`, { headers: { Origin: ORIGIN } }))
    expect(response.status).toBe(200)
    expect(response.headers.get('Access-Control-Allow-Origin')).toBe(ORIGIN)
    const body = await response.json()
    expect(body).toEqual({
      site,
      locale: 'ru',
      country: 'RU',
      consent: { required: true, text: 'Я согласен на обработку персональных данных.' },
      captcha: null,
      turnstileSiteKey: null,
      hours: null,
      exitIntent: null,
      chatInvite: null,
      analytics: null,
      brand: { accent: '#0b57d0', onAccent: '#ffffff', ink: '#0b57d0', position: 'right', launcherText: null, launcherIcon: 'phone', radius: 12 },
      chat: null,
    })
    expect(JSON.stringify(body)).not.toContain('crm.example')
  })

  it('refuses unknown sites and origins outside the allowlist', async () => {
    const site = uniqueSite()
    await putSite(site)
    const unknown = await exports.default.fetch(new Request(`https://worker.test/v1/sites/${uniqueSite()}/config`))
    expect(unknown.status).toBe(403)
    expect(await errorCode(unknown)).toBe('unknown_site')
    const foreign = await exports.default.fetch(new Request(`https://worker.test/v1/sites/${site}/config`, { headers: { Origin: 'https://evil.example' } }))
    expect(foreign.status).toBe(403)
    expect(await errorCode(foreign)).toBe('origin_not_allowed')
  })
})

describe('GET /v1/admin/leads', () => {
  it('lists a site’s leads newest first with their deliveries, page by page', async () => {
    const site = uniqueSite()
    await putSite(site)
    const ids: string[] = []
    for (let i = 0; i < 3; i++) {
      const lead = validLead(site, { contact: { phone: `8 912 345-67-8${i}` } })
      ids.push(lead.id)
      expect((await postLead(lead)).status).toBe(201)
    }
    const first = (await (await adminRequest('GET', `/v1/admin/leads?site=${site}&limit=2`)).json()) as {
      leads: { id: string; contact: { phone: string } }[]
      nextCursor: string | null
    }
    expect(first.leads).toHaveLength(2)
    expect(first.leads[0]?.contact.phone).toMatch(/^\+791234567\d\d$/)
    expect(first.nextCursor).not.toBeNull()
    const second = (await (await adminRequest('GET', `/v1/admin/leads?site=${site}&limit=2&cursor=${first.nextCursor}`)).json()) as {
      leads: { id: string }[]
      nextCursor: string | null
    }
    expect(second.leads).toHaveLength(1)
    expect(second.nextCursor).toBeNull()
    expect(new Set([...first.leads, ...second.leads].map((l) => l.id))).toEqual(new Set(ids))
  })

  it('rejects bad query parameters with 400', async () => {
    for (const query of ['limit=0', 'limit=abc', 'limit=500', 'cursor=%%%', 'site=Bad!']) {
      const response = await adminRequest('GET', `/v1/admin/leads?${query}`)
      expect(response.status, query).toBe(400)
      expect(await errorCode(response)).toBe('validation_failed')
    }
  })

  it('answers 404 for an unknown lead id', async () => {
    expect((await adminRequest('GET', `/v1/admin/leads/${crypto.randomUUID()}`)).status).toBe(404)
  })
})

// DNS over HTTPS is the Worker's resolver; the Node runtime's node:dns one is tested in worker/src/node and test/node.
describe.skipIf(env.TEST_RUNTIME === 'node')('target host resolution', () => {
  it('refuses a public-looking name that resolves to a private address, and allows a public one', async () => {
    const { vi } = await import('vitest')
    const answers: Record<string, string> = { 'rebind.example': '127.0.0.1', 'crm.example': '93.184.216.34' }
    const spy = vi.spyOn(globalThis, 'fetch').mockImplementation(async (input) => {
      const url = new URL(String(input instanceof Request ? input.url : input))
      const name = url.searchParams.get('name') ?? ''
      const type = url.searchParams.get('type')
      return Response.json({ Answer: type === 'A' && answers[name] ? [{ type: 1, data: answers[name] }] : [] })
    })
    const put = (url: string) =>
      app.request(
        `/v1/admin/sites/${uniqueSite()}`,
        {
          method: 'PUT',
          headers: { Authorization: `Bearer ${env.ADMIN_TOKEN}`, 'Content-Type': 'application/json' },
          body: JSON.stringify(siteConfig({ targets: [{ ...WEBHOOK_TARGET, url }] })),
        },
        { ...env, RESOLVE_TARGET_HOSTS: 'true' },
      )
    const refused = await put('https://rebind.example/hook')
    expect(refused.status).toBe(400)
    const body = (await refused.json()) as { error: { issues: { path: string; message: string }[] } }
    expect(body.error.issues).toContainEqual({ path: 'targets.0.url', code: 'private_address', message: 'resolves to a private address (127.0.0.1)' })
    expect((await put('https://crm.example/hook')).status).toBe(201)
    expect(spy.mock.calls.some(([input]) => String(input).startsWith('https://cloudflare-dns.com/dns-query?name=rebind.example'))).toBe(true)
    spy.mockRestore()
  })
})

describe('GET /v1/admin/sites', () => {
  it('lists every site for the operator and only its own for a site token', async () => {
    const a = uniqueSite('list-a')
    const b = uniqueSite('list-b')
    await putSite(a)
    await putSite(b)
    const all = (await (await adminRequest('GET', '/v1/admin/sites')).json()) as { sites: { site: string; origins: string[] }[] }
    expect(all.sites.map((s) => s.site)).toEqual(expect.arrayContaining([a, b]))
    expect(all.sites.find((s) => s.site === a)?.origins).toEqual([ORIGIN])
    const made = (await (await adminRequest('POST', `/v1/admin/sites/${a}/tokens`, {})).json()) as { token: string }
    const mine = (await (await adminRequest('GET', '/v1/admin/sites', undefined, made.token)).json()) as { sites: { site: string }[] }
    expect(mine.sites.map((s) => s.site)).toEqual([a])
    expect((await adminRequest('GET', '/v1/admin/sites', undefined, null)).status).toBe(401)
  })
})
