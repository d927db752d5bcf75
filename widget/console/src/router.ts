// Hash routing: `#/leads?status=new`, `#/leads/<id>`, `#/report`, `#/deliveries`, `#/settings`, `#/embed`, `#/team`,
// `#/sites` and `#/sites/new` (the operator's list of sites and the new-site wizard),
// `#/chatbot` (the flow editor, a lazy chunk), `#/targets` (where leads go, and test leads), and the guard a page with unsaved changes sets against leaving. The hash never
// reaches the server, so both runtimes serve the console as the plain files it is (one index.html,
// no fallback rule), and the filters in it can be bookmarked and linked from the report.
import { useEffect, useRef, useState } from 'preact/hooks'

export type Page = 'leads' | 'lead' | 'report' | 'deliveries' | 'settings' | 'embed' | 'team' | 'sites' | 'chatbot' | 'targets'

const PAGES: readonly string[] = ['report', 'deliveries', 'settings', 'embed', 'team', 'sites', 'chatbot', 'targets']

export interface Route {
  page: Page
  /** The lead id on the lead page; 'new' on `#/sites/new`. */
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
  if (first === 'sites' && second === 'new') return { page: 'sites', id: 'new', params }
  if (first !== undefined && PAGES.includes(first)) return { page: first as Page, id: null, params }
  return { page: 'leads', id: null, params }
}

/**
 * The hash of a page with its parameters (empty values left out).
 * @example
 * hrefOf('leads', { site: 'shop', status: 'junk' }) // → '#/leads?site=shop&status=junk'
 */
export function hrefOf(page: Exclude<Page, 'lead'> | `leads/${string}` | 'sites/new', params: Record<string, string | undefined> | URLSearchParams = {}): string {
  const search = new URLSearchParams()
  const entries = params instanceof URLSearchParams ? [...params] : Object.entries(params)
  for (const [key, value] of entries) if (value !== undefined && value !== '') search.set(key, value)
  const query = search.toString()
  return `#/${page}${query === '' ? '' : `?${query}`}`
}

/** Each mounted useLeaveGuard's message of the moment (null while its form is saved). */
const guards = new Set<() => string | null>()

/** Whether to leave the current page: asked once, with the first unsaved form's message. */
function mayLeave(): boolean {
  for (const unsaved of guards) {
    const message = unsaved()
    if (message !== null) return confirm(message)
  }
  return true
}

/**
 * While `message` is not null, leaving asks first: another page of the console (the hash changes;
 * "stay" puts the old hash back) with `confirm(message)`, a reload or closing the tab with the
 * browser's own beforeunload prompt.
 */
export function useLeaveGuard(message: string | null): void {
  // Read at the moment of leaving, not from an effect: Preact runs effects after the next paint,
  // so a click right after "Saved." would still meet the guard of the unsaved form.
  const current = useRef(message)
  current.current = message
  useEffect(() => {
    const unsaved = () => current.current
    const beforeUnload = (event: BeforeUnloadEvent) => {
      if (current.current === null) return
      event.preventDefault()
      // Older browsers show the prompt only when returnValue is set.
      event.returnValue = ''
    }
    guards.add(unsaved)
    addEventListener('beforeunload', beforeUnload)
    return () => {
      guards.delete(unsaved)
      removeEventListener('beforeunload', beforeUnload)
    }
  }, [])
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseHash(location.hash))
  useEffect(() => {
    let current = location.hash
    const update = () => {
      if (location.hash !== current && !mayLeave()) {
        // Stay: the address goes back to this page without another hashchange.
        history.replaceState(history.state, '', current === '' ? location.pathname + location.search : current)
        return
      }
      current = location.hash
      setRoute(parseHash(current))
    }
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
