// Console sign-in: a token exchanged for an HttpOnly session cookie, the cookie on the admin API
// (scoped like its token, CSRF-checked on every change), expiry, revocation, sign-out and pruning;
// and manager tokens, listed and revoked one by one.
import { createExecutionContext, createScheduledController, waitOnExecutionContext } from 'cloudflare:test'
import { env, exports } from 'cloudflare:workers'
import { beforeAll, describe, expect, it } from 'vitest'
import type { ConsoleSessionBody, SiteTokenSummary } from '../../shared/console-api'
import worker, { app } from '../../worker/src/cloudflare/index'
import { ADMIN_TOKEN, adminRequest, errorCode, fromIp, postLead, putSite, siteConfig, uniqueSite, validLead, clearOfWindowEdge } from './helpers'

const BASE = 'https://console.example'
const routing = {
  managers: [
    { id: 'anna', name: 'Анна Петрова' },
    { id: 'boris', name: 'Борис' },
  ],
  mode: 'first_come' as const,
}

const siteA = uniqueSite('con-a')
const siteB = uniqueSite('con-b')
const leadA = validLead(siteA)
const leadB = validLead(siteB)
let tokenA = ''

async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text))
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('')
}

async function mintToken(site: string, body: Record<string, unknown> = {}): Promise<{ token: string; id: string; managerId: string | null }> {
  const response = await adminRequest('POST', `/v1/admin/sites/${site}/tokens`, body)
  expect(response.status, await response.clone().text()).toBe(201)
  return (await response.json()) as { token: string; id: string; managerId: string | null }
}

function signInRequest(token: unknown, { base = BASE, ip, headers = {} }: { base?: string; ip?: string; headers?: Record<string, string> } = {}): Request {
  const request = new Request(`${base}/v1/console/session`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Origin: base, ...headers },
    body: JSON.stringify({ token }),
  })
  return ip ? fromIp(request, ip) : request
}

interface Session {
  cookie: string
  setCookie: string
  body: ConsoleSessionBody
}

async function signIn(token: string, options: { base?: string; ip?: string } = {}): Promise<Session> {
  const response = await exports.default.fetch(signInRequest(token, options))
  expect(response.status, await response.clone().text()).toBe(200)
  const setCookie = response.headers.get('Set-Cookie') ?? ''
  return { setCookie, cookie: setCookie.split(';')[0]!, body: (await response.json()) as ConsoleSessionBody }
}

interface CookieRequest {
  cookie?: string
  csrf?: string
  origin?: string | null
  fetchSite?: string
  body?: unknown
  contentType?: string
  authorization?: string
}

function cookieRequest(
  method: string,
  path: string,
  { cookie, csrf, origin = BASE, fetchSite, body, contentType = 'application/json', authorization }: CookieRequest = {},
): Request {
  const headers: Record<string, string> = {}
  if (cookie) headers.Cookie = cookie
  if (csrf) headers['X-CSRF-Token'] = csrf
  if (origin !== null) headers.Origin = origin
  if (fetchSite) headers['Sec-Fetch-Site'] = fetchSite
  if (authorization) headers.Authorization = authorization
  if (body !== undefined) headers['Content-Type'] = contentType
  return new Request(`${BASE}${path}`, { method, headers, ...(body !== undefined && { body: typeof body === 'string' ? body : JSON.stringify(body) }) })
}

function send(method: string, path: string, options: CookieRequest = {}): Promise<Response> {
  return exports.default.fetch(cookieRequest(method, path, options))
}

async function sessionRow(cookie: string) {
  const id = cookie.split('=')[1]!
  return env.DB.prepare('SELECT * FROM console_sessions WHERE id_hash = ?')
    .bind(await sha256Hex(id))
    .first<Record<string, string | number | null>>()
}

async function takenBy(leadId: string): Promise<string | null> {
  const row = await env.DB.prepare('SELECT taken_by FROM leads WHERE id = ?').bind(leadId).first<{ taken_by: string | null }>()
  return row!.taken_by
}

beforeAll(async () => {
  await putSite(siteA, siteConfig({ routing }))
  await putSite(siteB, siteConfig({ routing }))
  expect((await postLead(leadA)).status).toBe(201)
  expect((await postLead(leadB)).status).toBe(201)
  tokenA = (await mintToken(siteA, { label: 'console' })).token
  await mintToken(siteB)
})

