// The operator's site switcher: a select of the sites the API lists ("All sites" first) that opens
// the same page for the chosen site, and a typed site key only when the list cannot be had.
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { App } from './app'
import { createApiClient } from './api'
import { parseHash } from './router'
import { SiteSwitcher } from './site-switcher'
import type { SiteListState } from './site'
import { apiError, fakeFetch, jsonResponse, requests, session } from './testing'

beforeEach(() => {
  history.replaceState(null, '', '/console/')
  localStorage.clear()
})
afterEach(cleanup)

const api = createApiClient({ fetch: fakeFetch({}) })

function switcher(hash: string, list: SiteListState) {
  location.hash = hash
  return render(<SiteSwitcher api={api} route={parseHash(hash)} list={list} />)
}

const optionTexts = (select: HTMLElement) =>
  within(select)
    .getAllByRole('option')
    .map((o) => o.textContent)

describe('the site switcher', () => {
  it('offers every listed site in a select, all sites first, and opens the one chosen', () => {
    switcher('#/leads?status=junk', { state: 'ok', sites: ['alpha', 'shop'] })
    const select = screen.getByRole('combobox', { name: 'Site' }) as HTMLSelectElement
    expect(optionTexts(select)).toEqual(['All sites', 'alpha', 'shop'])
    expect(select.value).toBe('')
    fireEvent.change(select, { target: { value: 'shop' } })
    expect(location.hash).toBe('#/leads?status=junk&site=shop')
  })

  it('keeps the page and its settings, goes from a lead card to the site’s inbox, and back to all sites', () => {
    const report = switcher('#/report?by=page&site=alpha', { state: 'ok', sites: ['alpha', 'shop'] })
    fireEvent.change(screen.getByRole('combobox', { name: 'Site' }), { target: { value: 'shop' } })
    expect(location.hash).toBe('#/report?by=page&site=shop')
    report.unmount()

    const card = switcher('#/leads/00000000-0000-4000-8000-000000000001?site=alpha', { state: 'ok', sites: ['alpha', 'shop'] })
    fireEvent.change(screen.getByRole('combobox', { name: 'Site' }), { target: { value: 'shop' } })
    expect(location.hash).toBe('#/leads?site=shop')
    card.unmount()

    switcher('#/leads?site=shop&temperature=hot', { state: 'ok', sites: ['alpha', 'shop'] })
    fireEvent.change(screen.getByRole('combobox', { name: 'Site' }), { target: { value: '' } })
    expect(location.hash).toBe('#/leads?temperature=hot')
  })

  it('still shows a site from the address that the list does not have, and waits for the list disabled', () => {
    const view = switcher('#/leads?site=gone', { state: 'ok', sites: ['shop'] })
    const select = screen.getByRole('combobox', { name: 'Site' }) as HTMLSelectElement
    expect(optionTexts(select)).toEqual(['All sites', 'shop', 'gone'])
    expect(select.value).toBe('gone')
    view.unmount()
    switcher('#/leads?site=shop', { state: 'loading' })
    expect(screen.getByRole('combobox', { name: 'Site' }).matches(':disabled')).toBe(true)
    expect((screen.getByRole('combobox', { name: 'Site' }) as HTMLSelectElement).value).toBe('shop')
  })
})

describe('the site switcher in the console', () => {
  const operator = () => jsonResponse(200, session({ scope: { kind: 'operator' } }))
  const noLeads = () => jsonResponse(200, { leads: [], nextCursor: null })

  it('lists the sites from GET /v1/admin/sites, once', async () => {
    const fetch = fakeFetch({
      'GET /v1/console/session': operator,
      'GET /v1/admin/sites': () =>
        jsonResponse(200, {
          sites: [
            { site: 'shop', origins: ['https://shop.example'], locale: 'ru', updatedAt: '2026-12-01T00:00:00.000Z' },
            { site: 'demo', origins: ['https://demo.example'], locale: 'en', updatedAt: '2026-12-02T00:00:00.000Z' },
          ],
        }),
      'GET /v1/admin/leads': noLeads,
    })
    render(<App fetch={fetch} />)
    const select = await screen.findByRole('combobox', { name: 'Site' })
    await within(select).findByRole('option', { name: 'shop' })
    expect(optionTexts(select)).toEqual(['All sites', 'demo', 'shop'])
    expect(screen.queryByRole('button', { name: 'Open' })).toBeNull()
    expect(requests(fetch).filter((r) => r.url === '/v1/admin/sites')).toHaveLength(1)
  })

  it('falls back to typing a site key when the list fails, and checks the key before opening it', async () => {
    const fetch = fakeFetch({
      'GET /v1/console/session': operator,
      'GET /v1/admin/sites': () => apiError(500, 'internal_error'),
      'GET /v1/admin/sites/nope': () => apiError(404, 'not_found'),
      'GET /v1/admin/sites/shop': () => jsonResponse(200, { site: 'shop', config: {} }),
      'GET /v1/admin/leads': noLeads,
    })
    location.hash = '#/report'
    render(<App fetch={fetch} />)
    const field = (await screen.findByRole('textbox', { name: 'Site' })) as HTMLInputElement
    expect(screen.getByText('Type a site key above to see this page.')).toBeTruthy()
    fireEvent.input(field, { target: { value: 'nope' } })
    fireEvent.click(screen.getByRole('button', { name: 'Open' }))
    expect((await screen.findByRole('alert')).textContent).toBe('There is no site “nope”.')
    fireEvent.input(field, { target: { value: 'Shop' } })
    fireEvent.click(screen.getByRole('button', { name: 'Open' }))
    await waitFor(() => expect(location.hash).toBe('#/report?site=shop'))
    await waitFor(() => expect(screen.queryByText('Type a site key above to see this page.')).toBeNull())
  })

  it('asks an operator on the report to choose a site from the list, and a site token for no list at all', async () => {
    const sites = () => jsonResponse(200, { sites: [{ site: 'shop', origins: [], locale: 'ru', updatedAt: '2026-12-01T00:00:00.000Z' }] })
    location.hash = '#/report'
    const view = render(<App fetch={fakeFetch({ 'GET /v1/console/session': operator, 'GET /v1/admin/sites': sites })} />)
    expect(await screen.findByText('Choose a site above to see this page.')).toBeTruthy()
    view.unmount()

    const fetch = fakeFetch({
      'GET /v1/console/session': () => jsonResponse(200, session()),
      'GET /v1/admin/sites/shop': () => jsonResponse(200, { site: 'shop', config: {} }),
      'GET /v1/admin/leads': noLeads,
      'GET /v1/admin/sites': sites,
    })
    location.hash = '#/leads'
    render(<App fetch={fetch} />)
    await screen.findByText('Site shop')
    expect(screen.queryByRole('combobox', { name: 'Site' })).toBeNull()
    expect(requests(fetch).some((r) => r.url === '/v1/admin/sites')).toBe(false)
  })
})
