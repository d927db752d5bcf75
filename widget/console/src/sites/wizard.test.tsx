// The new-site wizard: bad input at each step gets the API's message at its field and nothing is
// sent; a key that exists is refused at the field; a valid draft is created with one PUT of the
// whole config; the server's issues go back to their step; the tag and the test lead follow.
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createApiClient } from '../api'
import { navigate, useRoute } from '../router'
import { apiError, fakeFetch, jsonResponse, renderIn, requests } from '../testing'
import { NewSiteWizard } from './wizard'
import type { Step } from './wizard-model'
import { emptyDraft } from './wizard-model'

afterEach(() => {
  cleanup()
  vi.restoreAllMocks()
})

type Routes = Parameters<typeof fakeFetch>[0]

function setup(routes: Routes = {}, initialStep: Step = 1, draft = emptyDraft('en')) {
  const fetch = fakeFetch({ 'GET /v1/admin/sites/shop': () => apiError(404, 'not_found'), ...routes })
  render(<NewSiteWizard api={createApiClient({ fetch })} origin="https://leads.example" initialStep={initialStep} initialDraft={draft} />)
  return fetch
}

const input = (label: string, value: string) => fireEvent.input(screen.getByLabelText(label), { target: { value } })
const next = () => fireEvent.click(screen.getByRole('button', { name: /^(Next|Create the site)$/ }))

/** The text of the messages a field is described by. */
function messageOf(label: string): string {
  const field = screen.getByLabelText(label)
  return (field.getAttribute('aria-describedby') ?? '')
    .split(' ')
    .map((id) => document.getElementById(id)?.textContent ?? '')
    .join(' ')
}

async function fillSiteStep() {
  input('Site key', 'shop')
  input('Allowed origins', 'https://shop.example\nhttps://www.shop.example')
  next()
  await screen.findByRole('heading', { level: 2, name: /Texts, consent and hours/ })
}