describe('POST /v1/console/session (sign-in)', () => {
  it('exchanges the operator token for an HttpOnly, SameSite=Strict, Secure cookie of at most 12 h', async () => {
    const before = Date.now()
    const { setCookie, cookie, body } = await signIn(ADMIN_TOKEN)
    const attributes = setCookie.split(';').map((part) => part.trim())
    expect(cookie).toMatch(/^lc_session=[A-Za-z0-9_-]{43}$/)
    expect(attributes).toEqual(expect.arrayContaining(['HttpOnly', 'SameSite=Strict', 'Path=/', 'Max-Age=43200', 'Secure']))
    expect(attributes.some((a) => /^(Domain|Expires)=/i.test(a))).toBe(false)
    expect(body.scope).toEqual({ kind: 'operator' })
    expect(body.csrfToken).toMatch(/^[A-Za-z0-9_-]{43}$/)
    const expiresAt = Date.parse(body.expiresAt)
    expect(expiresAt).toBeGreaterThanOrEqual(before + 12 * 3_600_000)
    expect(expiresAt).toBeLessThanOrEqual(Date.now() + 12 * 3_600_000)
    expect(JSON.stringify(body)).not.toContain(ADMIN_TOKEN)
  })

  it('stores only hashes: neither the session id, the CSRF token nor the token itself', async () => {
    const { cookie, body } = await signIn(ADMIN_TOKEN)
    const row = (await sessionRow(cookie))!
    expect(row).toMatchObject({ kind: 'operator', site_id: null, revoked_at: null })
    const stored = JSON.stringify(row)
    for (const secret of [cookie.split('=')[1]!, body.csrfToken, ADMIN_TOKEN, await sha256Hex(ADMIN_TOKEN)]) expect(stored).not.toContain(secret)
    expect(row.csrf_hash).toBe(await sha256Hex(body.csrfToken))
    expect(Number(row.expires_at) - Number(row.created_at)).toBe(12 * 3_600_000)
  })

  it.each(['http://localhost:8787', 'http://127.0.0.1:8787', 'http://[::1]:8787'])('leaves Secure off on %s only', async (base) => {
    const { setCookie } = await signIn(ADMIN_TOKEN, { base })
    expect(setCookie).toContain('HttpOnly')
    expect(setCookie).toContain('SameSite=Strict')
    expect(setCookie.split(';').map((a) => a.trim())).not.toContain('Secure')
  })

  it('signs a site token in to its site, and a manager token as its manager, by name', async () => {
    expect((await signIn(tokenA)).body.scope).toEqual({ kind: 'site', site: siteA })
    const manager = await mintToken(siteA, { managerId: 'anna' })
    expect((await signIn(manager.token)).body.scope).toEqual({ kind: 'site', site: siteA, managerId: 'anna', managerName: 'Анна Петрова' })
  })

  it('answers a wrong, revoked or made-up token with 401 and no cookie', async () => {
    const revoked = await mintToken(siteB)
    expect((await adminRequest('DELETE', `/v1/admin/sites/${siteB}/tokens/${revoked.id}`)).status).toBe(200)
    const wrong = [
      'wrong',
      `${ADMIN_TOKEN}x`,
      ADMIN_TOKEN.slice(0, -1),
      `lct_${'A'.repeat(43)}`,
      `${tokenA.slice(0, -1)}${tokenA.endsWith('A') ? 'B' : 'A'}`,
      revoked.token,
      `Bearer ${ADMIN_TOKEN}`,
    ]
    for (const token of wrong) {
      const response = await exports.default.fetch(signInRequest(token))
      expect(response.status, token).toBe(401)
      expect(await errorCode(response)).toBe('unauthorized')
      expect(response.headers.get('Set-Cookie')).toBeNull()
    }
  })

  it('never opens with an unset or short ADMIN_TOKEN', async () => {
    const short = await app.request(signInRequest('short'), undefined, { ...env, ADMIN_TOKEN: 'short' })
    expect(short.status).toBe(401)
    // An empty token is not even a sign-in request.
    const empty = await app.request(signInRequest(''), undefined, { ...env, ADMIN_TOKEN: '' })
    expect(empty.status).toBe(400)
    expect(empty.headers.get('Set-Cookie')).toBeNull()
  })

  it('refuses a sign-in from another site’s page (login CSRF) and anything but JSON', async () => {
    const foreign = await exports.default.fetch(signInRequest(ADMIN_TOKEN, { headers: { Origin: 'https://evil.example', 'Sec-Fetch-Site': 'cross-site' } }))
    expect(foreign.status).toBe(403)
    expect(await errorCode(foreign)).toBe('csrf_failed')
    for (const contentType of ['application/x-www-form-urlencoded', 'text/plain', 'multipart/form-data; boundary=x']) {
      const form = new Request(`${BASE}/v1/console/session`, { method: 'POST', headers: { 'Content-Type': contentType, Origin: BASE }, body: `token=${ADMIN_TOKEN}` })
      const response = await exports.default.fetch(form)
      expect(response.status, contentType).toBe(415)
      expect(response.headers.get('Set-Cookie')).toBeNull()
    }
    // curl, a script: no browser, no Origin.
    const scripted = new Request(`${BASE}/v1/console/session`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ token: ADMIN_TOKEN }) })
    expect((await exports.default.fetch(scripted)).status).toBe(200)
  })

  it('does not echo the token when the body is not valid', async () => {
    const response = await exports.default.fetch(signInRequest(123))
    expect(response.status).toBe(400)
    const long = await exports.default.fetch(signInRequest(`${ADMIN_TOKEN}${'z'.repeat(5000)}`))
    expect(long.status).toBe(400)
    expect(await long.text()).not.toContain(ADMIN_TOKEN)
  })

  it('limits sign-in attempts per IP (429 with Retry-After), and not for another IP', async () => {
    const ip = `198.51.100.${Math.floor(Math.random() * 200) + 1}`
    await clearOfWindowEdge()
    for (let i = 0; i < 20; i++) expect((await exports.default.fetch(signInRequest('wrong', { ip }))).status).toBe(401)
    const limited = await exports.default.fetch(signInRequest(ADMIN_TOKEN, { ip }))
    expect(limited.status).toBe(429)
    expect(await errorCode(limited)).toBe('rate_limited')
    expect(Number(limited.headers.get('Retry-After'))).toBeGreaterThan(0)
    expect(limited.headers.get('Set-Cookie')).toBeNull()
    expect((await exports.default.fetch(signInRequest(ADMIN_TOKEN, { ip: '203.0.113.77' }))).status).toBe(200)
    // clearOfWindowEdge may wait up to 5 s first: more than vitest's default timeout.
  }, 15_000)

  it('limits sign-in attempts globally', async () => {
    const windowStart = Math.floor(Date.now() / 600_000) * 600_000
    await env.DB.prepare('INSERT OR REPLACE INTO rate_limits (key, window_start, count) VALUES (?, ?, ?)').bind('console-sign-in', windowStart, 300).run()
    try {
      const limited = await exports.default.fetch(signInRequest(ADMIN_TOKEN, { ip: '203.0.113.78' }))
      expect(limited.status).toBe(429)
      expect(limited.headers.get('Retry-After')).toMatch(/^\d+$/)
    } finally {
      await env.DB.prepare('DELETE FROM rate_limits WHERE key = ?').bind('console-sign-in').run()
    }
  })
})

