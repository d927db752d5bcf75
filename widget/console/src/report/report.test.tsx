// The source-quality table: every number a link to exactly the leads it counts (a junk reason's
// count to the junk leads with that reason), and a row the inbox cannot filter for left unlinked,
// with a title that says why.
import { cleanup, render, screen, within } from '@testing-library/preact'
import { afterEach, describe, expect, it } from 'vitest'
import { createApiClient } from '../api'
import type { StatsReport, StatsRow } from '../api-types'
import { parseHash } from '../router'
import { fakeFetch, jsonResponse, renderIn } from '../testing'
import { Report } from './report'

afterEach(cleanup)

function row(group: string | null, overrides: Partial<StatsRow> = {}): StatsRow {
  return {
    group,
    leads: 10,
    accepted: 9,
    stored: 10,
    rejected: 0,
    spam: 1,
    spamPercent: 10,
    invalidPhonePercent: 0,
    duplicatePercent: 0,
    repeatPercent: 0,
    hot: 2,
    warm: 4,
    cold: 3,
    new: 2,
    inWork: 1,
    qualified: 2,
    won: 1,
    notNow: 1,
    junk: 3,
    junkByReason: { wrong_number: 2, spam: 0, off_target: 1, duplicate: 0, other: 0 },
    qualifiedPercent: 30,
    wonPercent: 10,
    junkPercent: 30,
    medianFirstDeliveryMs: null,
    medianFirstActionMs: 90_000,
    ...overrides,
  }
}

const REPORT: StatsReport = {
  site: 'shop',
  by: 'utm_campaign',
  from: '2026-11-01T00:00:00.000Z',
  to: '2026-12-01T00:00:00.000Z',
  groups: [row('spring'), row(null)],
}

function report() {
  const fetch = fakeFetch({
    'GET /v1/admin/stats': () => jsonResponse(200, REPORT),
    'GET /v1/admin/stats/trend': () => jsonResponse(200, { site: 'shop', by: 'utm_campaign', period: 'month', timeZone: 'UTC', from: REPORT.from, to: REPORT.to, groups: [] }),
  })
  return createApiClient({ fetch })
}

const rowOf = (header: string) => screen.getByRole('rowheader', { name: header }).closest('tr')!

describe('the source-quality report', () => {
  it('links a junk reason’s count to the junk leads with that reason, over the report’s range', async () => {
    render(<Report api={report()} site="shop" params={new URLSearchParams()} />)
    await screen.findByRole('table')
    const link = within(rowOf('spring')).getByRole('link', { name: 'Wrong number: 2' })
    const route = parseHash(link.getAttribute('href')!)
    expect(route.page).toBe('leads')
    expect(Object.fromEntries(route.params)).toEqual({ site: 'shop', from: REPORT.from, to: REPORT.to, campaign: 'spring', status: 'junk', junkReason: 'wrong_number' })
    expect(Object.fromEntries(parseHash(within(rowOf('spring')).getByRole('link', { name: 'Off target: 1' }).getAttribute('href')!).params)).toMatchObject({
      junkReason: 'off_target',
    })
    // Reasons nobody chose are not listed.
    expect(within(rowOf('spring')).queryByText(/^Spam: /)).toBeNull()
  })

  it('gives a row without a value no links, and says why on each of its numbers', async () => {
    renderIn('ru', <Report api={report()} site="shop" params={new URLSearchParams()} />)
    await screen.findByRole('table')
    const unset = rowOf('(не задано)')
    expect(within(unset).queryAllByRole('link')).toEqual([])
    const reason = within(unset).getByText('Неверный номер: 2')
    expect(reason.getAttribute('title')).toBe('Без ссылки: в заявках нет фильтра для заявок без этого значения.')
    expect(within(unset).getByText('(не задано)').getAttribute('title')).toBe(reason.getAttribute('title'))
    // The row with a value keeps its links.
    expect(within(rowOf('spring')).getAllByRole('link').length).toBeGreaterThan(10)
  })
})
