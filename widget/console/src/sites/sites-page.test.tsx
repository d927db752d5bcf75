// The Sites page: every site with its origins, country, language and targets, the "New site"
// link for the operator only, and the empty deployment's invitation.
import { cleanup, screen } from '@testing-library/preact'
import { afterEach, describe, expect, it } from 'vitest'
import { createApiClient } from '../api'
import type { SiteSummary } from '../api-types'
import { fakeFetch, jsonResponse, renderIn } from '../testing'
import { SitesPage } from './sites-page'

afterEach(cleanup)

const row = (site: string, overrides: Partial<SiteSummary> = {}): SiteSummary => ({
  site,
  origins: [`https://${site}.example`],
  country: 'RU',
  locale: 'ru',
  targets: 1,
  createdAt: '2026-11-01T10:00:00.000Z',
  updatedAt: '2026-11-02T10:00:00.000Z',
  ...overrides,
})

function api(sites: SiteSummary[]) {
  return createApiClient({ fetch: fakeFetch({ 'GET /v1/admin/sites': () => jsonResponse(200, { sites }) }) })
}

describe('the sites page', () => {
  it('lists the sites by key with their origins, country, language and targets', async () => {
    renderIn(
      'en',
      <SitesPage api={api([row('zoo', { country: 'KZ', locale: 'en', targets: 0 }), row('shop', { origins: ['https://a.example', 'https://b.example'] })])} canCreate />,
    )
    const rows = await screen.findAllByRole('row')
    expect(rows.slice(1).map((r) => r.querySelector('th')?.textContent)).toEqual(['shop', 'zoo'])
    expect(rows[1]!.textContent).toContain('https://a.example')
    expect(rows[1]!.textContent).toContain('https://b.example')
    expect(rows[2]!.textContent).toContain('KZ')
    expect(rows[2]!.textContent).toContain('English')
    expect(screen.getByRole('link', { name: 'shop' }).getAttribute('href')).toBe('#/settings?site=shop')
    expect(screen.getByRole('link', { name: 'New site' }).getAttribute('href')).toBe('#/sites/new')
  })

  it('invites an empty deployment to create its first site, in Russian too', async () => {
    renderIn('ru', <SitesPage api={api([])} canCreate />)
    expect((await screen.findByText(/Сайтов пока нет/)).textContent).toContain('Создайте первый')
    expect(screen.getByRole('link', { name: 'Новый сайт' })).toBeTruthy()
  })

  it('offers no new site to a site token', async () => {
    renderIn('en', <SitesPage api={api([row('shop')])} canCreate={false} />)
    await screen.findByRole('link', { name: 'shop' })
    expect(screen.queryByRole('link', { name: 'New site' })).toBeNull()
  })
})
