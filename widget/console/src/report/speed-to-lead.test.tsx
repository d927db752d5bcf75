// The report's speed-to-lead section: the summary line, and one table each by manager, source and
// hour, with the SLA share where the site has an SLA.
import { cleanup, render, screen, within } from '@testing-library/preact'
import { afterEach, describe, expect, it } from 'vitest'
import type { SpeedFigures, SpeedToLeadReport } from '../api-types'
import { renderIn } from '../testing'
import { SpeedToLead } from './speed-to-lead'

afterEach(cleanup)

const MIN = 60_000
const figures = (leads: number, answered: number, medianMs: number | null, within: number | null): SpeedFigures => ({
  leads,
  answered,
  medianMs,
  p90Ms: medianMs === null ? null : medianMs * 3,
  withinSla: within === null ? null : { decided: leads, within, percent: Math.round((1000 * within) / leads) / 10 },
})

const SPEED: SpeedToLeadReport = {
  ...figures(5, 4, 2 * MIN, 3),
  byManager: [
    { managerId: 'olga', ...figures(3, 3, MIN, 3) },
    { managerId: null, ...figures(2, 1, 12 * MIN, 0) },
  ],
  bySource: [{ source: 'callback', ...figures(5, 4, 2 * MIN, 3) }],
  byHour: Array.from({ length: 24 }, (_, hour) => ({ hour, ...(hour === 9 ? figures(5, 4, 2 * MIN, 3) : figures(0, 0, null, 0)) })),
  timeZone: 'Europe/Moscow',
  truncated: false,
}

describe('speed to lead', () => {
  it('sums it up and splits it by manager, source and hour, only hours with leads', () => {
    render(<SpeedToLead speed={SPEED} />)
    expect(screen.getByRole('heading', { name: 'Speed to lead' })).toBeTruthy()
    expect(screen.getByText(/4 of 5 leads got a first action/).textContent).toContain('Within the SLA: 60 % (3 / 5)')
    const byManager = screen.getByRole('table', { name: 'By manager' })
    const olga = within(byManager).getByRole('rowheader', { name: 'olga' }).closest('tr')!
    expect([...olga.querySelectorAll('td')].map((td) => td.textContent)).toEqual(['3', '3', '1 min', '3 min', '100 %'])
    expect(within(byManager).getByRole('rowheader', { name: 'Not assigned' })).toBeTruthy()
    expect(within(screen.getByRole('table', { name: 'By source' })).getByRole('rowheader', { name: 'Call back' })).toBeTruthy()
    const hours = within(screen.getByRole('table', { name: 'By hour the lead came in (Europe/Moscow)' })).getAllByRole('rowheader')
    expect(hours.map((h) => h.textContent)).toEqual(['09:00'])
  })

  it('says so when the site has no SLA, in Russian too', () => {
    const noSla = { ...SPEED, withinSla: null, byManager: [], bySource: [], byHour: [] }
    renderIn('ru', <SpeedToLead speed={noSla} />)
    expect(screen.getByText(/Для сайта не задан SLA/)).toBeTruthy()
  })
})