describe('GET /v1/console/session', () => {
  it('answers with the same scope, CSRF token and expiry, uncached', async () => {
    const { cookie, body } = await signIn(tokenA)
    const response = await send('GET', '/v1/console/session', { cookie, origin: null })
    expect(response.status).toBe(200)
    expect(response.headers.get('Cache-Control')).toBe('no-store')
    expect(await response.json()).toEqual(body)
  })

  it('tells no session (unauthorized) from an expired one (session_expired)', async () => {
    const none = await send('GET', '/v1/console/session', { origin: null })
    expect(none.status).toBe(401)
    expect(await errorCode(none)).toBe('unauthorized')
    const forged = await send('GET', '/v1/console/session', { cookie: `lc_session=${'A'.repeat(43)}`, origin: null })
    expect(await errorCode(forged)).toBe('unauthorized')

    const { cookie } = await signIn(tokenA)
    const id = cookie.split('=')[1]!
    await env.DB.prepare('UPDATE console_sessions SET expires_at = ? WHERE id_hash = ?')
      .bind(Date.now() - 1, await sha256Hex(id))
      .run()
    const expired = await send('GET', '/v1/console/session', { cookie, origin: null })
    expect(expired.status).toBe(401)
    expect(await errorCode(expired)).toBe('session_expired')
    const admin = await send('GET', '/v1/admin/leads', { cookie, origin: null })
    expect(admin.status).toBe(401)
    expect(await errorCode(admin)).toBe('session_expired')
  })
})

