// Hash routing: `#/leads?status=new`, `#/leads/<id>`, `#/report`, `#/deliveries`. The hash never
// reaches the server, so both runtimes serve the console as the plain files it is (one index.html,
// no fallback rule), and the filters in it can be bookmarked and linked from the report.
import { useEffect, useState } from 'preact/hooks'

export type Page = 'leads' | 'lead' | 'report' | 'deliveries'

export interface Route {
  page: Page
  /** The lead id on the lead page. */
  id: string | null
  params: URLSearchParams
}

const LEAD_ID = /^[0-9a-fA-F-]{36}$/

/** Anything the console does not know goes to the inbox, never to a blank page. */
export function parseHash(hash: string): Route {
  const text = hash.replace(/^#\/?/, '')
  const q = text.indexOf('?')
  const path = (q === -1 ? text : text.slice(0, q)).split('/').filter(Boolean)
  const params = new URLSearchParams(q === -1 ? '' : text.slice(q + 1))
  const [first, second] = path
  if (first === 'leads' && second !== undefined && LEAD_ID.test(second)) return { page: 'lead', id: second.toLowerCase(), params }
  if (first === 'report' || first === 'deliveries') return { page: first, id: null, params }
  return { page: 'leads', id: null, params }
}

/**
 * The hash of a page with its parameters (empty values left out).
 * @example
 * hrefOf('leads', { site: 'shop', status: 'junk' }) // → '#/leads?site=shop&status=junk'
 */
export function hrefOf(page: Exclude<Page, 'lead'> | `leads/${string}`, params: Record<string, string | undefined> | URLSearchParams = {}): string {
  const search = new URLSearchParams()
  const entries = params instanceof URLSearchParams ? [...params] : Object.entries(params)
  for (const [key, value] of entries) if (value !== undefined && value !== '') search.set(key, value)
  const query = search.toString()
  return `#/${page}${query === '' ? '' : `?${query}`}`
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseHash(location.hash))
  useEffect(() => {
    const update = () => setRoute(parseHash(location.hash))
    addEventListener('hashchange', update)
    return () => removeEventListener('hashchange', update)
  }, [])
  return route
}

/** Changes the hash; `replace` keeps filter tweaks out of the back button's way. */
export function navigate(href: string, { replace = false } = {}): void {
  if (replace) {
    history.replaceState(history.state, '', href)
    dispatchEvent(new HashChangeEvent('hashchange'))
  } else location.hash = href.replace(/^#/, '')
}
