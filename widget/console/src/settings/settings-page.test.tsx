// Settings: the stored config in the fields, a save as a merge patch of the changed section only,
// the API's issues from a 400 beside their fields with nothing else lost, the guard against
// leaving with unsaved changes, and a site token's read-only view.
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createApiClient } from '../api'
import { navigate, useRoute } from '../router'
import { fakeFetch, jsonResponse, renderIn, requests } from '../testing'
import { SettingsPage } from './settings-page'

const CONFIG = {
  origins: ['https://shop.example'],
  locale: 'en',
  consent: { required: true, text: 'I agree to be called.' },
  hours: {
    timezone: 'Europe/Moscow',
    week: {
      mon: [
        ['09:00', '13:00'],
        ['14:00', '18:00'],
      ],
    },
    callWithinSeconds: 30,
  },
  reply: { text: 'We will call you soon.' },
  brand: { accent: '#0b57d0', launcher: { text: 'Call me' } },
  targets: [{ type: 'webhook', url: 'https://crm.example/hook', secret: '•••abcd' }],
}

function client(patch: (init: RequestInit) => Response = () => jsonResponse(200, { site: 'shop', config: CONFIG })) {
  const fetch = fakeFetch({
    'GET /v1/admin/sites/shop': () => jsonResponse(200, { site: 'shop', config: CONFIG }),
    'PATCH /v1/admin/sites/shop': (_url, init) => patch(init),
  })
  return { fetch, api: createApiClient({ fetch }) }
}

afterEach(() => {
  cleanup()
  vi.restoreAllMocks()
})

describe('the settings page', () => {
  it('shows the stored values, including a day with two intervals', async () => {
    render(<SettingsPage api={client().api} site="shop" canEdit />)
    expect(await screen.findByLabelText('Consent text')).toHaveProperty('value', 'I agree to be called.')
    expect(screen.getByLabelText('Ask for consent before sending')).toHaveProperty('checked', true)
    expect(screen.getByLabelText('Monday')).toHaveProperty('value', '09:00-13:00, 14:00-18:00')
    expect(screen.getByLabelText('Launcher text')).toHaveProperty('value', 'Call me')
  })

  it('saves only the changed section as application/merge-patch+json and says so', async () => {
    const { api, fetch } = client((init) => {
      const body = JSON.parse(String(init.body)) as { brand: { launcher: { text: string } } }
      return jsonResponse(200, { site: 'shop', config: { ...CONFIG, brand: { ...CONFIG.brand, launcher: { text: body.brand.launcher.text } } } })
    })
    render(<SettingsPage api={api} site="shop" canEdit />)
    fireEvent.input(await screen.findByLabelText('Launcher text'), { target: { value: 'Ring me back' } })
    expect(screen.getByRole('status').textContent).toBe('You have unsaved changes.')
    fireEvent.click(screen.getByRole('button', { name: 'Save' }))
    await waitFor(() => expect(screen.getByRole('status').textContent).toBe('Saved.'))
    const sent = requests(fetch).find((r) => r.method === 'PATCH')!
    expect(sent.headers['Content-Type']).toBe('application/merge-patch+json')
    expect(sent.body).toEqual({ brand: { accent: '#0b57d0', position: null, radius: null, launcher: { text: 'Ring me back', icon: null } } })
    expect(screen.getByLabelText('Launcher text')).toHaveProperty('value', 'Ring me back')
    expect(screen.getByRole('button', { name: 'Save' })).toHaveProperty('disabled', true)
  })

  it('puts the issues of a 400 beside their fields, keeps what was typed and lists the rest', async () => {
    const refused = () =>
      jsonResponse(400, {
        error: {
          code: 'validation_failed',
          message: 'The site configuration is not valid.',
          issues: [
            { path: 'brand.accent', code: 'invalid_format', message: 'must be a colour like "#0b57d0" (# and six hex digits)' },
            { path: 'hours.week.mon.0.1', code: 'invalid_format', message: 'must be a time like "09:00" (24:00 ends at midnight)' },
            { path: '(body)', code: 'check', message: 'scoring.warm must be below scoring.hot' },
          ],
        },
      })
    render(<SettingsPage api={client(refused).api} site="shop" canEdit />)
    fireEvent.input(await screen.findByLabelText('Accent colour'), { target: { value: 'blue' } })
    fireEvent.input(screen.getByLabelText('Monday'), { target: { value: '09:00-25:00' } })
    fireEvent.click(screen.getByRole('button', { name: 'Save' }))
    const accent = screen.getByLabelText('Accent colour')
    await waitFor(() => expect(accent.getAttribute('aria-invalid')).toBe('true'))
    const describedBy = (el: HTMLElement) =>
      (el.getAttribute('aria-describedby') ?? '')
        .split(' ')
        .map((id) => document.getElementById(id)?.textContent)
        .join(' ')
    expect(describedBy(accent)).toContain('must be a colour like "#0b57d0"')
    expect(describedBy(screen.getByLabelText('Monday'))).toContain('must be a time like "09:00"')
    expect(screen.getByLabelText('Launcher text').getAttribute('aria-invalid')).toBeNull()
    expect(screen.getByRole('alert').textContent).toContain('scoring.warm must be below scoring.hot')
    // The first field with a message, in the page's order (hours come before the look).
    await waitFor(() => expect(document.activeElement).toBe(screen.getByLabelText('Monday')))
    // Nothing typed is lost, and it still counts as unsaved.
    expect(accent).toHaveProperty('value', 'blue')
    expect(screen.getByLabelText('Monday')).toHaveProperty('value', '09:00-25:00')
    expect(screen.getByRole('status').textContent).toBe('You have unsaved changes.')
  })

  it('speaks Russian in a Russian console', async () => {
    renderIn('ru', <SettingsPage api={client().api} site="shop" canEdit />)
    expect(await screen.findByLabelText('Текст согласия')).toHaveProperty('value', 'I agree to be called.')
    expect(screen.getByRole('group', { name: 'Часы работы' })).toBeTruthy()
    expect(screen.getByRole('button', { name: 'Сохранить' })).toBeTruthy()
  })

  it('is read-only for a site token: every field disabled and no save button', async () => {
    render(<SettingsPage api={client().api} site="shop" canEdit={false} />)
    expect((await screen.findByLabelText('Consent text')).matches(':disabled')).toBe(true)
    expect(screen.getByLabelText('Launcher text').matches(':disabled')).toBe(true)
    expect(screen.getByText(/only the operator can change/i)).toBeTruthy()
    expect(screen.queryByRole('button', { name: 'Save' })).toBeNull()
  })
})

