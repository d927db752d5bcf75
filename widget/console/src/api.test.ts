// The console's HTTP client: cookie credentials, the CSRF token on changes only, errors in one
// shape, and a 401 ends the session everywhere but at sign-in.
import { describe, expect, it, vi } from 'vitest'
import { createApiClient, urlOf } from './api'
import { apiError, fakeFetch, jsonResponse, requests, session } from './testing'

describe('the console API client', () => {
  it('sends the session’s CSRF token with changes, never with reads, and always same-origin credentials', async () => {
    const fetch = fakeFetch({
      'POST /v1/console/session': () => jsonResponse(200, session({ csrfToken: 'csrf-abc' })),
      'GET /v1/admin/leads': () => jsonResponse(200, { leads: [], nextCursor: null }),
      'PATCH /v1/admin/leads/x': () => jsonResponse(200, {}),
    })
    const api = createApiClient({ fetch })
    await api.signIn('lct_secret')
    await api.get('/v1/admin/leads', { site: 'shop' })
    await api.send('PATCH', '/v1/admin/leads/x', { status: 'won' })
    const [signIn, read, change] = requests(fetch)
    expect(signIn?.body).toEqual({ token: 'lct_secret' })
    expect(read?.headers['X-CSRF-Token']).toBeUndefined()
    expect(change?.headers['X-CSRF-Token']).toBe('csrf-abc')
    expect(change?.headers['Content-Type']).toBe('application/json')
    for (const r of requests(fetch)) expect(r.credentials).toBe('same-origin')
    // The token went in the sign-in body only.
    expect(requests(fetch).filter((r) => JSON.stringify(r).includes('lct_secret'))).toHaveLength(1)
  })

  it('reports a 401 on an admin call as the end of the session, with its code', async () => {
    const onSessionEnd = vi.fn()
    const fetch = fakeFetch({ 'GET /v1/admin/leads': () => apiError(401, 'session_expired') })
    const result = await createApiClient({ fetch, onSessionEnd }).get('/v1/admin/leads')
    expect(result).toMatchObject({ ok: false, error: { kind: 'http', status: 401, code: 'session_expired' } })
    expect(onSessionEnd).toHaveBeenCalledWith('session_expired')
  })

  it('reports the end of a session once, and never for a read sent before signing out or before signing in again', async () => {
    const onSessionEnd = vi.fn()
    const pending: Array<() => void> = []
    // Reads answer 401 only when the test lets them: after the sign-out, or after the next sign-in.
    const held = () => new Promise<Response>((resolve) => pending.push(() => resolve(apiError(401, 'unauthorized'))))
    const fetch = fakeFetch({
      'POST /v1/console/session': () => jsonResponse(200, session({ csrfToken: 'csrf-2' })),
      'GET /v1/console/session': () => jsonResponse(200, session({ csrfToken: 'csrf-1' })),
      'GET /v1/admin/leads': held,
      'DELETE /v1/console/session': () => new Response(null, { status: 204 }),
      'PATCH /v1/admin/leads/x': () => jsonResponse(200, {}),
    })
    const api = createApiClient({ fetch, onSessionEnd })
    await api.currentSession()
    const before = api.get('/v1/admin/leads')
    await vi.waitFor(() => expect(pending).toHaveLength(1))
    expect((await api.signOut()).ok).toBe(true)
    pending.shift()?.()
    expect(await before).toMatchObject({ ok: false, error: { status: 401 } })
    expect(onSessionEnd).not.toHaveBeenCalled()

    // Signed in again: a read of the old session answering late does not end the new one …
    const old = api.get('/v1/admin/leads')
    await vi.waitFor(() => expect(pending).toHaveLength(1))
    await api.signIn('lct_new')
    pending.shift()?.()
    await old
    expect(onSessionEnd).not.toHaveBeenCalled()
    await api.send('PATCH', '/v1/admin/leads/x', {})
    expect(requests(fetch).at(-1)?.headers['X-CSRF-Token']).toBe('csrf-2')

    // … and two reads of the new one refused together end it once.
    const both = [api.get('/v1/admin/leads'), api.get('/v1/admin/leads')]
    await vi.waitFor(() => expect(pending).toHaveLength(2))
    for (const answer of pending.splice(0)) answer()
    await Promise.all(both)
    expect(onSessionEnd).toHaveBeenCalledTimes(1)
  })

  it('takes a session check that finds none as the end: a read in flight answering 401 after it is not news', async () => {
    const onSessionEnd = vi.fn()
    let release: () => void = () => {}
    let checks = 0
    const fetch = fakeFetch({
      'GET /v1/console/session': () => (checks++ === 0 ? jsonResponse(200, session({ csrfToken: 'csrf-1' })) : apiError(401, 'session_expired')),
      'GET /v1/admin/leads': () => new Promise<Response>((resolve) => (release = () => resolve(apiError(401, 'session_expired')))),
    })
    const api = createApiClient({ fetch, onSessionEnd })
    await api.currentSession()
    const read = api.get('/v1/admin/leads')
    await vi.waitFor(() => expect(fetch.mock.calls.filter(([url]) => String(url).startsWith('/v1/admin/leads'))).toHaveLength(1))
    // At the session's end time the app asks again: none. It shows "expired" from that answer.
    expect(await api.currentSession()).toMatchObject({ ok: false, error: { status: 401 } })
    release()
    await read
    expect(onSessionEnd).not.toHaveBeenCalled()
  })

  it('keeps the session and its CSRF token when signing out fails', async () => {
    const onSessionEnd = vi.fn()
    const fetch = fakeFetch({
      'GET /v1/console/session': () => jsonResponse(200, session({ csrfToken: 'csrf-1' })),
      'DELETE /v1/console/session': () => apiError(503, 'unavailable'),
      'PATCH /v1/admin/leads/x': () => jsonResponse(200, {}),
      'GET /v1/admin/leads': () => apiError(401, 'session_expired'),
    })
    const api = createApiClient({ fetch, onSessionEnd })
    await api.currentSession()
    expect((await api.signOut()).ok).toBe(false)
    await api.send('PATCH', '/v1/admin/leads/x', {})
    expect(requests(fetch).at(-1)?.headers['X-CSRF-Token']).toBe('csrf-1')
    await api.get('/v1/admin/leads')
    expect(onSessionEnd).toHaveBeenCalledWith('session_expired')
  })

  it('does not call a wrong token at sign-in the end of a session', async () => {
    const onSessionEnd = vi.fn()
    const fetch = fakeFetch({ 'POST /v1/console/session': () => apiError(401, 'unauthorized') })
    const result = await createApiClient({ fetch, onSessionEnd }).signIn('nope')
    expect(result.ok).toBe(false)
    expect(onSessionEnd).not.toHaveBeenCalled()
  })

  it('turns a refused connection into a network failure and Retry-After into seconds', async () => {
    const down = createApiClient({ fetch: vi.fn(async () => Promise.reject(new TypeError('Failed to fetch'))) })
    expect(await down.get('/v1/admin/leads')).toEqual({ ok: false, error: { kind: 'network' } })
    const limited = createApiClient({ fetch: fakeFetch({ 'POST /v1/console/session': () => apiError(429, 'rate_limited', 'slow down', { 'Retry-After': '120' }) }) })
    expect(await limited.signIn('x')).toMatchObject({ ok: false, error: { status: 429, retryAfterSeconds: 120 } })
  })

  it('keeps an answer that is not the API’s error shape readable', async () => {
    const api = createApiClient({ fetch: vi.fn(async () => new Response('<html>Bad gateway</html>', { status: 502, statusText: 'Bad Gateway' })) })
    expect(await api.get('/v1/admin/leads')).toMatchObject({ ok: false, error: { status: 502, code: 'http_502' } })
  })

  it('builds query strings without empty values', () => {
    expect(urlOf('/v1/admin/leads', { site: 'shop', status: undefined, q: '', temperature: 'hot' })).toBe('/v1/admin/leads?site=shop&temperature=hot')
    expect(urlOf('/v1/admin/leads', { q: '+7 (912) 345' })).toBe('/v1/admin/leads?q=%2B7+%28912%29+345')
  })

  it('tells onChanged of each change that succeeded, by path, and of no read or refused change', async () => {
    const onChanged = vi.fn()
    const fetch = fakeFetch({
      'GET /v1/admin/sites/shop': () => jsonResponse(200, { site: 'shop', config: {} }),
      'PATCH /v1/admin/sites/shop': () => jsonResponse(200, { site: 'shop', config: {} }),
      'PUT /v1/admin/sites/shop': () => apiError(400, 'invalid_config'),
      'DELETE /v1/admin/sites/shop/tokens/t1': () => new Response(null, { status: 204 }),
    })
    const api = createApiClient({ fetch, onChanged })
    await api.get('/v1/admin/sites/shop')
    await api.send('PATCH', '/v1/admin/sites/shop', {})
    await api.send('PUT', '/v1/admin/sites/shop', {})
    await api.send('DELETE', '/v1/admin/sites/shop/tokens/t1')
    expect(onChanged.mock.calls).toEqual([['/v1/admin/sites/shop'], ['/v1/admin/sites/shop/tokens/t1']])
  })
})
