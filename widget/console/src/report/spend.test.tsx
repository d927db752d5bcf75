// Spend in the report: the cost columns for a campaign grouping, none for pages, and the CSV upload
// sending the file as { csv } and listing the server's bad lines when it refuses the file.
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact'
import { afterEach, describe, expect, it } from 'vitest'
import { createApiClient } from '../api'
import type { StatsReport, StatsRow } from '../api-types'
import { fakeFetch, jsonResponse, requests } from '../testing'
import { Report } from './report'

afterEach(cleanup)

const base: Omit<StatsRow, 'group'> = {
  leads: 4,
  accepted: 4,
  stored: 4,
  rejected: 0,
  spam: 0,
  spamPercent: 0,
  invalidPhonePercent: 0,
  duplicatePercent: 0,
  repeatPercent: 0,
  hot: 1,
  warm: 2,
  cold: 1,
  new: 2,
  inWork: 0,
  qualified: 2,
  won: 1,
  notNow: 0,
  junk: 0,
  junkByReason: { wrong_number: 0, spam: 0, off_target: 0, duplicate: 0, other: 0 },
  qualifiedPercent: 50,
  wonPercent: 25,
  junkPercent: 0,
  medianFirstDeliveryMs: null,
  medianFirstActionMs: null,
}

function client(report: StatsReport, upload: () => Response = () => jsonResponse(200, { site: 'shop', imported: 2 })) {
  const fetch = fakeFetch({
    'GET /v1/admin/stats': () => jsonResponse(200, report),
    'GET /v1/admin/stats/trend': () => jsonResponse(200, { site: 'shop', by: 'utm_campaign', period: 'month', timeZone: 'UTC', from: report.from, to: report.to, groups: [] }),
    'POST /v1/admin/sites/shop/spend': upload,
  })
  return { fetch, api: createApiClient({ fetch }) }
}

const REPORT: StatsReport = {
  site: 'shop',
  by: 'campaign',
  from: '2026-11-01T00:00:00.000Z',
  to: '2026-12-01T00:00:00.000Z',
  groups: [
    { group: 'yandex / spring', ...base, spend: [{ currency: 'RUB', cost: 2000, perLead: 500, perQualified: 1000, perWon: 2000 }] },
    { group: 'vk / retarget', ...base, spend: [] },
  ],
}

describe('spend in the report', () => {
  it('shows spend, per lead, per qualified and per won lead for campaign rows', async () => {
    render(<Report api={client(REPORT).api} site="shop" params={new URLSearchParams('by=campaign')} />)
    const table = await screen.findByRole('table')
    const headers = within(table)
      .getAllByRole('columnheader')
      .map((h) => h.textContent)
    expect(headers.slice(-4)).toEqual(['Spend', 'Per lead', 'Per qualified', 'Per won'])
    const spring = within(table).getByRole('rowheader', { name: 'yandex / spring' }).closest('tr')!
    const cells = [...spring.querySelectorAll('td')].slice(-4).map((td) => td.textContent!.replace(/\s/g, ' '))
    expect(cells).toEqual(['RUB 2,000.00', 'RUB 500.00', 'RUB 1,000.00', 'RUB 2,000.00'])
    const retarget = within(table).getByRole('rowheader', { name: 'vk / retarget' }).closest('tr')!
    expect([...retarget.querySelectorAll('td')].slice(-4).map((td) => td.textContent)).toEqual(['—', '—', '—', '—'])
  })

  it('has no cost columns for a grouping spend cannot be matched to', async () => {
    render(
      <Report api={client({ ...REPORT, by: 'page', groups: [{ group: 'https://shop.example/', ...base, spend: [] }] }).api} site="shop" params={new URLSearchParams('by=page')} />,
    )
    const table = await screen.findByRole('table')
    expect(within(table).queryByRole('columnheader', { name: 'Spend' })).toBeNull()
  })

  it('uploads a CSV as { csv } and lists the lines the server refused', async () => {
    const refused = () =>
      jsonResponse(400, {
        error: {
          code: 'validation_failed',
          message: '1 row problem(s); nothing was imported.',
          issues: [{ path: 'line 3: cost', message: 'must be an amount like 12500 or 12500.50' }],
        },
      })
    const { api, fetch } = client(REPORT, refused)
    render(<Report api={api} site="shop" params={new URLSearchParams('by=campaign')} />)
    await screen.findByRole('table')
    const text = 'date,utm_source,utm_campaign,cost,currency\n2026-11-01,yandex,spring,100,RUB\n2026-11-02,yandex,spring,x,RUB\n'
    const file = new File([text], 'spend.csv', { type: 'text/csv' })
    fireEvent.change(screen.getByLabelText('Import spend (CSV)'), { target: { files: [file] } })
    const status = await screen.findByRole('status')
    await waitFor(() => expect(status.textContent).toContain('line 3: cost: must be an amount like 12500 or 12500.50'))
    expect(status.textContent).toContain('Nothing was imported:')
    const post = requests(fetch).find((r) => r.method === 'POST')!
    expect(post.body).toEqual({ csv: text })
  })
})
