// The live inbox: the first page, new leads on top without a reload (announced politely), a lost
// connection said in words while the list stays, paging and the CSV link of what is shown.
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact'
import { afterEach, describe, expect, it } from 'vitest'
import { createApiClient } from '../api'
import type { LeadView } from '../api-types'
import { apiError, fakeFetch, jsonResponse, leadView, requests } from '../testing'
import { Inbox } from './inbox'

afterEach(cleanup)

const FAST = { baseMs: 20, maxMs: 40 }
const names = () => Array.from(document.querySelectorAll('.lead-name')).map((n) => n.textContent)

type Page = { leads: LeadView[]; nextCursor: string | null }

/** Every poll answers `pages()`; a cursor gets one older lead. A throw is a lost connection. */
function inbox(pages: () => Page | Response, params = new URLSearchParams()) {
  const older = leadView({ contact: { name: 'Older' }, createdAt: '2026-01-01T00:00:00.000Z' })
  const fetch = fakeFetch({
    'GET /v1/admin/leads': async (url) => {
      if (url.searchParams.get('cursor')) return jsonResponse(200, { leads: [older], nextCursor: null })
      const page = pages()
      return page instanceof Response ? page : jsonResponse(200, page)
    },
  })
  render(<Inbox api={createApiClient({ fetch })} scope={{ kind: 'site', site: 'shop' }} site="shop" params={params} managers={[]} poll={FAST} />)
  return fetch
}

describe('the inbox', () => {
  it('shows a lead that arrives while it is open at the top, and announces it', async () => {
    const first = leadView({ contact: { name: 'First' } })
    let shown: LeadView[] = [first]
    inbox(() => ({ leads: shown, nextCursor: null }))
    await screen.findByText('First')
    const announcer = document.querySelector('[aria-live="polite"]')!
    expect(announcer.textContent).toBe('')

    shown = [leadView({ contact: { name: 'Second' } }), first]
    await screen.findByText('Second')
    expect(names()).toEqual(['Second', 'First'])
    expect(announcer.textContent).toBe('1 new lead')
    expect(document.querySelector('.lead-row.fresh .lead-name')?.textContent).toBe('Second')
  })

  it('keeps the list and says the connection is lost when a poll fails, then recovers', async () => {
    let down = false
    const lead = leadView({ contact: { name: 'Kept' } })
    inbox(() => {
      if (down) throw new TypeError('Failed to fetch')
      return { leads: [lead], nextCursor: null }
    })
    await screen.findByText('Kept')
    down = true
    await screen.findByText(/^Connection lost; trying again in \d+ s\.$/)
    expect(names()).toEqual(['Kept'])
    down = false
    await screen.findByText('Live: new leads appear here by themselves.')
  })

  it('shows the first load’s error in place of the list', async () => {
    inbox(() => apiError(403, 'forbidden'))
    expect((await screen.findByRole('alert')).textContent).toBe('This token may not do that.')
  })

  it('asks for the filters in the hash and exports the same leads as CSV', async () => {
    const fetch = inbox(() => ({ leads: [leadView()], nextCursor: null }), new URLSearchParams('status=junk&q=%2B7 912'))
    await waitFor(() => expect(fetch).toHaveBeenCalled())
    const url = new URL(requests(fetch)[0]!.url, 'http://x')
    expect(Object.fromEntries(url.searchParams)).toEqual({ site: 'shop', status: 'junk', q: '+7 912', limit: '50' })
    const csv = new URL(screen.getByRole('link', { name: 'Export CSV' }).getAttribute('href')!, 'http://x')
    expect(Object.fromEntries(csv.searchParams)).toEqual({ site: 'shop', status: 'junk', q: '+7 912', format: 'csv' })
  })

  it('asks for the junk reason a report cell linked to, and shows that filter set', async () => {
    const fetch = inbox(() => ({ leads: [leadView({ status: 'junk', junkReason: 'spam' })], nextCursor: null }), new URLSearchParams('status=junk&junkReason=spam&campaign=spring'))
    await waitFor(() => expect(fetch).toHaveBeenCalled())
    expect(Object.fromEntries(new URL(requests(fetch)[0]!.url, 'http://x').searchParams)).toMatchObject({ status: 'junk', junkReason: 'spam', campaign: 'spring' })
    expect((screen.getByRole('combobox', { name: 'Junk reason' }) as HTMLSelectElement).value).toBe('spam')
    expect(screen.getByRole('button', { name: 'Filters (3)' })).toBeTruthy()
  })

  it('loads the next page with the cursor under the first', async () => {
    inbox(() => ({ leads: [leadView({ contact: { name: 'Newest' } })], nextCursor: 'abc' }))
    fireEvent.click(await screen.findByRole('button', { name: 'Show more' }))
    await screen.findByText('Older')
    expect(names()).toEqual(['Newest', 'Older'])
    expect(screen.queryByRole('button', { name: 'Show more' })).toBeNull()
  })
})
