// Speed to lead over hand-made leads: medians and p90 by nearest rank, the SLA share over decided
// leads only, per manager, source and hour in the site's time zone.
import { describe, expect, it } from 'vitest'
import { speedToLead, type SpeedRow } from './speed-to-lead'

const MIN = 60_000
// 2026-12-01 06:30 UTC = 09:30 in Moscow.
const T = Date.UTC(2026, 11, 1, 6, 30)
const row = (createdAt: number, waitMin: number | null, extra: Partial<SpeedRow> = {}): SpeedRow => ({
  createdAt,
  firstActionAt: waitMin === null ? null : createdAt + waitMin * MIN,
  temperature: 'hot',
  managerId: 'olga',
  source: 'callback',
  ...extra,
})

describe('speedToLead', () => {
  const sla = { hot: 5, warm: 15, cold: 60 }
  const rows = [
    row(T, 1),
    row(T, 3),
    row(T, 8), // late for hot (5 min)
    row(T, 10, { temperature: 'cold', managerId: 'pavel', source: 'chat' }), // in time for cold
    row(T + 3 * 60 * MIN, null, { managerId: null }), // unanswered, 2 h old at `now`: a breach
    row(T + 5 * 60 * MIN - 2 * MIN, null, { managerId: null, source: 'form' }), // unanswered, 2 min old: not decided yet
  ]
  const now = T + 5 * 60 * MIN
  const result = speedToLead(rows, { sla, timeZone: 'Europe/Moscow', now })

  it('gives the median and p90 of the answered, and the share within the SLA of the decided', () => {
    expect(result).toMatchObject({ leads: 6, answered: 4, medianMs: 3 * MIN, p90Ms: 10 * MIN })
    // 3 in time (1, 3 and the cold 10) of 5 decided (4 answered + the old unanswered one).
    expect(result.withinSla).toEqual({ decided: 5, within: 3, percent: 60 })
  })

  it('splits by manager, source and hour of arrival in the site time zone', () => {
    expect(result.byManager.map((m) => [m.managerId, m.leads, m.medianMs])).toEqual([
      ['olga', 3, 3 * MIN],
      [null, 2, null],
      ['pavel', 1, 10 * MIN],
    ])
    expect(result.bySource.map((s) => [s.source, s.leads, s.withinSla?.percent])).toEqual([
      ['callback', 4, 50],
      ['chat', 1, 100],
      ['form', 1, 0],
    ])
    expect(result.byHour).toHaveLength(24)
    expect(result.byHour[9]).toMatchObject({ hour: 9, leads: 4, answered: 4 })
    expect(result.byHour[12]).toMatchObject({ leads: 1, answered: 0 })
    expect(result.byHour[14]).toMatchObject({ leads: 1 })
  })

  it('has no SLA share without an SLA, and nothing for no leads', () => {
    expect(speedToLead(rows, { sla: null, timeZone: 'UTC', now }).withinSla).toBeNull()
    expect(speedToLead([], { sla, timeZone: 'UTC', now })).toMatchObject({ leads: 0, answered: 0, medianMs: null, p90Ms: null, withinSla: { decided: 0, within: 0, percent: 0 } })
  })
})
