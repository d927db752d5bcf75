// "Is the tag live?" on the Embed page: each allowed origin with how long ago the widget loaded
// there, or "never loaded", on a fixed clock; refresh asks again.
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact'
import { afterEach, describe, expect, it } from 'vitest'
import type { TagStatus } from '../../../../shared/console-api'
import { createApiClient } from '../api'
import { fakeFetch, jsonResponse, renderIn, requests } from '../testing'
import { TagStatusPanel } from './tag-status'

const NOW = Date.parse('2026-12-02T12:00:00.000Z')

function server(statuses: TagStatus[]) {
  let call = 0
  const fetch = fakeFetch({ 'GET /v1/admin/sites/shop/tag-status': () => jsonResponse(200, statuses[Math.min(call++, statuses.length - 1)]) })
  return { fetch, api: createApiClient({ fetch }) }
}

const NEVER: TagStatus = {
  site: 'shop',
  origins: [
    { origin: 'https://shop.example', lastLoadedAt: null, loadsToday: 0 },
    { origin: 'https://www.shop.example', lastLoadedAt: null, loadsToday: 0 },
  ],
}
const LIVE: TagStatus = { site: 'shop', origins: [{ origin: 'https://shop.example', lastLoadedAt: '2026-12-02T11:57:00.000Z', loadsToday: 12 }, NEVER.origins[1]!] }

const lines = () => [...document.querySelectorAll('.tag-origins li')].map((li) => li.textContent)

afterEach(cleanup)

describe('the tag status', () => {
  it('says each origin never loaded, and after a refresh when one did', async () => {
    const { api, fetch } = server([NEVER, LIVE])
    render(<TagStatusPanel api={api} site="shop" now={() => NOW} />)
    await waitFor(() => expect(lines()).toEqual(['https://shop.example never loaded — check the tag', 'https://www.shop.example never loaded — check the tag']))
    fireEvent.click(screen.getByRole('button', { name: 'Refresh' }))
    await waitFor(() => expect(lines()[0]).toBe('https://shop.example last loaded 3 min ago · 12 loads today (UTC)'))
    expect(lines()[1]).toBe('https://www.shop.example never loaded — check the tag')
    expect(requests(fetch).map((r) => r.url)).toEqual(['/v1/admin/sites/shop/tag-status', '/v1/admin/sites/shop/tag-status'])
  })

  it('reads in Russian', async () => {
    renderIn('ru', <TagStatusPanel api={server([LIVE]).api} site="shop" now={() => NOW} />)
    await waitFor(() => expect(lines()[0]).toBe('https://shop.example загружался 3 мин назад · 12 загрузок сегодня (UTC)'))
    expect(screen.getByRole('heading', { name: 'Тег работает?' })).toBeTruthy()
  })
})
