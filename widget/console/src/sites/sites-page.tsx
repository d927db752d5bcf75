// Sites: every site the token may see (all for the operator, its own for a site token) with its
// allowed origins, country, language and number of targets, from GET /v1/admin/sites; the
// operator starts the new-site wizard from here.
import { useEffect, useState } from 'preact/hooks'
import type { ApiClient, ApiFailure } from '../api'
import type { SiteList, SiteSummary } from '../api-types'
import { formatDateTime } from '../format'
import { useStrings } from '../i18n'
import { hrefOf } from '../router'
import { ErrorNotice, TableScroll } from '../ui'
import { useSitesStrings } from './strings'

type Load = { state: 'loading' } | { state: 'error'; error: ApiFailure } | { state: 'ready'; sites: SiteSummary[] }

export interface SitesPageProps {
  api: ApiClient
  /** The operator may create sites; a site token only sees its own. */
  canCreate: boolean
}

export function SitesPage({ api, canCreate }: SitesPageProps) {
  const w = useSitesStrings()
  const { locale } = useStrings()
  const [load, setLoad] = useState<Load>({ state: 'loading' })

  const fetchSites = async () => {
    setLoad({ state: 'loading' })
    const result = await api.get<SiteList>('/v1/admin/sites')
    if (!result.ok) return setLoad({ state: 'error', error: result.error })
    setLoad({ state: 'ready', sites: [...result.value.sites].sort((a, b) => a.site.localeCompare(b.site)) })
  }
  useEffect(() => void fetchSites(), [api])

  return (
    <section aria-labelledby="page-title" class="sites">
      <div class="sites-head">
        <h1 id="page-title" tabIndex={-1}>
          {w.title}
        </h1>
        {canCreate && (
          <a class="button" href={hrefOf('sites/new')}>
            {w.newSite}
          </a>
        )}
      </div>
      <p>{w.intro}</p>
      {load.state === 'loading' && <p class="loading">…</p>}
      {load.state === 'error' && <ErrorNotice error={load.error} onRetry={() => void fetchSites()} />}
      {load.state === 'ready' && load.sites.length === 0 && <p class="notice info">{w.empty}</p>}
      {load.state === 'ready' && load.sites.length > 0 && (
        <TableScroll label={w.tableLabel}>
          <table>
            <thead>
              <tr>
                <th scope="col">{w.columns.site}</th>
                <th scope="col">{w.columns.origins}</th>
                <th scope="col">{w.columns.country}</th>
                <th scope="col">{w.columns.locale}</th>
                <th scope="col">{w.columns.targets}</th>
                <th scope="col">{w.columns.updated}</th>
              </tr>
            </thead>
            <tbody>
              {load.sites.map((site) => (
                <tr key={site.site}>
                  <th scope="row">
                    <a href={hrefOf('settings', { site: site.site })}>{site.site}</a>
                  </th>
                  <td>
                    {site.origins.length === 0 ? (
                      w.noOrigins
                    ) : (
                      <ul class="plain">
                        {site.origins.map((origin) => (
                          <li key={origin}>{origin}</li>
                        ))}
                      </ul>
                    )}
                  </td>
                  <td>{site.country}</td>
                  <td>{w.locales[site.locale] ?? site.locale}</td>
                  <td>{site.targets}</td>
                  <td>{formatDateTime(site.updatedAt, locale)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
    </section>
  )
}
