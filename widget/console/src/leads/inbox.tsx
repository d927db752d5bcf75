// The leads inbox: newest first, live (new leads appear at the top and are announced), filters in
// the hash, search, cursor paging and a CSV export of exactly what the filters show.
import { useEffect, useRef, useState } from 'preact/hooks'
import type { ConsoleScope } from '../../../../shared/console-api'
import type { Manager } from '../../../../shared/schemas/routing'
import type { ApiClient, ApiFailure } from '../api'
import { urlOf } from '../api'
import type { LeadPage, LeadView } from '../api-types'
import { useStrings } from '../i18n'
import { hrefOf, navigate } from '../router'
import { ErrorNotice } from '../ui'
import { Filters } from './filters'
import { LeadRow } from './lead-row'
import { mergeFresh, usePolling } from './poll'
import type { PollOptions } from './poll'
import { activeFilterCount, leadsQuery, withFilter, withoutFilters } from './query'
import type { FilterKey } from './query'

export const PAGE_SIZE = 50

/** The inbox's hash, for the card's way back to the same filters. */
let lastInboxHash = '#/leads'
export function inboxHref(): string {
  return lastInboxHash
}

export interface InboxProps {
  api: ApiClient
  scope: ConsoleScope
  site: string
  params: URLSearchParams
  managers: readonly Manager[]
  poll?: PollOptions
}

export function Inbox({ api, scope, site, params, managers, poll }: InboxProps) {
  const { t } = useStrings()
  const [leads, setLeads] = useState<LeadView[] | null>(null)
  const [cursor, setCursor] = useState<string | null>(null)
  const [error, setError] = useState<ApiFailure | null>(null)
  const [moreError, setMoreError] = useState<ApiFailure | null>(null)
  const [loadingMore, setLoadingMore] = useState(false)
  const [announcement, setAnnouncement] = useState('')
  const [fresh, setFresh] = useState<ReadonlySet<string>>(new Set())
  const [filtersOpen, setFiltersOpen] = useState(false)
  const current = useRef<LeadView[] | null>(null)
  const key = `${site}|${params.toString()}`
  const keyNow = useRef(key)
  keyNow.current = key

  useEffect(() => {
    lastInboxHash = hrefOf('leads', params)
    // Other filters: another list. Until it comes, the old one must not be shown under them.
    current.current = null
    setLeads(null)
    setCursor(null)
    setError(null)
    setFresh(new Set())
    setAnnouncement('')
  }, [key])

  const state = usePolling(
    async () => {
      const asked = key
      const result = await api.get<LeadPage>('/v1/admin/leads', { ...leadsQuery(params, site), limit: String(PAGE_SIZE) })
      // The filters changed while it was on its way: this answer is for a list no longer shown.
      if (asked !== keyNow.current) return true
      if (!result.ok) {
        // The first load shows its error in place of the list; a failed poll keeps the list.
        if (current.current === null) setError(result.error)
        return false
      }
      setError(null)
      const before = current.current
      if (before === null) {
        current.current = result.value.leads
        setLeads(result.value.leads)
        setCursor(result.value.nextCursor)
        return true
      }
      const { leads: merged, added } = mergeFresh(before, result.value.leads)
      current.current = merged
      setLeads(merged)
      if (before.length === 0) setCursor(result.value.nextCursor)
      if (added.length > 0) {
        setFresh(new Set(added.map((lead) => lead.id)))
        setAnnouncement(t.newLeads(added.length))
      }
      return true
    },
    key,
    poll,
  )

  const loadMore = async () => {
    if (cursor === null) return
    setLoadingMore(true)
    setMoreError(null)
    const result = await api.get<LeadPage>('/v1/admin/leads', { ...leadsQuery(params, site), limit: String(PAGE_SIZE), cursor })
    setLoadingMore(false)
    if (!result.ok) return setMoreError(result.error)
    const known = new Set((current.current ?? []).map((lead) => lead.id))
    const next = [...(current.current ?? []), ...result.value.leads.filter((lead) => !known.has(lead.id))]
    current.current = next
    setLeads(next)
    setCursor(result.value.nextCursor)
  }

  const change = (key: FilterKey | 'period', value: string) => navigate(hrefOf('leads', withFilter(params, key, value)), { replace: true })
  const search = (event: Event) => {
    event.preventDefault()
    const value = new FormData(event.currentTarget as HTMLFormElement).get('q')
    change('q', typeof value === 'string' ? value.trim() : '')
  }
  const active = activeFilterCount(params) - (params.get('q') ? 1 : 0)
  const csv = urlOf('/v1/admin/leads', { ...leadsQuery(params, site), format: 'csv' })
  const retryIn = state.nextAt === null ? 0 : Math.max(1, Math.round((state.nextAt - Date.now()) / 1000))

  return (
    <section class="inbox" aria-labelledby="page-title">
      <h1 id="page-title" tabIndex={-1}>
        {t.leadsTitle}
      </h1>
      <form role="search" class="search" onSubmit={search}>
        <label for="q" class="sr-only">
          {t.searchLabel}
        </label>
        <input id="q" name="q" type="search" placeholder={t.searchLabel} defaultValue={params.get('q') ?? ''} key={params.get('q') ?? ''} maxLength={200} autocomplete="off" />
        <button type="submit">{t.search}</button>
      </form>
      <div class="toolbar">
        <button type="button" class="secondary filters-toggle" aria-expanded={filtersOpen} aria-controls="filters-panel" onClick={() => setFiltersOpen(!filtersOpen)}>
          {t.filters}
          {active > 0 ? ` (${active})` : ''}
        </button>
        <a class="button secondary" href={csv} download title={t.exportCsvHint}>
          {t.exportCsv}
        </a>
        <p class="live-state" role="status">
          {state.failures > 0 ? t.pollFailed(retryIn) : t.live}
        </p>
      </div>
      <div id="filters-panel" class={`filters-panel${filtersOpen ? ' open' : ''}`}>
        <Filters params={params} managers={managers} onChange={change} />
        {active > 0 && (
          <button type="button" class="link" onClick={() => navigate(hrefOf('leads', withoutFilters(params)), { replace: true })}>
            {t.clearFilters}
          </button>
        )}
      </div>
      <p class="sr-only" aria-live="polite" aria-atomic="true">
        {announcement}
      </p>
      {error && leads === null && <ErrorNotice error={error} />}
      {leads === null && !error && <p class="loading">{t.loading}</p>}
      {leads !== null && leads.length === 0 && <p class="empty">{t.noLeads}</p>}
      {leads !== null && leads.length > 0 && (
        <ul class="lead-list" aria-label={t.leadList}>
          {leads.map((lead) => (
            <li key={lead.id}>
              <LeadRow lead={lead} showSite={scope.kind === 'operator' && site === ''} keepSite={scope.kind === 'operator'} fresh={fresh.has(lead.id)} />
            </li>
          ))}
        </ul>
      )}
      {moreError && <ErrorNotice error={moreError} onRetry={loadMore} />}
      {cursor !== null && leads !== null && (
        <button type="button" class="secondary more" onClick={loadMore} disabled={loadingMore}>
          {loadingMore ? t.loading : t.more}
        </button>
      )}
    </section>
  )
}
