// The trend chart: an SVG with a title and a text summary as its description, a table view of the
// same numbers, gaps for periods without leads, and the fall that matters said first.
import { cleanup, fireEvent, render, screen, within } from '@testing-library/preact'
import { afterEach, describe, expect, it } from 'vitest'
import type { TrendReport } from '../api-types'
import { STRINGS } from '../i18n'
import { TrendView, linePath, trendSummary } from './trend-chart'

afterEach(cleanup)

function point(period: string, leads: number, qualifiedPercent: number | null, junkPercent: number | null) {
  return { period, start: `${period}-01`, leads, qualifiedPercent, junkPercent }
}

/** The case from the issue: a campaign that goes from 44.6 % qualified in July to 12 % in October. */
const TREND: TrendReport = {
  site: 'shop',
  by: 'utm_campaign',
  period: 'month',
  timeZone: 'UTC',
  from: '2026-07-01T00:00:00.000Z',
  to: '2026-11-01T00:00:00.000Z',
  groups: [
    { group: 'autumn_sale', leads: 420, periods: [point('2026-07', 56, 44.6, 10), point('2026-08', 120, 30, 25), point('2026-09', 0, null, null), point('2026-10', 244, 12, 60)] },
    { group: null, leads: 40, periods: [point('2026-07', 10, 50, 0), point('2026-08', 10, 50, 10), point('2026-09', 10, 60, 0), point('2026-10', 10, 55, 5)] },
  ],
}

describe('the trend chart', () => {
  it('is an image with a title and the summary as its description, never a bare drawing', () => {
    render(<TrendView trend={TREND} />)
    const chart = screen.getByRole('img')
    expect(chart.localName).toBe('svg')
    expect(chart.querySelector('title')?.textContent).toBe('Qualified % by period for the biggest groups by UTM campaign (UTC)')
    const description = document.getElementById(chart.getAttribute('aria-describedby')!)
    expect(description?.textContent).toContain('Biggest fall: autumn_sale, qualified from 44.6 % to 12 %.')
    // Each point says its value on hover and to screen readers.
    expect(Array.from(chart.querySelectorAll('circle title')).map((t) => t.textContent)).toContain('autumn_sale, 2026-10: 12 % (244)')
  })

  it('shows the same numbers as a table', () => {
    render(<TrendView trend={TREND} />)
    fireEvent.click(screen.getByRole('button', { name: 'Table' }))
    expect(screen.getByRole('button', { name: 'Table' }).getAttribute('aria-pressed')).toBe('true')
    expect(screen.queryByRole('img')).toBeNull()
    const table = screen.getByRole('table')
    const rows = within(table).getAllByRole('row').slice(1)
    expect(rows).toHaveLength(8)
    expect(rows.map((r) => Array.from(r.querySelectorAll('td')).map((c) => c.textContent))[0]).toEqual(['2026-07', '56', '44.6 %', '10 %'])
    expect(rows.map((r) => Array.from(r.querySelectorAll('td')).map((c) => c.textContent))[2]).toEqual(['2026-09', '0', '—', '—'])
    expect(within(table).getByRole('rowheader', { name: '(not set)' })).toBeTruthy()
    // The text alternative stays under the table too.
    expect(screen.getByText('Biggest fall: autumn_sale, qualified from 44.6 % to 12 %.')).toBeTruthy()
  })

  it('switches to junk % and says which group got worse', () => {
    render(<TrendView trend={TREND} />)
    fireEvent.click(screen.getByRole('button', { name: 'Junk %' }))
    expect(screen.getByText('Biggest rise: autumn_sale, junk from 10 % to 60 %.')).toBeTruthy()
  })

  it('says there is no trend yet instead of drawing an empty chart', () => {
    render(<TrendView trend={{ ...TREND, groups: [] }} />)
    expect(screen.getByText('Not enough leads for a trend yet.')).toBeTruthy()
    expect(screen.queryByRole('img')).toBeNull()
  })
})

describe('trendSummary', () => {
  it('names each group’s first and last period, in Russian too', () => {
    expect(trendSummary(TREND, 'qualifiedPercent', STRINGS.ru, 'ru')).toEqual([
      'Сильнее всего упало: autumn_sale, квалифицированные с 44,6 % до 12 %.',
      'autumn_sale: квалифицированные 44,6 % (2026-07) → 12 % (2026-10).',
      '(не задано): квалифицированные 50 % (2026-07) → 55 % (2026-10).',
    ])
  })
})

describe('linePath', () => {
  it('breaks the line at a period without leads rather than drawing it at 0 %', () => {
    const d = linePath([44.6, 30, null, 12])
    expect(d.match(/M/g)).toHaveLength(2)
    expect(d.match(/L/g)).toHaveLength(1)
  })
})
