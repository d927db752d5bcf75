// useSavedForm in a small form of its own against a fake admin API: dirty tracking, a save as a
// merge patch, a 400's issues beside their fields (the rest at the form), a network or 500 failure,
// and what is saved after a save. The three forms that use it have their own tests beside them.
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createApiClient } from './api'
import type { ApiClient } from './api'
import { placeIssues, useSavedForm } from './saved-form'
import { apiError, fakeFetch, jsonResponse, requests } from './testing'
import { ErrorNotice } from './ui'

interface Contact {
  name?: string
  phone?: string
}
interface View {
  site: string
  config: { contact?: Contact }
}
interface Form {
  name: string
  phone: string
}

const STORED: Contact = { name: 'Olga', phone: '+79123456789' }
const KEYS = ['name', 'phone'] as const

function ContactForm({ api, transientIssues = false }: { api: ApiClient; transientIssues?: boolean }) {
  const f = useSavedForm<View, Contact | undefined, Form>({
    api,
    path: '/v1/admin/sites/shop',
    initial: undefined,
    read: (view) => view.config.contact,
    draftOf: (contact) => ({ name: contact?.name ?? '', phone: contact?.phone ?? '' }),
    changed: (contact, form) => form.name !== (contact?.name ?? '') || form.phone !== (contact?.phone ?? ''),
    patch: (_contact, form) => ({ contact: form }),
    fields: () => KEYS,
    section: 'contact.',
    transientIssues,
    words: { saved: 'Saved.', unsaved: 'You have unsaved changes.' },
  })
  if (f.load.state === 'loading') return <p>…</p>
  if (f.load.state === 'error') return <ErrorNotice error={f.load.error} />
  return (
    <form ref={f.formRef} onSubmit={(e) => void f.save(e)} noValidate>
      {f.status === 'refused' && (
        <div role="alert" data-testid="refused">
          {f.issues.other.map((issue) => (
            <p key={issue.path}>
              {issue.path}: {issue.message}
            </p>
          ))}
        </div>
      )}
      {f.failure && <ErrorNotice error={f.failure} />}
      {KEYS.map((key) => {
        const errors = f.issues.byField[key]
        return (
          <div key={key}>
            <label for={key}>{key}</label>
            <input
              id={key}
              value={f.form[key]}
              aria-invalid={errors ? 'true' : undefined}
              aria-describedby={errors ? `${key}-error` : undefined}
              onInput={(e) => {
                const value = e.currentTarget.value
                f.edit((form) => ({ ...form, [key]: value }))
              }}
            />
            {errors && <p id={`${key}-error`}>{errors.join(' ')}</p>}
          </div>
        )
      })}
      <button type="submit" disabled={!f.canSave}>
        {f.status === 'saving' ? 'Saving…' : 'Save'}
      </button>
      <p role="status">{f.statusText}</p>
    </form>
  )
}

/** A site whose contact the PATCH merges; `answer` may refuse or fail it instead. */
function server(answer?: (body: { contact: Contact }) => Response | undefined) {
  let contact: Contact = { ...STORED }
  const fetch = fakeFetch({
    'GET /v1/admin/sites/shop': () => jsonResponse(200, { site: 'shop', config: { contact } }),
    'PATCH /v1/admin/sites/shop': (_url, init) => {
      const body = JSON.parse(String(init.body)) as { contact: Contact }
      const refusal = answer?.(body)
      if (refusal) return refusal
      // The API stores the phone in E.164: what is saved is its answer, not what was typed.
      contact = { ...contact, ...body.contact, phone: body.contact.phone?.replace(/^8/, '+7') }
      return jsonResponse(200, { site: 'shop', config: { contact } })
    },
  })
  return { fetch, api: createApiClient({ fetch }), stored: () => contact }
}

const refusal = (...issues: { path: string; message: string }[]) =>
  jsonResponse(400, { error: { code: 'validation_failed', message: 'The site configuration is not valid.', issues: issues.map((i) => ({ ...i, code: 'invalid' })) } })

const type = (label: string, value: string) => fireEvent.input(screen.getByLabelText(label), { target: { value } })
const status = () => screen.getByRole('status').textContent
const saveButton = () => screen.getByRole('button', { name: 'Save' }) as HTMLButtonElement

afterEach(() => {
  cleanup()
  vi.restoreAllMocks()
})

