// The operator's site switcher in the header: a select of the sites GET /v1/admin/sites lists,
// "All sites" first (the inbox across every site). Only when that list cannot be had does it fall
// back to typing a site key, which is checked with GET /v1/admin/sites/:site before it is opened.
import { useState } from 'preact/hooks'
import type { ApiClient } from './api'
import type { SiteView } from './api-types'
import { useStrings } from './i18n'
import { hrefOf, navigate } from './router'
import type { Route } from './router'
import type { SiteListState } from './site'
import { errorText } from './ui'

export interface SiteSwitcherProps {
  api: ApiClient
  route: Route
  list: SiteListState
}

/** The same page for another site; a lead belongs to one site, so from a card it is that site's inbox. */
function goToSite(route: Route, site: string): void {
  const params = new URLSearchParams(route.page === 'lead' ? '' : route.params)
  if (site === '') params.delete('site')
  else params.set('site', site)
  navigate(hrefOf(route.page === 'lead' ? 'leads' : route.page, params))
}

export function SiteSwitcher({ api, route, list }: SiteSwitcherProps) {
  const { t } = useStrings()
  if (list.state === 'error') return <SiteKeyForm api={api} route={route} />
  const current = route.params.get('site') ?? ''
  const known = list.state === 'ok' ? list.sites : []
  // A site in the address that the list does not have (a bookmark, a site made since) still shows.
  const sites = current !== '' && !known.includes(current) ? [...known, current] : known
  return (
    <div class="site-switcher">
      <label for="site-key">{t.site}</label>
      {/* change, as the inbox filters do: the pages follow the address, focus stays here */}
      <select id="site-key" value={current} disabled={list.state === 'loading'} onChange={(e) => goToSite(route, e.currentTarget.value)}>
        <option value="">{t.allSites}</option>
        {sites.map((site) => (
          <option key={site} value={site}>
            {site}
          </option>
        ))}
      </select>
    </div>
  )
}

/** The fallback: a typed key, opened once the site is known to exist. */
function SiteKeyForm({ api, route }: Omit<SiteSwitcherProps, 'list'>) {
  const { t } = useStrings()
  const current = route.params.get('site') ?? ''
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const submit = async (event: Event) => {
    event.preventDefault()
    const value = new FormData(event.currentTarget as HTMLFormElement).get('site')
    const key = typeof value === 'string' ? value.trim().toLowerCase() : ''
    setError(null)
    if (key === '') return goToSite(route, '')
    setBusy(true)
    const result = await api.get<SiteView>(`/v1/admin/sites/${encodeURIComponent(key)}`)
    setBusy(false)
    if (result.ok) return goToSite(route, key)
    setError(result.error.kind === 'http' && (result.error.status === 404 || result.error.status === 400) ? t.noSuchSite(key) : errorText(result.error, t))
  }
  return (
    <form class="site-switcher" onSubmit={submit}>
      <label for="site-key">{t.site}</label>
      <input
        id="site-key"
        name="site"
        type="text"
        placeholder={t.allSites}
        defaultValue={current}
        key={current}
        maxLength={64}
        autocomplete="off"
        spellcheck={false}
        aria-invalid={error !== null}
        aria-describedby={error ? 'site-error' : undefined}
      />
      <button type="submit" class="secondary" disabled={busy}>
        {t.openSite}
      </button>
      {error && (
        <p id="site-error" class="field-error" role="alert">
          {error}
        </p>
      )}
    </form>
  )
}
