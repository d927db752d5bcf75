// The Versions panel on the Settings page: opened on demand, it lists the versions by who and
// when, compares the newest two (a secret only as "secret changed"), compares any other pair
// picked, and restores one after a confirm, then the form shows the restored config. A site token
// sees the list without restore buttons. And the captcha secret stays write-only in the form.
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { ConfigDiffBody, ConfigVersionListBody } from '../../../../shared/config-versions-api'
import { createApiClient } from '../api'
import { fakeFetch, jsonResponse, requests } from '../testing'
import { SettingsPage } from './settings-page'

const OLD = {
  origins: ['https://shop.example'],
  locale: 'en',
  brand: { launcher: { text: 'Call me' } },
  captcha: { provider: 'turnstile', siteKey: '1x00000000000000000000AA', secret: '•••00AA' },
}
const NEW = { ...OLD, brand: { launcher: { text: 'Ring me' } } }

const LIST: ConfigVersionListBody = {
  site: 'shop',
  kept: 100,
  nextBefore: null,
  versions: [
    { version: 2, savedAt: '2026-12-02T10:05:00Z', savedBy: { kind: 'console_session', name: 'console (operator)' }, restoredFrom: null },
    { version: 1, savedAt: '2026-12-02T10:00:00Z', savedBy: { kind: 'admin_token', name: 'admin token' }, restoredFrom: null },
  ],
}

function diff(from: number, to: number): ConfigDiffBody {
  return {
    site: 'shop',
    from,
    to,
    changes:
      from === to
        ? []
        : [
            { path: 'brand.launcher.text', kind: 'changed', before: from < to ? 'Call me' : 'Ring me', after: from < to ? 'Ring me' : 'Call me' },
            { path: 'captcha.secret', kind: 'changed', secret: true },
          ],
    secrets: [{ path: 'captcha.secret', changed: from !== to }],
  }
}

function client() {
  let live: Record<string, unknown> = NEW
  const fetch = fakeFetch({
    'GET /v1/admin/sites/shop': () => jsonResponse(200, { site: 'shop', config: live }),
    'PATCH /v1/admin/sites/shop': () => jsonResponse(200, { site: 'shop', config: live }),
    'GET /v1/admin/sites/shop/versions': () => jsonResponse(200, LIST),
    'GET /v1/admin/sites/shop/versions/1/diff/2': () => jsonResponse(200, diff(1, 2)),
    'GET /v1/admin/sites/shop/versions/2/diff/2': () => jsonResponse(200, diff(2, 2)),
    'POST /v1/admin/sites/shop/versions/1/restore': () => {
      live = OLD
      return jsonResponse(200, {
        site: 'shop',
        config: OLD,
        version: { version: 3, savedAt: '2026-12-02T10:10:00Z', savedBy: { kind: 'admin_token', name: 'admin token' }, restoredFrom: 1 },
      })
    },
  })
  return { fetch, api: createApiClient({ fetch }) }
}

afterEach(() => {
  cleanup()
  vi.restoreAllMocks()
})

describe('the versions panel', () => {
  it('lists the versions, shows what changed between the newest two, and a secret only as changed', async () => {
    render(<SettingsPage api={client().api} site="shop" canEdit />)
    fireEvent.click(await screen.findByRole('button', { name: 'Show versions' }))
    const table = await screen.findByRole('table')
    const rows = within(table).getAllByRole('row')
    expect(rows[1]!.textContent).toContain('v2')
    expect(rows[1]!.textContent).toContain('console')
    expect(rows[2]!.textContent).toContain('admin token')
    const change = await screen.findByText('brand.launcher.text')
    expect(change.parentElement!.textContent).toBe('brand.launcher.text changed"Call me" → "Ring me"')
    expect(screen.getByText('captcha.secret').parentElement!.textContent).toBe('captcha.secret secret changed')
    expect(document.body.textContent).not.toContain('•••00AA"')

    fireEvent.change(screen.getByLabelText('Compare'), { target: { value: '2' } })
    expect(await screen.findByText('These two versions are the same.')).toBeTruthy()
  })

  it('restores a version after a confirm and shows it in the form', async () => {
    const confirm = vi.spyOn(window, 'confirm').mockReturnValueOnce(false).mockReturnValue(true)
    const { api, fetch } = client()
    render(<SettingsPage api={api} site="shop" canEdit />)
    expect(await screen.findByLabelText('Launcher text')).toHaveProperty('value', 'Ring me')
    fireEvent.click(screen.getByRole('button', { name: 'Show versions' }))
    const restore = await screen.findByRole('button', { name: 'Restore version 1' })
    // The newest is the live config: nothing to restore.
    expect(screen.queryByRole('button', { name: 'Restore version 2' })).toBeNull()
    fireEvent.click(restore)
    expect(confirm).toHaveBeenCalledWith("Save version 1 again as the site's config? The current one stays in the list.")
    expect(requests(fetch).some((r) => r.method === 'POST')).toBe(false)
    fireEvent.click(restore)
    await waitFor(() => expect(screen.getByLabelText('Launcher text')).toHaveProperty('value', 'Call me'))
    expect(screen.getByText('Version 1 restored as version 3; the form shows it.')).toBeTruthy()
    const post = requests(fetch).find((r) => r.method === 'POST')!
    expect(post.url).toContain('/v1/admin/sites/shop/versions/1/restore')
    // Nothing from the browser: the secrets come from the stored version.
    expect(post.body).toBeUndefined()
  })

  it('shows a site token the versions without restore buttons', async () => {
    render(<SettingsPage api={client().api} site="shop" canEdit={false} />)
    fireEvent.click(await screen.findByRole('button', { name: 'Show versions' }))
    await screen.findByRole('table')
    expect(screen.queryByRole('button', { name: /Restore/ })).toBeNull()
  })
})

describe('the captcha secret in the form', () => {
  it('starts empty with the redacted value as a hint, and is sent only when typed', async () => {
    const { api, fetch } = client()
    render(<SettingsPage api={api} site="shop" canEdit />)
    const secret = await screen.findByLabelText('Secret key')
    expect(secret).toHaveProperty('value', '')
    expect(secret.getAttribute('type')).toBe('password')
    expect(document.getElementById(secret.getAttribute('aria-describedby')!.split(' ')[0]!)!.textContent).toContain('•••00AA')
    fireEvent.input(secret, { target: { value: '1x0000000000000000000000000000000AA' } })
    fireEvent.click(screen.getByRole('button', { name: 'Save' }))
    await waitFor(() => expect(requests(fetch).some((r) => r.method === 'PATCH')).toBe(true))
    expect(requests(fetch).find((r) => r.method === 'PATCH')!.body).toEqual({
      captcha: { provider: 'turnstile', siteKey: '1x00000000000000000000AA', secret: '1x0000000000000000000000000000000AA' },
    })
  })
})
