// The Targets page's stand-in in the console's first load: it fetches the page's chunk (the
// editor, every target type's schema, the test-lead view) on first visit, so the first load stays small.
import type { ComponentType } from 'preact'
import { useEffect, useState } from 'preact/hooks'
import { useStrings } from '../i18n'
import { ErrorNotice } from '../ui'
import type { TargetsPageProps } from './targets-page'

let chunk: Promise<ComponentType<TargetsPageProps>> | null = null

/** One request for the chunk however often the page is opened; a failed one is tried again. */
function loadPage(): Promise<ComponentType<TargetsPageProps>> {
  chunk ??= import('./targets-page').then(
    (module) => module.TargetsPage,
    (error: unknown) => {
      chunk = null
      throw error
    },
  )
  return chunk
}

export function TargetsRoute(props: TargetsPageProps) {
  const { t } = useStrings()
  const [Page, setPage] = useState<ComponentType<TargetsPageProps> | null>(null)
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
        {t.nav.targets} · {props.site}
      </h1>
      {failed ? <ErrorNotice error={{ kind: 'network' }} onRetry={load} /> : <p class="loading">{t.loading}</p>}
    </section>
  )
}
