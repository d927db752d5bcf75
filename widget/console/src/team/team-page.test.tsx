// Team: the token list without secrets, a new token for a manager shown once (gone from the page
// once dismissed, never in the address or storage), and revoke after a confirm.
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { SiteTokenSummary } from '../../../../shared/console-api'
import { createApiClient } from '../api'
import { apiError, fakeFetch, jsonResponse, requests } from '../testing'
import { TeamPage } from './team-page'

const SECRET = 'lct_k3y-Th4t-Mu5t-N0t-L1ng3r_0000000000000000'
const MANAGERS = [
  { id: 'olga', name: 'Olga' },
  { id: 'pavel', name: 'Pavel' },
]

function server() {
  let tokens: SiteTokenSummary[] = [{ id: 'a1b2c3d4', label: 'CRM export', managerId: null, createdAt: '2026-11-20T09:00:00.000Z' }]
  const fetch = fakeFetch({
    'GET /v1/admin/sites/shop': () => jsonResponse(200, { site: 'shop', config: { routing: { managers: MANAGERS, mode: 'round_robin', rules: [] } } }),
    'GET /v1/admin/sites/shop/tokens': () => jsonResponse(200, { site: 'shop', tokens }),
    'POST /v1/admin/sites/shop/tokens': (_url, init) => {
      const body = JSON.parse(String(init.body)) as { label: string | null; managerId: string | null }
      const made = { id: 'e5f6a7b8', label: body.label, managerId: body.managerId, createdAt: '2026-12-02T10:00:00.000Z' }
      tokens = [...tokens, made]
      return jsonResponse(201, { site: 'shop', token: SECRET, ...made })
    },
    'DELETE /v1/admin/sites/shop/tokens/a1b2c3d4': () => {
      tokens = tokens.filter((t) => t.id !== 'a1b2c3d4')
      return jsonResponse(200, { site: 'shop', id: 'a1b2c3d4', revoked: 1 })
    },
  })
  return { fetch, api: createApiClient({ fetch }) }
}

afterEach(() => {
  cleanup()
  vi.restoreAllMocks()
  localStorage.clear()
  sessionStorage.clear()
})

describe('the team page', () => {
  it('lists the tokens by label, manager and date', async () => {
    render(<TeamPage api={server().api} site="shop" managers={MANAGERS} canEdit />)
    const row = (await screen.findByRole('rowheader', { name: 'CRM export' })).closest('tr')!
    expect([...row.querySelectorAll('td')].map((td) => td.textContent)[0]).toBe('—')
  })

  it('creates a manager’s token and shows it once, until dismissed', async () => {
    const { api, fetch } = server()
    render(<TeamPage api={api} site="shop" managers={MANAGERS} canEdit />)
    await screen.findByRole('rowheader', { name: 'CRM export' })
    fireEvent.input(screen.getByLabelText('Label'), { target: { value: 'Olga’s phone' } })
    fireEvent.change(screen.getByLabelText('Manager'), { target: { value: 'olga' } })
    fireEvent.click(screen.getByRole('button', { name: 'Create token' }))
    expect(await screen.findByLabelText('The new token')).toHaveProperty('value', SECRET)
    expect(requests(fetch).find((r) => r.method === 'POST')!.body).toEqual({ label: 'Olga’s phone', managerId: 'olga' })
    // The list shows the new token by its label and manager, never the secret.
    const row = (await screen.findByRole('rowheader', { name: 'Olga’s phone' })).closest('tr')!
    expect(within(row).getByText('Olga')).toBeTruthy()
    expect(screen.getByRole('table').textContent).not.toContain(SECRET)

    fireEvent.click(screen.getByRole('button', { name: 'I have copied it' }))
    expect(screen.queryByLabelText('The new token')).toBeNull()
    expect(document.body.innerHTML).not.toContain(SECRET)
    expect(location.href).not.toContain(SECRET)
    expect(JSON.stringify({ ...localStorage })).not.toContain(SECRET)
    expect(JSON.stringify({ ...sessionStorage })).not.toContain(SECRET)
  })

  it('revokes a token after a confirm, and not without one', async () => {
    const { api, fetch } = server()
    const confirm = vi.spyOn(window, 'confirm').mockReturnValue(false)
    render(<TeamPage api={api} site="shop" managers={MANAGERS} canEdit />)
    fireEvent.click(await screen.findByRole('button', { name: 'Revoke CRM export' }))
    expect(confirm).toHaveBeenCalledWith('Revoke CRM export? Everyone signed in with it is signed out.')
    expect(requests(fetch).some((r) => r.method === 'DELETE')).toBe(false)

    confirm.mockReturnValue(true)
    fireEvent.click(screen.getByRole('button', { name: 'Revoke CRM export' }))
    await waitFor(() => expect(screen.queryByRole('rowheader', { name: 'CRM export' })).toBeNull())
    expect(
      requests(fetch)
        .filter((r) => r.method === 'DELETE')
        .map((r) => r.url),
    ).toEqual(['/v1/admin/sites/shop/tokens/a1b2c3d4'])
    expect(screen.getByText('No tokens yet.')).toBeTruthy()
    expect(screen.getByText('The token is revoked.').getAttribute('role')).toBe('status')
  })

  it('says why a token could not be made, and keeps the form as typed', async () => {
    const fetch = fakeFetch({
      'GET /v1/admin/sites/shop': () => jsonResponse(200, { site: 'shop', config: {} }),
      'GET /v1/admin/sites/shop/tokens': () => jsonResponse(200, { site: 'shop', tokens: [] }),
      'POST /v1/admin/sites/shop/tokens': () => apiError(403, 'forbidden'),
    })
    render(<TeamPage api={createApiClient({ fetch })} site="shop" managers={MANAGERS} canEdit />)
    fireEvent.input(await screen.findByLabelText('Label'), { target: { value: 'Kiosk' } })
    fireEvent.click(screen.getByRole('button', { name: 'Create token' }))
    expect((await screen.findByRole('alert')).textContent).toContain('This token may not do that.')
    expect(screen.getByLabelText('Label')).toHaveProperty('value', 'Kiosk')
    expect(screen.queryByLabelText('The new token')).toBeNull()
  })
})
