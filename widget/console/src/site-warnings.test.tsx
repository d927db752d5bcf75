// The site's config warnings above its pages: auto-dial without a captcha, in the console's language.
import { cleanup, screen, waitFor } from '@testing-library/preact'
import { afterEach, describe, expect, it } from 'vitest'
import { createApiClient } from './api'
import { SiteWarnings } from './site-warnings'
import { fakeFetch, jsonResponse, renderIn } from './testing'

afterEach(cleanup)

const warned = { site: 'shop', config: {}, warnings: [{ code: 'autodial_without_captcha', path: 'targets.0', message: 'Auto-dial is on without a captcha…' }] }

describe('SiteWarnings', () => {
  it('shows the API’s warnings for the site in Russian', async () => {
    const api = createApiClient({ fetch: fakeFetch({ 'GET /v1/admin/sites/shop': () => jsonResponse(200, warned) }) })
    renderIn('ru', <SiteWarnings api={api} site="shop" />)
    await waitFor(() => expect(screen.getByRole('note').textContent).toMatch(/^Автодозвон включён без капчи/))
  })

  it('shows nothing for a site without warnings, or for all sites', async () => {
    const fetch = fakeFetch({ 'GET /v1/admin/sites/calm': () => jsonResponse(200, { site: 'calm', config: {} }) })
    const api = createApiClient({ fetch })
    renderIn('en', <SiteWarnings api={api} site="calm" />)
    await waitFor(() => expect(fetch).toHaveBeenCalled())
    expect(screen.queryByRole('note')).toBeNull()
    cleanup()
    renderIn('en', <SiteWarnings api={api} site="" />)
    expect(fetch).toHaveBeenCalledTimes(1)
  })
})
