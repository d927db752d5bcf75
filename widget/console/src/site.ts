// The site a page works on, the sites the operator may switch between (GET /v1/admin/sites), and
// a site's managers (from GET /v1/admin/sites/:site, which a site token may read for its own site):
// the manager filter, "Take it as" and names in the history need them.
import { useEffect, useState } from 'preact/hooks'
import type { ConsoleScope } from '../../../shared/console-api'
import type { Manager } from '../../../shared/schemas/routing'
import type { ApiClient } from './api'
import type { SiteList, SiteView } from './api-types'

/** A site token's own site; the operator's choice from the hash ('' for all sites). */
export function siteOf(scope: ConsoleScope, params: URLSearchParams): string {
  return scope.kind === 'site' ? scope.site : (params.get('site') ?? '')
}

const cache = new Map<string, Manager[]>()
// The hooks showing a site's managers, told when that site's config was written (Team, Settings,
// a restored version), so the Inbox's filter and "Take it as" never lag a saved team.
const readers = new Set<(site: string) => void>()

/** Forgotten at sign-out: another token may see another routing. */
export function forgetSites(): void {
  cache.clear()
}

/**
 * The site whose config a change to `path` may have rewritten: a PUT or PATCH of the site itself
 * or a version's restore (not its tokens, test leads or spend).
 * @example
 * siteWrittenBy('/v1/admin/sites/shop/versions/3/restore') // → 'shop'
 */
export function siteWrittenBy(path: string): string | null {
  const match = /^\/v1\/admin\/sites\/([^/?]+)(?:\/versions\/\d+\/restore)?$/.exec(path)
  return match?.[1] ? decodeURIComponent(match[1]) : null
}

/** ApiClientOptions.onChanged: drops what is kept of a rewritten site and has its readers ask again. */
export function noteChange(path: string): void {
  const site = siteWrittenBy(path)
  if (site === null) return
  cache.delete(site)
  for (const read of readers) read(site)
}

export function useManagers(api: ApiClient, site: string): Manager[] {
  const [managers, setManagers] = useState<Manager[]>(() => cache.get(site) ?? [])
  const [generation, setGeneration] = useState(0)
  useEffect(() => {
    const reread = (written: string) => written === site && setGeneration((n) => n + 1)
    readers.add(reread)
    return () => void readers.delete(reread)
  }, [site])
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
  }, [api, site, generation])
  return managers
}

/** The site keys in order, or why there are none: 'error' falls back to typing a key. */
export type SiteListState = { state: 'loading' } | { state: 'ok'; sites: string[] } | { state: 'error' }

/** Asked once per signed-in console (only when `enabled`: the operator's switcher needs it). */
export function useSiteList(api: ApiClient, enabled: boolean): SiteListState {
  const [list, setList] = useState<SiteListState>({ state: 'loading' })
  useEffect(() => {
    if (!enabled) return
    let stale = false
    void api.get<SiteList>('/v1/admin/sites').then((result) => {
      if (stale) return
      const sites = result.ok && Array.isArray(result.value.sites) ? result.value.sites.map((s) => s.site).sort() : null
      setList(sites ? { state: 'ok', sites } : { state: 'error' })
    })
    return () => {
      stale = true
    }
  }, [api, enabled])
  return list
}

/** A manager's name by id, the id itself when the routing no longer has them. */
export function managerName(managers: readonly Manager[], id: string): string {
  return managers.find((m) => m.id === id)?.name ?? id
}