describe('the new-site wizard', () => {
  it('puts the schema’s messages at the key and origin fields and asks the server nothing', async () => {
    const fetch = setup()
    input('Site key', 'My Shop')
    input('Allowed origins', 'https://shop.example/landing')
    input('Country', 'R')
    next()
    await screen.findByText('Nothing was created: fix the fields marked below.')
    expect(screen.getByLabelText('Site key').getAttribute('aria-invalid')).toBe('true')
    expect(messageOf('Site key')).toContain('must be 1–64 lowercase letters')
    expect(messageOf('Allowed origins')).toContain('1: must be an origin like "https://shop.example"')
    expect(messageOf('Country')).toContain('ISO 3166-1 alpha-2')
    expect(document.activeElement).toBe(screen.getByLabelText('Site key'))
    expect(fetch).not.toHaveBeenCalled()
  })

  it('refuses a key that exists, at the field, and stays on the first step', async () => {
    setup({ 'GET /v1/admin/sites/shop': () => jsonResponse(200, { site: 'shop', config: { origins: [] } }) })
    input('Site key', 'shop')
    input('Allowed origins', 'https://shop.example')
    next()
    await waitFor(() => expect(messageOf('Site key')).toContain('A site "shop" already exists'))
    expect(screen.getByRole('heading', { level: 2, name: /The site/ })).toBeTruthy()
  })

  it('checks texts, consent and hours with the Settings fields before going on', async () => {
    const fetch = setup()
    await fillSiteStep()
    input('Time zone', 'Mars/Olympus')
    input('Monday', '09:00-18:00')
    fireEvent.click(screen.getByLabelText('Ask for consent before sending'))
    next()
    await screen.findByText('Nothing was created: fix the fields marked below.')
    expect(screen.getByLabelText('Time zone').getAttribute('aria-invalid')).toBe('true')
    expect(messageOf('Consent text')).toContain('must not be empty')
    expect(requests(fetch).map((r) => r.method)).toEqual(['GET'])
    input('Time zone', 'Europe/Moscow')
    input('Consent text', 'I agree to be called back.')
    next()
    await screen.findByRole('heading', { level: 2, name: /Where leads go/ })
  })

  it('fills in the browser’s time zone when hours are typed with none chosen, as Settings does', async () => {
    vi.spyOn(Intl.DateTimeFormat.prototype, 'resolvedOptions').mockReturnValue({ timeZone: 'Asia/Almaty' } as Intl.ResolvedDateTimeFormatOptions)
    setup()
    await fillSiteStep()
    expect((screen.getByLabelText('Time zone') as HTMLInputElement).value).toBe('')
    input('Monday', '09:00-18:00')
    expect((screen.getByLabelText('Time zone') as HTMLInputElement).value).toBe('Asia/Almaty')
    input('Time zone', 'Europe/Moscow')
    input('Tuesday', '10:00-19:00')
    expect((screen.getByLabelText('Time zone') as HTMLInputElement).value).toBe('Europe/Moscow')
  })

  it('creates the site with one PUT of the whole config and shows the tag to paste', async () => {
    let body: unknown = null
    const fetch = setup({
      'PUT /v1/admin/sites/shop': (_url, init) => {
        body = JSON.parse(String(init.body))
        return jsonResponse(201, { site: 'shop', config: body })
      },
    })
    await fillSiteStep()
    input('Callback and form', 'Thanks! We will call you within 5 minutes.')
    next()
    await screen.findByRole('heading', { level: 2, name: /Where leads go/ })
    expect((screen.getByLabelText('Signing secret') as HTMLInputElement).value).toMatch(/^whsec_/)
    input('URL', 'https://crm.example/hook')
    next()
    await screen.findByRole('heading', { level: 2, name: /The tag to paste/ })
    expect(body).toMatchObject({
      origins: ['https://shop.example', 'https://www.shop.example'],
      country: 'RU',
      locale: 'en',
      reply: { text: 'Thanks! We will call you within 5 minutes.' },
      targets: [{ type: 'webhook', id: 'webhook', url: 'https://crm.example/hook', secret: expect.stringMatching(/^whsec_/) }],
    })
    expect(body).not.toHaveProperty('consent')
    expect(screen.getByText('Site "shop" is created.').getAttribute('role')).toBe('status')
    expect((screen.getByLabelText('The tag') as HTMLTextAreaElement).value).toBe('<script src="https://leads.example/widget.js" data-site="shop" async></script>')
    // The key was asked about on step 1, and the PUT creates only: it never replaces a site.
    expect(requests(fetch).map((r) => `${r.method} ${r.url}`)).toEqual(['GET /v1/admin/sites/shop', 'PUT /v1/admin/sites/shop'])
    expect(requests(fetch)[1]!.headers['If-None-Match']).toBe('*')
  })

  it('takes a site made meanwhile (412 on the create-only PUT) back to the key field', async () => {
    setup({ 'PUT /v1/admin/sites/shop': () => apiError(412, 'site_exists', 'A site "shop" already exists; nothing was changed.') })
    await fillSiteStep()
    next()
    await screen.findByRole('heading', { level: 2, name: /Where leads go/ })
    fireEvent.click(screen.getByRole('button', { name: 'Continue without a target' }))
    next()
    await screen.findByRole('heading', { level: 2, name: /The site/ })
    await waitFor(() => expect(messageOf('Site key')).toContain('A site "shop" already exists'))
  })

  it('takes the server’s issues back to their step and field, with what was typed kept', async () => {
    setup({
      'PUT /v1/admin/sites/shop': () =>
        jsonResponse(400, {
          error: {
            code: 'validation_failed',
            message: 'The site configuration is not valid.',
            issues: [{ path: 'country', code: 'unknown_value', message: 'unknown country code "XX"' }],
          },
        }),
    })
    input('Country', 'XX')
    await fillSiteStep()
    next()
    await screen.findByRole('heading', { level: 2, name: /Where leads go/ })
    fireEvent.click(screen.getByRole('button', { name: 'Continue without a target' }))
    expect(screen.queryByLabelText('URL')).toBeNull()
    next()
    await screen.findByRole('heading', { level: 2, name: /The site/ })
    await waitFor(() => expect(messageOf('Country')).toContain('unknown country code "XX"'))
    expect(screen.getByLabelText('Site key')).toHaveProperty('value', 'shop')
  })

  it('checks the target with the rest of the config and sends nothing while it is wrong', async () => {
    const fetch = setup()
    await fillSiteStep()
    next()
    await screen.findByRole('heading', { level: 2, name: /Where leads go/ })
    input('URL', 'crm.example/hook')
    next()
    await waitFor(() => expect(messageOf('URL')).toContain('must be an absolute URL'))
    expect(requests(fetch).some((r) => r.method === 'PUT')).toBe(false)
  })

  it('speaks Russian in a Russian console', async () => {
    const fetch = fakeFetch({})
    renderIn('ru', <NewSiteWizard api={createApiClient({ fetch })} initialDraft={emptyDraft('ru')} />)
    expect(screen.getByRole('heading', { level: 2 }).textContent).toBe('Шаг 1 из 5 Сайт')
    fireEvent.click(screen.getByRole('button', { name: 'Далее' }))
    await screen.findByText('Ничего не создано: исправьте отмеченные поля.')
    expect(screen.getByLabelText('Ключ сайта').getAttribute('aria-invalid')).toBe('true')
    expect((screen.getByLabelText('Язык виджета') as HTMLSelectElement).value).toBe('ru')
    expect(screen.getByRole('option', { name: 'английский' })).toBeTruthy()
  })

  it('sends a test lead and shows each target’s status, answer and time', async () => {
    const fetch = setup(
      {
        'POST /v1/admin/sites/shop/test-leads': () =>
          jsonResponse(201, { leadId: 'l1', deliveries: [{ targetId: 'crm', type: 'webhook', status: 'delivered', httpStatus: 204, excerpt: '{"ok":true}', durationMs: 42 }] }),
      },
      5,
      { ...emptyDraft('en'), key: 'shop' },
    )
    fireEvent.click(screen.getByRole('button', { name: 'Send a test lead' }))
    await screen.findByText('delivered')
    const table = screen.getByText('delivered').closest('[role="status"]')!
    expect(table.textContent).toContain('delivered')
    expect(table.textContent).toContain('204')
    expect(table.textContent).toContain('{"ok":true}')
    expect(table.textContent).toContain('42 ms')
    expect(requests(fetch)).toMatchObject([{ method: 'POST', url: '/v1/admin/sites/shop/test-leads', body: {} }])
  })
})

