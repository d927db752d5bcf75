// The deliveries page: the site's failed and pending deliveries from GET /v1/admin/deliveries, and
// "send all failed again" with the CSRF token, which reloads the list.
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact'
import { afterEach, describe, expect, it } from 'vitest'
import { createApiClient } from '../api'
import type { SiteDelivery } from '../api-types'
import { fakeFetch, jsonResponse, requests, session } from '../testing'
import { DeliveriesPage } from './deliveries-page'

afterEach(cleanup)

function delivery(overrides: Partial<SiteDelivery> = {}): SiteDelivery {
  return {
    id: `msg_${'0'.repeat(31)}1`,
    leadId: '00000000-0000-4000-8000-000000000001',
    targetId: 'crm',
    eventType: 'lead.created',
    status: 'failed',
    attempts: 8,
    nextAttemptAt: null,
    lastError: 'HTTP 503',
    deliveredAt: null,
    createdAt: '2026-11-30T10:00:00.000Z',
    ...overrides,
  }
}

describe('the deliveries page', () => {
  it('lists what failed or waits, and sends all failed again', async () => {
    let replayed = false
    const fetch = fakeFetch({
      'POST /v1/console/session': () => jsonResponse(200, session({ csrfToken: 'csrf-d' })),
      'GET /v1/admin/deliveries': () =>
        jsonResponse(200, {
          site: 'shop',
          nextCursor: null,
          deliveries: replayed ? [] : [delivery(), delivery({ id: `msg_${'0'.repeat(31)}2`, status: 'pending', nextAttemptAt: '2026-12-01T10:00:00Z', lastError: null })],
        }),
      'POST /v1/admin/sites/shop/replay-failed': () => {
        replayed = true
        return jsonResponse(202, { replayed: 1, deliveryIds: [`msg_${'0'.repeat(31)}1`] })
      },
    })
    const api = createApiClient({ fetch })
    await api.signIn('lct_x')
    render(<DeliveriesPage api={api} site="shop" params={new URLSearchParams()} keepSite={false} />)
    expect(await screen.findByText('HTTP 503')).toBeTruthy()
    expect(screen.getAllByText('crm')).toHaveLength(2)
    expect(screen.getAllByRole('link', { name: 'Open the lead' })[0]?.getAttribute('href')).toBe('#/leads/00000000-0000-4000-8000-000000000001')
    // Only the failed one has its own "send again".
    expect(screen.getAllByRole('button', { name: 'Send again' })).toHaveLength(1)
    const list = new URL(requests(fetch).find((r) => r.url.startsWith('/v1/admin/deliveries'))!.url, 'http://x')
    expect(Object.fromEntries(list.searchParams)).toEqual({ site: 'shop', status: 'failed,pending', limit: '50' })

    fireEvent.click(screen.getByRole('button', { name: 'Send all failed again' }))
    expect(await screen.findByText('1 delivery queued again.')).toBeTruthy()
    await screen.findByText('Nothing failed, nothing waiting.')
    expect(requests(fetch).find((r) => r.url.endsWith('/replay-failed'))?.headers['X-CSRF-Token']).toBe('csrf-d')
  })

  it('pages on with the cursor', async () => {
    const fetch = fakeFetch({
      'GET /v1/admin/deliveries': (url) =>
        url.searchParams.get('cursor')
          ? jsonResponse(200, { site: 'shop', nextCursor: null, deliveries: [delivery({ id: `msg_${'0'.repeat(31)}3`, lastError: 'second page' })] })
          : jsonResponse(200, { site: 'shop', nextCursor: 'next', deliveries: [delivery()] }),
    })
    render(<DeliveriesPage api={createApiClient({ fetch })} site="shop" params={new URLSearchParams('status=failed')} keepSite />)
    fireEvent.click(await screen.findByRole('button', { name: 'Show more' }))
    expect(await screen.findByText('second page')).toBeTruthy()
    await waitFor(() => expect(screen.queryByRole('button', { name: 'Show more' })).toBeNull())
    expect(new URL(requests(fetch)[1]!.url, 'http://x').searchParams.get('status')).toBe('failed')
  })
})