describe('useSavedForm', () => {
  it('reads the saved state into the draft and tracks whether the draft differs from it', async () => {
    render(<ContactForm api={server().api} />)
    expect(await screen.findByLabelText('name')).toHaveProperty('value', 'Olga')
    expect(status()).toBe('')
    expect(saveButton().disabled).toBe(true)
    type('name', 'Olga Petrova')
    expect(status()).toBe('You have unsaved changes.')
    expect(saveButton().disabled).toBe(false)
    // Typed back to what is saved: nothing to save.
    type('name', 'Olga')
    expect(status()).toBe('')
    expect(saveButton().disabled).toBe(true)
  })

  it('saves the draft as a JSON Merge Patch, says "Saved." and shows what the API stored', async () => {
    const { api, fetch, stored } = server()
    render(<ContactForm api={api} />)
    await screen.findByLabelText('phone')
    type('phone', '89123450000')
    fireEvent.click(saveButton())
    expect(screen.getByRole('button', { name: 'Saving…' })).toHaveProperty('disabled', true)
    await waitFor(() => expect(status()).toBe('Saved.'))
    const patch = requests(fetch).find((r) => r.method === 'PATCH')!
    expect(patch.url).toBe('/v1/admin/sites/shop')
    expect(patch.headers['Content-Type']).toBe('application/merge-patch+json')
    expect(patch.body).toEqual({ contact: { name: 'Olga', phone: '89123450000' } })
    expect(stored().phone).toBe('+79123450000')
    expect(screen.getByLabelText('phone')).toHaveProperty('value', '+79123450000')
    expect(saveButton().disabled).toBe(true)
    // The next edit ends "Saved.".
    type('name', 'Olga P.')
    expect(status()).toBe('You have unsaved changes.')
  })

  it('takes the answer of a save as the saved state: its values are no change, the old ones are', async () => {
    render(<ContactForm api={server().api} />)
    await screen.findByLabelText('name')
    type('name', 'Pavel')
    fireEvent.click(saveButton())
    await waitFor(() => expect(status()).toBe('Saved.'))
    type('name', 'Olga')
    expect(status()).toBe('You have unsaved changes.')
    type('name', 'Pavel')
    expect(status()).toBe('')
    expect(saveButton().disabled).toBe(true)
  })

  it("puts a 400's issues beside their fields, focuses the first, and keeps the draft unsaved", async () => {
    const { api, stored } = server(() =>
      refusal({ path: 'contact.phone', message: 'Not a phone number.' }, { path: 'contact.name.0', message: 'Too short.' }, { path: 'contact.phone', message: 'Required.' }),
    )
    render(<ContactForm api={api} />)
    await screen.findByLabelText('name')
    type('name', 'O')
    type('phone', '12')
    fireEvent.click(saveButton())
    await screen.findByTestId('refused')
    const name = screen.getByLabelText('name')
    const phone = screen.getByLabelText('phone')
    expect(name.getAttribute('aria-invalid')).toBe('true')
    expect(document.getElementById(name.getAttribute('aria-describedby')!)?.textContent).toBe('Too short.')
    expect(document.getElementById(phone.getAttribute('aria-describedby')!)?.textContent).toBe('Not a phone number. Required.')
    expect(screen.getByTestId('refused').textContent).toBe('')
    await waitFor(() => expect(document.activeElement).toBe(name))
    expect(phone).toHaveProperty('value', '12')
    expect(stored()).toEqual(STORED)
    expect(status()).toBe('You have unsaved changes.')
    // The messages stay beside their fields while the operator fixes them.
    type('phone', '89123450000')
    expect(phone.getAttribute('aria-invalid')).toBe('true')
    expect(screen.getByTestId('refused')).toBeTruthy()
  })

  it('lists an issue of no field here at the form, not beside a field', async () => {
    const { api } = server(() =>
      refusal(
        { path: 'targets.0.url', message: 'A private address.' },
        { path: 'contact.email', message: 'Unknown key.' },
        { path: 'contact', message: 'Give a name or a phone.' },
      ),
    )
    render(<ContactForm api={api} />)
    await screen.findByLabelText('name')
    type('name', '')
    fireEvent.click(saveButton())
    const refused = await screen.findByTestId('refused')
    expect([...refused.querySelectorAll('p')].map((p) => p.textContent)).toEqual([
      'targets.0.url: A private address.',
      'contact.email: Unknown key.',
      'contact: Give a name or a phone.',
    ])
    expect(document.querySelectorAll('[aria-invalid="true"]')).toHaveLength(0)
  })

  it('reports a network failure or a 500 with the console’s words, keeps the draft and lets it be sent again', async () => {
    let fail: 'network' | 500 = 'network'
    const { api } = server(() => {
      if (fail === 500) return apiError(500, 'internal', 'boom')
      throw new TypeError('Failed to fetch')
    })
    render(<ContactForm api={api} />)
    await screen.findByLabelText('name')
    type('name', 'Pavel')
    fireEvent.click(saveButton())
    expect((await screen.findByRole('alert')).textContent).toBe('No connection to the server. Check the network and try again.')
    expect(screen.queryByTestId('refused')).toBeNull()
    expect(status()).toBe('You have unsaved changes.')
    expect(screen.getByLabelText('name')).toHaveProperty('value', 'Pavel')
    fail = 500
    fireEvent.click(saveButton())
    await waitFor(() => expect(screen.getByRole('alert').textContent).toBe('The console cannot reach the server right now.'))
    expect(saveButton().disabled).toBe(false)
  })

  it('with transientIssues, an edit clears the issues and ends "refused"', async () => {
    const { api } = server(() => refusal({ path: 'contact.phone', message: 'Not a phone number.' }))
    render(<ContactForm api={api} transientIssues />)
    await screen.findByLabelText('phone')
    type('phone', '12')
    fireEvent.click(saveButton())
    await screen.findByTestId('refused')
    type('phone', '123')
    expect(screen.queryByTestId('refused')).toBeNull()
    expect(screen.getByLabelText('phone').getAttribute('aria-invalid')).toBeNull()
  })
})

describe('placeIssues', () => {
  it('takes the longest key the path is or starts with, else the first key inside the path', () => {
    const placed = placeIssues(
      [
        { path: 'hours.week.mon.0.1', message: 'bad time' },
        { path: 'hours', message: 'incomplete' },
        { path: 'hoursx', message: 'unknown' },
      ],
      ['hours.timezone', 'hours.week', 'hours.week.mon'],
    )
    expect(placed.byField).toEqual({ 'hours.week.mon': ['bad time'], 'hours.timezone': ['incomplete'] })
    expect(placed.other).toEqual([{ path: 'hoursx', message: 'unknown' }])
  })
})
