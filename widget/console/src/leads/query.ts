// The inbox's filters as they live in the hash (`#/leads?status=junk&period=30`) and as the admin
// API takes them (GET /v1/admin/leads). One list of keys, so a filter the report links to, the
// list, the poll and the CSV export all ask for the same leads.
import type { Query } from '../api'

/** The API's own parameters, passed through as they are. */
export const FILTER_KEYS = ['from', 'to', 'source', 'temperature', 'status', 'junkReason', 'campaign', 'utmSource', 'page', 'spam', 'duplicate', 'manager', 'q'] as const
export type FilterKey = (typeof FILTER_KEYS)[number]

/** `period=7`: the last 7 days, recomputed at every poll so the window slides. */
export const PERIOD_DAYS = [1, 7, 30, 90] as const

const DAY_MS = 24 * 60 * 60 * 1000

/** How many filters are set (the search box and the period count too). */
export function activeFilterCount(params: URLSearchParams): number {
  return FILTER_KEYS.filter((key) => key !== 'to' && params.get(key)).length + (params.get('period') && !params.get('from') ? 1 : 0)
}

/**
 * The API query for the filters in the hash: `from` from an explicit range (a report link) or the
 * chosen period; `site` from the session or the operator's switcher ('' for all sites).
 * @example
 * leadsQuery(new URLSearchParams('period=7&spam=false'), 'shop', Date.parse('2026-11-08T00:00:00Z'))
 * // → { site: 'shop', from: '2026-11-01T00:00:00.000Z', spam: 'false' }
 */
export function leadsQuery(params: URLSearchParams, site: string, now: number = Date.now()): Query {
  const query: Query = { site: site || undefined }
  for (const key of FILTER_KEYS) {
    const value = params.get(key)?.trim()
    if (value) query[key] = value
  }
  const days = Number(params.get('period'))
  if (query.from === undefined && PERIOD_DAYS.includes(days as (typeof PERIOD_DAYS)[number])) {
    query.from = new Date(now - days * DAY_MS).toISOString()
  }
  return query
}

/** The hash parameters with one filter set (or removed when empty); paging restarts. */
export function withFilter(params: URLSearchParams, key: FilterKey | 'period' | 'site', value: string): URLSearchParams {
  const next = new URLSearchParams(params)
  if (value === '') next.delete(key)
  else next.set(key, value)
  // A chosen period replaces a range the report linked to, and the other way round.
  if (key === 'period') {
    next.delete('from')
    next.delete('to')
  }
  // A junk reason asks for junk leads only (the API's junkReason implies status=junk).
  if (key === 'status' && value !== 'junk') next.delete('junkReason')
  return next
}

/** Only the site survives "clear filters". */
export function withoutFilters(params: URLSearchParams): URLSearchParams {
  const next = new URLSearchParams()
  const site = params.get('site')
  if (site) next.set('site', site)
  return next
}