describe('the session cookie on the admin API', () => {
  it('reads like its token: site A’s session sees site A, and site B’s lead answers 404', async () => {
    const { cookie } = await signIn(tokenA)
    const list = await send('GET', '/v1/admin/leads', { cookie, origin: null })
    expect(list.status).toBe(200)
    expect(((await list.json()) as { leads: { id: string }[] }).leads.map((l) => l.id)).toEqual([leadA.id])
    expect((await send('GET', `/v1/admin/leads/${leadA.id}`, { cookie, origin: null })).status).toBe(200)
    const other = await send('GET', `/v1/admin/leads/${leadB.id}`, { cookie, origin: null })
    expect(other.status).toBe(404)
    expect(await other.text()).not.toContain(leadB.contact.name!)
    expect((await send('GET', `/v1/admin/leads?site=${siteB}`, { cookie, origin: null })).status).toBe(404)
    expect((await send('PUT', `/v1/admin/sites/${siteA}`, { cookie, csrf: (await signIn(tokenA)).body.csrfToken })).status).toBe(403)
  })

  it('reads every site with the operator’s session', async () => {
    const { cookie } = await signIn(ADMIN_TOKEN)
    expect((await send('GET', `/v1/admin/leads/${leadB.id}`, { cookie, origin: null })).status).toBe(200)
    expect((await send('GET', `/v1/admin/sites/${siteA}`, { cookie, origin: null })).status).toBe(200)
  })

  it('is ignored when an Authorization header comes with it: that token is what counts', async () => {
    const { cookie } = await signIn(ADMIN_TOKEN)
    const response = await send('GET', '/v1/admin/leads', { cookie, origin: null, authorization: 'Bearer wrong' })
    expect(response.status).toBe(401)
    expect(await errorCode(response)).toBe('unauthorized')
  })

  describe('changes (CSRF)', () => {
    const lead = validLead(siteA)
    let session: Session

    beforeAll(async () => {
      expect((await postLead(lead)).status).toBe(201)
      session = await signIn(tokenA)
    })

    it.each<[string, CookieRequest]>([
      ['without X-CSRF-Token', { origin: BASE }],
      ['with a wrong X-CSRF-Token', { origin: BASE, csrf: 'A'.repeat(43) }],
      ['with another origin', { origin: 'https://evil.example', fetchSite: 'cross-site', csrf: '<own>' }],
      ['from a sibling subdomain', { origin: 'https://evil.console.example', fetchSite: 'same-site', csrf: '<own>' }],
      ['with neither Origin nor Sec-Fetch-Site', { origin: null, csrf: '<own>' }],
    ])('refuses a POST %s with 403 csrf_failed and changes nothing', async (_name, options) => {
      const csrf = options.csrf === '<own>' ? session.body.csrfToken : options.csrf
      const response = await send('POST', `/v1/admin/leads/${lead.id}/take`, { ...options, csrf, cookie: session.cookie, body: { managerId: 'anna' } })
      expect(response.status).toBe(403)
      expect(await errorCode(response)).toBe('csrf_failed')
      expect(await takenBy(lead.id)).toBeNull()
    })

    it("refuses another session's CSRF token", async () => {
      const other = await signIn(tokenA)
      const response = await send('POST', `/v1/admin/leads/${lead.id}/take`, { cookie: session.cookie, csrf: other.body.csrfToken, body: { managerId: 'anna' } })
      expect(response.status).toBe(403)
      expect(await takenBy(lead.id)).toBeNull()
    })

    it.each([
      ['application/x-www-form-urlencoded', 'managerId=anna'],
      ['text/plain', '{"managerId":"anna"}'],
      ['multipart/form-data; boundary=x', '--x\r\nContent-Disposition: form-data; name="managerId"\r\n\r\nanna\r\n--x--\r\n'],
    ])('refuses a cross-site form post (%s) that carries the cookie', async (contentType, body) => {
      const response = await send('POST', `/v1/admin/leads/${lead.id}/take`, { cookie: session.cookie, origin: 'https://evil.example', fetchSite: 'cross-site', contentType, body })
      expect(response.status).toBe(403)
      expect(await errorCode(response)).toBe('csrf_failed')
      expect(await takenBy(lead.id)).toBeNull()
    })

    it('refuses a PATCH without the CSRF token, leaving the lead as it was', async () => {
      const before = await (await send('GET', `/v1/admin/leads/${lead.id}`, { cookie: session.cookie, origin: null })).text()
      const response = await send('PATCH', `/v1/admin/leads/${lead.id}`, { cookie: session.cookie, body: { status: 'junk', reason: 'spam' } })
      expect(response.status).toBe(403)
      expect(await errorCode(response)).toBe('csrf_failed')
      expect(await (await send('GET', `/v1/admin/leads/${lead.id}`, { cookie: session.cookie, origin: null })).text()).toBe(before)
    })

    it('works with the CSRF token from the page’s own origin', async () => {
      const response = await send('POST', `/v1/admin/leads/${lead.id}/take`, { cookie: session.cookie, csrf: session.body.csrfToken, body: { managerId: 'anna' } })
      expect(response.status, await response.clone().text()).toBe(200)
      expect(await takenBy(lead.id)).toBe('anna')
    })

    it('takes Sec-Fetch-Site: same-origin for the origin (a TLS proxy in front of the server)', async () => {
      const operator = await signIn(ADMIN_TOKEN)
      const site = uniqueSite('con-put')
      const response = await send('PUT', `/v1/admin/sites/${site}`, {
        cookie: operator.cookie,
        csrf: operator.body.csrfToken,
        origin: 'http://console.example',
        fetchSite: 'same-origin',
        body: siteConfig(),
      })
      expect(response.status, await response.clone().text()).toBe(201)
    })

    it('leaves bearer-token changes as they were: no CSRF token needed', async () => {
      const other = validLead(siteA)
      expect((await postLead(other)).status).toBe(201)
      expect((await adminRequest('POST', `/v1/admin/leads/${other.id}/take`, { managerId: 'boris' }, tokenA)).status).toBe(200)
    })
  })
})

