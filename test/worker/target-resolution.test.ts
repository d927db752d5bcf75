// The DNS check of target hosts at config save fails closed: when the look-up fails the config is
// refused with 503 target_unresolved and nothing is saved; ALLOW_PRIVATE_TARGETS=true (a local
// trial) skips the check. DNS over HTTPS is the Worker's resolver; the Node runtime's node:dns one
// answers null on failure the same way (worker/src/node/resolve-host.test.ts).
import { env } from 'cloudflare:workers'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { app } from '../../worker/src/cloudflare/index'
import { WEBHOOK_TARGET, adminRequest, siteConfig, uniqueSite } from './helpers'

afterEach(() => {
  vi.restoreAllMocks()
})

function put(site: string, vars: Record<string, string>) {
  return app.request(
    `/v1/admin/sites/${site}`,
    {
      method: 'PUT',
      headers: { Authorization: `Bearer ${env.ADMIN_TOKEN}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(siteConfig({ targets: [{ ...WEBHOOK_TARGET, url: 'https://hooks.example/lead' }] })),
    },
    { ...env, RESOLVE_TARGET_HOSTS: 'true', ...vars },
  )
}

describe.skipIf(env.TEST_RUNTIME === 'node')('target host resolution at save', () => {
  it.each([
    ['the resolver is unreachable', async () => Promise.reject(new TypeError('network connection lost'))],
    ['the resolver answers 502', async () => new Response('bad gateway', { status: 502 })],
    ['the name server fails (SERVFAIL)', async () => Response.json({ Status: 2, Answer: [] })],
  ])('refuses the config when %s, saving nothing', async (_, answer) => {
    vi.spyOn(console, 'error').mockImplementation(() => {})
    vi.spyOn(globalThis, 'fetch').mockImplementation(answer)
    const site = uniqueSite('dns')
    const response = await put(site, { ALLOW_PRIVATE_TARGETS: 'false' })
    expect(response.status).toBe(503)
    expect(response.headers.get('Retry-After')).toBe('30')
    const body = (await response.json()) as { error: { code: string; issues: { path: string }[] } }
    expect(body.error.code).toBe('target_unresolved')
    expect(body.error.issues).toEqual([{ path: 'targets.0.url', code: 'unresolved', message: 'its host could not be looked up in DNS' }])
    vi.restoreAllMocks()
    expect((await adminRequest('GET', `/v1/admin/sites/${site}`)).status).toBe(404)
  })

  it('accepts a name that resolves to public addresses, and skips the look-up for a local trial', async () => {
    const spy = vi.spyOn(globalThis, 'fetch').mockImplementation(async (input) => {
      const type = new URL(String(input instanceof Request ? input.url : input)).searchParams.get('type')
      return Response.json({ Status: 0, Answer: type === 'A' ? [{ type: 1, data: '93.184.216.34' }] : [] })
    })
    expect((await put(uniqueSite('dns-ok'), { ALLOW_PRIVATE_TARGETS: 'false' })).status).toBe(201)
    spy.mockImplementation(async () => Promise.reject(new TypeError('offline')))
    spy.mockClear()
    expect((await put(uniqueSite('dns-trial'), { ALLOW_PRIVATE_TARGETS: 'true' })).status).toBe(201)
    expect(spy).not.toHaveBeenCalled()
  })
})
