// The app around the pages: who is signed in at load, back to sign-in with a message whenever the
// session ends (never a blank page), and sign-out with the CSRF token.
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { App } from './app'
import { forgetSites } from './site'
import { apiError, fakeFetch, jsonResponse, leadView, requests, session } from './testing'

beforeEach(() => {
  history.replaceState(null, '', '/console/')
  localStorage.clear()
  // The managers of a site are kept for the page's life: each test is a new page load.
  forgetSites()
})
afterEach(cleanup)

const FAST = { baseMs: 20, maxMs: 50 }

describe('the console app', () => {
  it('goes to sign-in with “Your session expired” when the session GET says so', async () => {
    const fetch = fakeFetch({ 'GET /v1/console/session': () => apiError(401, 'session_expired') })
    render(<App fetch={fetch} />)
    expect((await screen.findByRole('status')).textContent).toBe('Your session expired, sign in again.')
    expect(screen.getByLabelText('Access token')).toBeTruthy()
  })

  it('goes back to sign-in with the message when a request of the inbox finds the session expired', async () => {
    let leadsCalls = 0
    const fetch = fakeFetch({
      'GET /v1/console/session': () => jsonResponse(200, session()),
      'GET /v1/admin/sites/shop': () => jsonResponse(200, { site: 'shop', config: {} }),
      'GET /v1/admin/leads': () =>
        ++leadsCalls === 1 ? jsonResponse(200, { leads: [leadView({ contact: { name: 'Анна' } })], nextCursor: null }) : apiError(401, 'session_expired'),
    })
    render(<App fetch={fetch} poll={FAST} />)
    expect(await screen.findByText('Анна')).toBeTruthy()
    expect(localStorage.getItem('leadcatcher.console.signedInUntil')).not.toBeNull()
    // The next poll meets the expired session.
    expect((await screen.findByText('Your session expired, sign in again.')).getAttribute('role')).toBe('status')
    expect(screen.queryByText('Анна')).toBeNull()
    expect(screen.getByLabelText('Access token')).toBeTruthy()
  })

  it('says the session expired when the browser has dropped the cookie by itself (a plain 401)', async () => {
    localStorage.setItem('leadcatcher.console.signedInUntil', new Date(Date.now() - 60_000).toISOString())
    const fetch = fakeFetch({ 'GET /v1/console/session': () => apiError(401, 'unauthorized', 'Not signed in.') })
    render(<App fetch={fetch} />)
    expect((await screen.findByRole('status')).textContent).toBe('Your session expired, sign in again.')
    expect(localStorage.getItem('leadcatcher.console.signedInUntil')).toBeNull()
  })

  it('shows no message on a first visit, which has nothing remembered', async () => {
    render(<App fetch={fakeFetch({ 'GET /v1/console/session': () => apiError(401, 'unauthorized') })} />)
    expect(await screen.findByLabelText('Access token')).toBeTruthy()
    expect(screen.queryByRole('status')).toBeNull()
  })

  it('remembers the session’s end time only, never the token or the CSRF token, and an idle tab says it expired', async () => {
    // The session ends now: the console asks again a second later, when the cookie is gone.
    const body = session({ csrfToken: 'csrf-secret', expiresAt: new Date(Date.now() + 50).toISOString() })
    let signedIn = false
    const fetch = fakeFetch({
      'GET /v1/console/session': () => (signedIn ? jsonResponse(200, body) : apiError(401, 'unauthorized')),
      'POST /v1/console/session': () => {
        signedIn = true
        return jsonResponse(200, body)
      },
      'GET /v1/admin/sites/shop': () => jsonResponse(200, { site: 'shop', config: {} }),
      'GET /v1/admin/leads': () => jsonResponse(200, { leads: [], nextCursor: null }),
    })
    render(<App fetch={fetch} />)
    fireEvent.input(await screen.findByLabelText('Access token'), { target: { value: 'lct_secret_token' } })
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }))
    await screen.findByRole('button', { name: 'Sign out' })
    expect({ ...localStorage }).toEqual({ 'leadcatcher.console.signedInUntil': body.expiresAt })
    signedIn = false
    expect((await screen.findByText('Your session expired, sign in again.', {}, { timeout: 3000 })).getAttribute('role')).toBe('status')
    expect(screen.getByLabelText('Access token')).toBeTruthy()
  })

  it('shows the reason and a retry when the server cannot be reached at load', async () => {
    let up = false
    const fetch = fakeFetch({
      'GET /v1/console/session': () => (up ? apiError(401, 'unauthorized') : Promise.reject(new TypeError('Failed to fetch'))),
    })
    render(<App fetch={fetch} />)
    expect((await screen.findByRole('alert')).textContent).toContain('No connection to the server.')
    up = true
    fireEvent.click(screen.getByRole('button', { name: 'Try again' }))
    expect(await screen.findByLabelText('Access token')).toBeTruthy()
  })

  it('signs out with the session’s CSRF token and says so', async () => {
    const fetch = fakeFetch({
      'GET /v1/console/session': () => jsonResponse(200, session({ csrfToken: 'csrf-out' })),
      'GET /v1/admin/sites/shop': () => jsonResponse(200, { site: 'shop', config: {} }),
      'GET /v1/admin/leads': () => jsonResponse(200, { leads: [], nextCursor: null }),
      'DELETE /v1/console/session': () => new Response(null, { status: 204 }),
    })
    render(<App fetch={fetch} />)
    fireEvent.click(await screen.findByRole('button', { name: 'Sign out' }))
    expect((await screen.findByText('You have signed out.')).getAttribute('role')).toBe('status')
    expect(screen.getByLabelText('Access token')).toBeTruthy()
    const signOut = requests(fetch).find((r) => r.method === 'DELETE')
    expect(signOut?.headers['X-CSRF-Token']).toBe('csrf-out')
    // Signed out on purpose: the next visit is not an expired session.
    expect(localStorage.getItem('leadcatcher.console.signedInUntil')).toBeNull()
  })

  it('speaks the browser’s language and remembers a switch, and only the language', async () => {
    const fetch = fakeFetch({ 'GET /v1/console/session': () => apiError(401, 'unauthorized') })
    render(<App fetch={fetch} />)
    fireEvent.click(await screen.findByRole('button', { name: 'Переключить на русский язык' }))
    await waitFor(() => expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Вход в консоль'))
    expect(document.documentElement.lang).toBe('ru')
    expect({ ...localStorage }).toEqual({ 'leadcatcher.console.language': 'ru' })
  })
})