describe('the end of a session', () => {
  it('comes when its site token is revoked, one by id or all, in the same transaction', async () => {
    const one = await mintToken(siteB, { label: 'one' })
    const session = await signIn(one.token)
    expect((await send('GET', '/v1/admin/leads', { cookie: session.cookie, origin: null })).status).toBe(200)
    expect((await adminRequest('DELETE', `/v1/admin/sites/${siteB}/tokens/${one.id}`)).status).toBe(200)
    expect((await sessionRow(session.cookie))!.revoked_at).toEqual(expect.any(Number))
    for (const path of ['/v1/console/session', '/v1/admin/leads']) {
      const response = await send('GET', path, { cookie: session.cookie, origin: null })
      expect(response.status).toBe(401)
      expect(await errorCode(response)).toBe('session_expired')
    }

    const all = await signIn((await mintToken(siteB)).token)
    const kept = await signIn(tokenA)
    expect((await adminRequest('DELETE', `/v1/admin/sites/${siteB}/tokens`)).status).toBe(200)
    expect(await errorCode(await send('GET', '/v1/console/session', { cookie: all.cookie, origin: null }))).toBe('session_expired')
    expect((await send('GET', '/v1/console/session', { cookie: kept.cookie, origin: null })).status).toBe(200)
  })

  it('comes for every operator session when ADMIN_TOKEN changes', async () => {
    const session = await signIn(ADMIN_TOKEN)
    const get = () => cookieRequest('GET', '/v1/console/session', { cookie: session.cookie, origin: null })
    const rotated = { ...env, ADMIN_TOKEN: 'another-admin-token-9876543210' }
    const response = await app.request(get(), undefined, rotated)
    expect(response.status).toBe(401)
    expect(await errorCode(response)).toBe('session_expired')
    expect((await app.request(cookieRequest('GET', '/v1/admin/leads', { cookie: session.cookie, origin: null }), undefined, rotated)).status).toBe(401)
    expect((await app.request(get(), undefined, { ...env, ADMIN_TOKEN: '' })).status).toBe(401)
    // A site session does not depend on ADMIN_TOKEN.
    const site = await signIn(tokenA)
    expect((await app.request(cookieRequest('GET', '/v1/console/session', { cookie: site.cookie, origin: null }), undefined, rotated)).status).toBe(200)
  })

  it('comes with sign-out, which needs the CSRF token and clears the cookie', async () => {
    const session = await signIn(tokenA)
    const refused = await send('DELETE', '/v1/console/session', { cookie: session.cookie })
    expect(refused.status).toBe(403)
    expect(await errorCode(refused)).toBe('csrf_failed')
    expect(
      (await send('DELETE', '/v1/console/session', { cookie: session.cookie, csrf: session.body.csrfToken, origin: 'https://evil.example', fetchSite: 'cross-site' })).status,
    ).toBe(403)
    expect((await send('GET', '/v1/console/session', { cookie: session.cookie, origin: null })).status).toBe(200)

    const signedOut = await send('DELETE', '/v1/console/session', { cookie: session.cookie, csrf: session.body.csrfToken })
    expect(signedOut.status).toBe(204)
    const cleared = (signedOut.headers.get('Set-Cookie') ?? '').split(';').map((a) => a.trim())
    expect(cleared).toEqual(expect.arrayContaining(['lc_session=', 'Max-Age=0', 'HttpOnly', 'SameSite=Strict', 'Path=/', 'Secure']))
    expect(await errorCode(await send('GET', '/v1/console/session', { cookie: session.cookie, origin: null }))).toBe('session_expired')
    expect(await errorCode(await send('GET', '/v1/admin/leads', { cookie: session.cookie, origin: null }))).toBe('session_expired')
    // Without a session there is nothing to end: the cookie is cleared all the same.
    expect((await send('DELETE', '/v1/console/session', {})).status).toBe(204)
  })

  it('is pruned by the sweep once expired; live sessions stay', async () => {
    const expired = await signIn(tokenA)
    const live = await signIn(tokenA)
    const id = expired.cookie.split('=')[1]!
    await env.DB.prepare('UPDATE console_sessions SET expires_at = ? WHERE id_hash = ?')
      .bind(Date.now() - 1, await sha256Hex(id))
      .run()
    const ctx = createExecutionContext()
    await worker.scheduled(createScheduledController(), env, ctx)
    await waitOnExecutionContext(ctx)
    expect(await sessionRow(expired.cookie)).toBeNull()
    expect(await sessionRow(live.cookie)).not.toBeNull()
  })
})

