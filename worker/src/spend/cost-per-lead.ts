// Cost per lead, per qualified and per won lead for the report's rows (issue 16): the campaign's
// spend over the report's days, matched to its rows by UTM source, campaign, or both.
import type { SpendTotal, StatsGroupBy } from '../storage/types'

export interface RowSpend {
  currency: string
  /** In major units, to the cent. */
  cost: number
  /** `cost` over the accepted leads, the qualified (or won) ones and the won ones; null when there are none. */
  perLead: number | null
  perQualified: number | null
  perWon: number | null
}

/** The report groups spend can be matched to; page and lead-source rows have none. */
export function spendGroupOf(by: StatsGroupBy, total: SpendTotal): string | null {
  if (by === 'utm_source') return total.utmSource
  if (by === 'utm_campaign') return total.utmCampaign
  if (by === 'campaign') return `${total.utmSource} / ${total.utmCampaign}`
  return null
}

const money = (minor: number) => Math.round(minor) / 100
const per = (minor: number, count: number) => (count === 0 ? null : Math.round(minor / count) / 100)

/** Per report group, one entry per currency spent in (usually one). */
export function costPerLead(by: StatsGroupBy, totals: readonly SpendTotal[]): (group: string | null, counts: { accepted: number; qualified: number; won: number }) => RowSpend[] {
  const byGroup = new Map<string, Map<string, number>>()
  for (const total of totals) {
    const group = spendGroupOf(by, total)
    if (group === null) continue
    const currencies = byGroup.get(group) ?? new Map<string, number>()
    currencies.set(total.currency, (currencies.get(total.currency) ?? 0) + total.costMinor)
    byGroup.set(group, currencies)
  }
  return (group, { accepted, qualified, won }) => {
    const currencies = group === null ? undefined : byGroup.get(group)
    if (!currencies) return []
    return [...currencies]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([currency, minor]) => ({
        currency,
        cost: money(minor),
        perLead: per(minor, accepted),
        perQualified: per(minor, qualified),
        perWon: per(minor, won),
      }))
  }
}

/** Spend on campaigns the report has no row for (no lead came from them): still money spent. */
export function unmatchedSpend(by: StatsGroupBy, totals: readonly SpendTotal[], groups: ReadonlySet<string | null>): { group: string; currency: string; cost: number }[] {
  const out = new Map<string, { group: string; currency: string; minor: number }>()
  for (const total of totals) {
    const group = spendGroupOf(by, total)
    if (group === null || groups.has(group)) continue
    const key = `${group}\u0000${total.currency}`
    const entry = out.get(key) ?? { group, currency: total.currency, minor: 0 }
    entry.minor += total.costMinor
    out.set(key, entry)
  }
  return [...out.values()].map(({ group, currency, minor }) => ({ group, currency, cost: money(minor) }))
}