describe('leaving with unsaved changes', () => {
  function Host() {
    const route = useRoute()
    return (
      <>
        <p data-testid="page">{route.page}</p>
        {route.page === 'settings' && <SettingsPage api={client().api} site="shop" canEdit />}
      </>
    )
  }

  beforeEach(() => history.replaceState(null, '', '#/settings?site=shop'))

  it('asks before another page of the console, and stays when told to', async () => {
    const confirm = vi.spyOn(window, 'confirm').mockReturnValue(false)
    render(<Host />)
    fireEvent.input(await screen.findByLabelText('Consent text'), { target: { value: 'Changed' } })
    navigate('#/leads')
    await waitFor(() => expect(confirm).toHaveBeenCalledWith('You have unsaved changes in Settings. Leave without saving?'))
    expect(screen.getByTestId('page').textContent).toBe('settings')
    expect(location.hash).toBe('#/settings?site=shop')
    expect(screen.getByLabelText('Consent text')).toHaveProperty('value', 'Changed')

    confirm.mockReturnValue(true)
    navigate('#/report')
    await waitFor(() => expect(screen.getByTestId('page').textContent).toBe('report'))
  })

  it('lets the browser ask before a reload or closing the tab, and only while there are changes', async () => {
    const confirm = vi.spyOn(window, 'confirm')
    render(<Host />)
    const field = await screen.findByLabelText('Consent text')
    const unload = () => {
      const event = new Event('beforeunload', { cancelable: true })
      dispatchEvent(event)
      return event.defaultPrevented
    }
    expect(unload()).toBe(false)
    fireEvent.input(field, { target: { value: 'Changed' } })
    expect(unload()).toBe(true)
    fireEvent.input(field, { target: { value: 'I agree to be called.' } })
    expect(unload()).toBe(false)
    navigate('#/leads')
    await waitFor(() => expect(screen.getByTestId('page').textContent).toBe('leads'))
    expect(confirm).not.toHaveBeenCalled()
  })
})