describe('the wizard’s other ways out', () => {
  it('drops the target with "Continue without a target" and brings a webhook back with "Add a target"', async () => {
    setup()
    await fillSiteStep()
    next()
    await screen.findByRole('heading', { level: 2, name: /Where leads go/ })
    expect((screen.getByLabelText('Type') as HTMLSelectElement).value).toBe('webhook')
    fireEvent.click(screen.getByRole('button', { name: 'Continue without a target' }))
    expect(screen.getByText('Without a target leads are only kept here, in the console.')).toBeTruthy()
    fireEvent.click(screen.getByRole('button', { name: 'Add a target' }))
    expect((screen.getByLabelText('Signing secret') as HTMLInputElement).value).toMatch(/^whsec_/)
  })

  it('asks before leaving a wizard with something typed, and stays when told to', async () => {
    function Host() {
      const route = useRoute()
      return (
        <>
          <p data-testid="page">{route.page}</p>
          {route.page === 'sites' && <NewSiteWizard api={createApiClient({ fetch: fakeFetch({}) })} initialDraft={emptyDraft('en')} />}
        </>
      )
    }
    history.replaceState(null, '', '#/sites/new')
    const confirm = vi.spyOn(window, 'confirm').mockReturnValue(false)
    render(<Host />)
    input('Site key', 'shop')
    navigate('#/leads')
    await waitFor(() => expect(confirm).toHaveBeenCalledWith('The new site is not created yet. Leave the wizard?'))
    expect(screen.getByTestId('page').textContent).toBe('sites')
    expect(screen.getByLabelText('Site key')).toHaveProperty('value', 'shop')
  })
})
