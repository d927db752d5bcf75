// A page's stand-in in the console's first load: it fetches the page's chunk on first visit, so
// the first load stays small, and shows the page's heading, a loading line or a retry meanwhile.
import type { ComponentType } from 'preact'
import { useEffect, useState } from 'preact/hooks'
import type { Strings } from './i18n'
import { useStrings } from './i18n'
import { ErrorNotice } from './ui'

/**
 * @param importPage the page's dynamic import (one per route file, so each page is its own chunk)
 * @param title the page's name in the heading while it loads
 */
export function lazyPage<P extends { site: string }>(importPage: () => Promise<ComponentType<P>>, title: (t: Strings) => string): ComponentType<P> {
  let chunk: Promise<ComponentType<P>> | null = null
  /** One request for the chunk however often the page is opened; a failed one is tried again. */
  const loadPage = (): Promise<ComponentType<P>> => {
    chunk ??= importPage().catch((error: unknown) => {
      chunk = null
      throw error
    })
    return chunk
  }
  return function LazyPage(props: P) {
    const { t } = useStrings()
    const [Page, setPage] = useState<ComponentType<P> | null>(null)
    const [failed, setFailed] = useState(false)
    const load = () => {
      setFailed(false)
      loadPage().then(
        (page) => setPage(() => page),
        () => setFailed(true),
      )
    }
    useEffect(load, [])
    if (Page) return <Page {...props} />
    return (
      <section aria-labelledby="page-title">
        <h1 id="page-title" tabIndex={-1}>
          {title(t)} · {props.site}
        </h1>
        {failed ? <ErrorNotice error={{ kind: 'network' }} onRetry={load} /> : <p class="loading">{t.loading}</p>}
      </section>
    )
  }
}
