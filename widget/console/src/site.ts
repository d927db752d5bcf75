// The site a page works on, and its managers (from GET /v1/admin/sites/:site, which a site token
// may read for its own site): the manager filter, "Take it as" and names in the history need them.
import { useEffect, useState } from 'preact/hooks'
import type { ConsoleScope } from '../../../shared/console-api'
import type { Manager } from '../../../shared/schemas/routing'
import type { ApiClient } from './api'
import type { SiteView } from './api-types'

/** A site token's own site; the operator's choice from the hash ('' for all sites). */
export function siteOf(scope: ConsoleScope, params: URLSearchParams): string {
  return scope.kind === 'site' ? scope.site : (params.get('site') ?? '')
}

const cache = new Map<string, Manager[]>()

/** Forgotten at sign-out: another token may see another routing. */
export function forgetSites(): void {
  cache.clear()
}

export function useManagers(api: ApiClient, site: string): Manager[] {
  const [managers, setManagers] = useState<Manager[]>(() => cache.get(site) ?? [])
  useEffect(() => {
    if (site === '') return setManagers([])
    const known = cache.get(site)
    if (known) return setManagers(known)
    let stale = false
    void api.get<SiteView>(`/v1/admin/sites/${encodeURIComponent(site)}`).then((result) => {
      const list = result.ok ? (result.value.config.routing?.managers ?? []) : []
      if (result.ok) cache.set(site, list)
      if (!stale) setManagers(list)
    })
    return () => {
      stale = true
    }
  }, [api, site])
  return managers
}

/** A manager's name by id, the id itself when the routing no longer has them. */
export function managerName(managers: readonly Manager[], id: string): string {
  return managers.find((m) => m.id === id)?.name ?? id
}