describe('manager tokens', () => {
  it('name a manager of the site routing, or get 400 at managerId', async () => {
    for (const managerId of ['nobody', 42, '']) {
      const response = await adminRequest('POST', `/v1/admin/sites/${siteA}/tokens`, { managerId })
      expect(response.status, String(managerId)).toBe(400)
      expect(((await response.json()) as { error: { issues: { path: string }[] } }).error.issues[0]!.path).toBe('managerId')
    }
    const noRouting = uniqueSite('con-norouting')
    await putSite(noRouting)
    expect((await adminRequest('POST', `/v1/admin/sites/${noRouting}/tokens`, { managerId: 'anna' })).status).toBe(400)
    const minted = await mintToken(siteA, { label: 'Anna’s phone', managerId: 'anna' })
    expect(minted).toMatchObject({ managerId: 'anna', id: expect.stringMatching(/^[0-9a-f]{8}$/) })
    const row = await env.DB.prepare('SELECT manager_id FROM site_tokens WHERE token_hash = ?')
      .bind(await sha256Hex(minted.token))
      .first<{ manager_id: string }>()
    expect(row?.manager_id).toBe('anna')
  })

  it('take leads as their manager, by bearer or by console session; another manager is refused', async () => {
    const { token } = await mintToken(siteA, { managerId: 'boris' })
    const first = validLead(siteA)
    const second = validLead(siteA)
    expect((await postLead(first)).status).toBe(201)
    expect((await postLead(second)).status).toBe(201)

    const impostor = await adminRequest('POST', `/v1/admin/leads/${first.id}/take`, { managerId: 'anna' }, token)
    expect(impostor.status).toBe(403)
    expect(await takenBy(first.id)).toBeNull()
    const taken = await adminRequest('POST', `/v1/admin/leads/${first.id}/take`, {}, token)
    expect(taken.status, await taken.clone().text()).toBe(200)
    expect(await taken.json()).toEqual({ id: first.id, takenBy: 'boris' })

    const session = await signIn(token)
    expect(session.body.scope).toEqual({ kind: 'site', site: siteA, managerId: 'boris', managerName: 'Борис' })
    const bySession = await send('POST', `/v1/admin/leads/${second.id}/take`, { cookie: session.cookie, csrf: session.body.csrfToken, body: {} })
    expect(bySession.status, await bySession.clone().text()).toBe(200)
    expect(await takenBy(second.id)).toBe('boris')

    // A status change with the session is recorded as the manager's, as the take was.
    const changed = await send('PATCH', `/v1/admin/leads/${second.id}`, {
      cookie: session.cookie,
      csrf: session.body.csrfToken,
      body: { status: 'junk', reason: 'wrong_number' },
    })
    expect(changed.status, await changed.clone().text()).toBe(200)
    const { history } = (await changed.json()) as { history: { kind: string; by: { kind: string; id: string | null } }[] }
    expect(history.map((e) => [e.kind, e.by])).toEqual([
      ['take', { kind: 'manager', id: 'boris' }],
      ['status', { kind: 'manager', id: 'boris' }],
    ])
  })

  it('are listed without secrets, for the operator only', async () => {
    const site = uniqueSite('con-list')
    await putSite(site, siteConfig({ routing }))
    const plain = await mintToken(site, { label: 'crm' })
    const manager = await mintToken(site, { managerId: 'anna' })
    const response = await adminRequest('GET', `/v1/admin/sites/${site}/tokens`)
    expect(response.status).toBe(200)
    const text = await response.text()
    const body = JSON.parse(text) as { site: string; tokens: SiteTokenSummary[] }
    expect(body.site).toBe(site)
    expect(body.tokens).toEqual([
      { id: plain.id, label: 'crm', managerId: null, createdAt: expect.any(String) },
      { id: manager.id, label: null, managerId: 'anna', createdAt: expect.any(String) },
    ])
    for (const secret of [plain.token, manager.token, await sha256Hex(plain.token)]) expect(text).not.toContain(secret)
    expect((await adminRequest('GET', `/v1/admin/sites/${site}/tokens`, undefined, plain.token)).status).toBe(403)
  })

  it('are revoked one by one; an unknown id answers 404', async () => {
    const site = uniqueSite('con-revoke')
    await putSite(site, siteConfig({ routing }))
    const gone = await mintToken(site)
    const stays = await mintToken(site)
    const revoked = await adminRequest('DELETE', `/v1/admin/sites/${site}/tokens/${gone.id}`)
    expect(await revoked.json()).toEqual({ site, id: gone.id, revoked: 1 })
    expect((await adminRequest('GET', '/v1/admin/leads', undefined, gone.token)).status).toBe(401)
    expect((await adminRequest('GET', '/v1/admin/leads', undefined, stays.token)).status).toBe(200)
    expect((await adminRequest('DELETE', `/v1/admin/sites/${site}/tokens/${gone.id}`)).status).toBe(404)
    const pasted = await adminRequest('DELETE', `/v1/admin/sites/${site}/tokens/${stays.token}`)
    expect(pasted.status).toBe(404)
    expect(await pasted.text()).not.toContain(stays.token)
    // Another site's token id revokes nothing here.
    expect((await adminRequest('DELETE', `/v1/admin/sites/${siteA}/tokens/${stays.id}`)).status).toBe(404)
    expect((await adminRequest('DELETE', `/v1/admin/sites/${site}/tokens/${stays.id}`, undefined, stays.token)).status).toBe(403)
  })
})
