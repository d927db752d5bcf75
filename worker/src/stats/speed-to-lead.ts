// Speed to lead (issue 16): the time from a lead to its first manager action (taken, status
// changed, or a call answered by a manager once auto-dial records it), overall, per manager, per
// source and per hour of day in the site's time zone, and the share answered within the SLA.
import type { LeadSource } from '../../../shared/schemas/lead'
import type { Temperature } from '../../../shared/score'

export interface SpeedRow {
  createdAt: number
  /** null: nobody has acted on it yet. */
  firstActionAt: number | null
  temperature: Temperature
  managerId: string | null
  source: LeadSource
}

/** Minutes per temperature a lead may wait (routing.sla.minutes); null when the site has no SLA. */
export type SlaMinutes = Record<Temperature, number> | null

export interface SpeedFigures {
  /** Leads in the range (spam caught at ingest left out: nobody should act on it). */
  leads: number
  /** Of them, acted on. */
  answered: number
  medianMs: number | null
  p90Ms: number | null
  /**
   * Answered within the SLA over the leads whose SLA is decided: answered (in time or late) or
   * unanswered past it. Null without an SLA.
   */
  withinSla: { decided: number; within: number; percent: number } | null
}

export interface SpeedToLead extends SpeedFigures {
  byManager: (SpeedFigures & { managerId: string | null })[]
  bySource: (SpeedFigures & { source: LeadSource })[]
  /** 24 entries, hour 0–23 of the lead's arrival in `timeZone`. */
  byHour: (SpeedFigures & { hour: number })[]
  timeZone: string
}

function quantile(sorted: number[], q: number): number | null {
  if (sorted.length === 0) return null
  // Nearest rank: a real lead's time, never an interpolation between two.
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!
}

function figures(rows: readonly SpeedRow[], sla: SlaMinutes, now: number): SpeedFigures {
  const times = rows.flatMap((r) => (r.firstActionAt === null ? [] : [Math.max(0, r.firstActionAt - r.createdAt)])).sort((a, b) => a - b)
  let decided = 0
  let within = 0
  if (sla) {
    for (const r of rows) {
      const limit = sla[r.temperature] * 60_000
      if (r.firstActionAt !== null) {
        decided++
        if (r.firstActionAt - r.createdAt <= limit) within++
      } else if (now - r.createdAt > limit) decided++
    }
  }
  return {
    leads: rows.length,
    answered: times.length,
    medianMs: quantile(times, 0.5),
    p90Ms: quantile(times, 0.9),
    withinSla: sla ? { decided, within, percent: decided === 0 ? 0 : Math.round((1000 * within) / decided) / 10 } : null,
  }
}

function groupBy<K>(rows: readonly SpeedRow[], key: (row: SpeedRow) => K): Map<K, SpeedRow[]> {
  const groups = new Map<K, SpeedRow[]>()
  for (const row of rows) {
    const k = key(row)
    const list = groups.get(k)
    if (list) list.push(row)
    else groups.set(k, [row])
  }
  return groups
}

export function speedToLead(rows: readonly SpeedRow[], { sla, timeZone, now }: { sla: SlaMinutes; timeZone: string; now: number }): SpeedToLead {
  const hourOf = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', hourCycle: 'h23' })
  const byHour = groupBy(rows, (r) => Number(hourOf.format(r.createdAt)) % 24)
  return {
    ...figures(rows, sla, now),
    byManager: [...groupBy(rows, (r) => r.managerId)]
      .map(([managerId, list]) => ({ managerId, ...figures(list, sla, now) }))
      .sort((a, b) => b.leads - a.leads || (a.managerId ?? '\uffff').localeCompare(b.managerId ?? '\uffff')),
    bySource: [...groupBy(rows, (r) => r.source)]
      .map(([source, list]) => ({ source, ...figures(list, sla, now) }))
      .sort((a, b) => b.leads - a.leads || a.source.localeCompare(b.source)),
    byHour: Array.from({ length: 24 }, (_, hour) => ({ hour, ...figures(byHour.get(hour) ?? [], sla, now) })),
    timeZone,
  }
}
