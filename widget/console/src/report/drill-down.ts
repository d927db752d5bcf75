// Which inbox filters show the leads behind a cell of the source-quality report. The report counts
// lifecycle columns over stored leads (spam included) and temperatures and repeats over accepted
// ones, so each link asks for the same set the number counts.
import type { JunkReason } from '../../../../shared/schemas/lead-status'
import type { StatsGroupBy, StatsRow } from '../api-types'

export type ReportColumn = 'submissions' | 'accepted' | 'spam' | 'repeat' | 'hot' | 'warm' | 'cold' | 'qualified' | 'won' | 'junk' | `junk:${JunkReason}` | 'firstAction'

/**
 * The inbox parameters for the group's leads, or null when the inbox cannot filter for it: a row
 * without a value (no UTM tags) has no "is empty" filter to ask with, and neither has a campaign
 * row with a missing half ("yandex / (none)"): leaving that half out would count more leads.
 */
export function groupFilter(by: StatsGroupBy, group: string | null): Record<string, string> | null {
  if (group === null) return null
  switch (by) {
    case 'utm_source':
      return { utmSource: group }
    case 'utm_campaign':
      return { campaign: group }
    case 'source_type':
      return { source: group }
    case 'page':
      return { page: group }
    case 'campaign': {
      // "yandex / spring"; a missing half is "(none)" (worker/src/storage/sql-stats-store.ts).
      const at = group.indexOf(' / ')
      if (at === -1) return null
      const source = group.slice(0, at)
      const campaign = group.slice(at + 3)
      return source === '(none)' || campaign === '(none)' ? null : { utmSource: source, campaign }
    }
  }
}

const COLUMN_FILTERS: Record<Exclude<ReportColumn, `junk:${string}`>, Record<string, string>> = {
  submissions: {},
  accepted: { spam: 'false' },
  spam: { spam: 'true' },
  repeat: { duplicate: 'true', spam: 'false' },
  hot: { temperature: 'hot', spam: 'false' },
  warm: { temperature: 'warm', spam: 'false' },
  cold: { temperature: 'cold', spam: 'false' },
  qualified: { status: 'qualified,won' },
  won: { status: 'won' },
  junk: { status: 'junk' },
  firstAction: {},
}

/**
 * @example
 * drillDown('utm_campaign', { group: 'spring' } as StatsRow, 'hot', { site: 'shop', from, to })
 * // → { site: 'shop', from, to, campaign: 'spring', temperature: 'hot', spam: 'false' }
 */
export function drillDown(by: StatsGroupBy, row: Pick<StatsRow, 'group'>, column: ReportColumn, range: { site: string; from: string; to: string }): Record<string, string> | null {
  const group = groupFilter(by, row.group)
  if (group === null) return null
  // "junk:wrong_number": the junk leads with that reason (the status too, so the inbox's status
  // filter says junk and its reason filter shows).
  const extra = column.startsWith('junk:') ? { status: 'junk', junkReason: column.slice(5) } : COLUMN_FILTERS[column as keyof typeof COLUMN_FILTERS]
  return { site: range.site, from: range.from, to: range.to, ...group, ...extra }
}