describe('the console’s site pages', () => {
  it('gives the operator Settings, Embed and Team, and a site token the team read-only, without tokens', async () => {
    const tokensAsked = () => requests(fetch).some((r) => r.url.includes('/tokens'))
    const routes = {
      'GET /v1/admin/sites/shop': () => jsonResponse(200, { site: 'shop', config: {} }),
      'GET /v1/admin/sites': () => jsonResponse(200, { sites: [{ site: 'shop', origins: [], locale: 'en', updatedAt: '2026-11-01T00:00:00.000Z' }] }),
      'GET /v1/admin/sites/shop/tokens': () => jsonResponse(200, { site: 'shop', tokens: [] }),
    }
    history.replaceState(null, '', '/console/#/team?site=shop')
    let fetch = fakeFetch({ 'GET /v1/console/session': () => jsonResponse(200, session({ scope: { kind: 'operator' } })), ...routes })
    render(<App fetch={fetch} />)
    const nav = await screen.findByRole('navigation', { name: 'Console sections' })
    expect([...nav.querySelectorAll('a')].map((a) => a.textContent)).toEqual(['Leads', 'Report', 'Deliveries', 'Settings', 'Targets', 'Embed', 'Chatbot', 'Team', 'Sites'])
    expect(await screen.findByText('No tokens yet.')).toBeTruthy()
    cleanup()

    fetch = fakeFetch({ 'GET /v1/console/session': () => jsonResponse(200, session()), ...routes })
    render(<App fetch={fetch} />)
    const siteNav = await screen.findByRole('navigation', { name: 'Console sections' })
    expect([...siteNav.querySelectorAll('a')].map((a) => a.textContent)).toEqual(['Leads', 'Report', 'Deliveries', 'Settings', 'Targets', 'Embed', 'Chatbot', 'Team'])
    expect(await screen.findByText('Only the operator can change the team; a site token sees it read-only.')).toBeTruthy()
    expect(screen.queryByRole('heading', { name: 'Site tokens' })).toBeNull()
    expect(tokensAsked()).toBe(false)
  })

  it('shows a manager saved on the Team page in the Inbox’s filter at once, with no reload', async () => {
    let config: Record<string, unknown> = { routing: { mode: 'round_robin', managers: [{ id: 'ivan', name: 'Ivan' }] } }
    const fetch = fakeFetch({
      'GET /v1/console/session': () => jsonResponse(200, session({ scope: { kind: 'operator' } })),
      'GET /v1/admin/sites': () => jsonResponse(200, { sites: [{ site: 'shop', origins: [], locale: 'en', updatedAt: '2026-11-01T00:00:00.000Z' }] }),
      'GET /v1/admin/sites/shop': () => jsonResponse(200, { site: 'shop', config }),
      'PATCH /v1/admin/sites/shop': (_url, init) => {
        const patch = JSON.parse(String(init.body)) as { routing: Record<string, unknown> }
        config = { ...config, routing: patch.routing }
        return jsonResponse(200, { site: 'shop', config })
      },
      'GET /v1/admin/sites/shop/tokens': () => jsonResponse(200, { site: 'shop', tokens: [] }),
      'GET /v1/admin/leads': () => jsonResponse(200, { leads: [], nextCursor: null }),
    })
    history.replaceState(null, '', '/console/#/leads?site=shop')
    render(<App fetch={fetch} />)
    const options = async () => [...within(await screen.findByLabelText('Manager')).getAllByRole('option')].map((o) => o.textContent)
    await waitFor(async () => expect(await options()).toEqual(['Any', 'Ivan']))

    location.hash = '#/team?site=shop'
    fireEvent.click(await screen.findByRole('button', { name: 'Add a manager' }))
    fireEvent.input(within(screen.getByRole('group', { name: 'Manager 2' })).getByLabelText('Name'), { target: { value: 'Olga' } })
    fireEvent.click(screen.getByRole('button', { name: 'Save the team' }))
    await screen.findByText('Saved.')
    location.hash = '#/leads?site=shop'
    await waitFor(async () => expect(await options()).toEqual(['Any', 'Ivan', 'Olga']))
  })
})
