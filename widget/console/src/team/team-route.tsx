// The Team page's stand-in in the console's first load: it fetches the page's chunk (the routing
// editor and the tokens) on first visit, so the console's first load stays small.
import type { ComponentType } from 'preact'
import { useEffect, useState } from 'preact/hooks'
import { useStrings } from '../i18n'
import { ErrorNotice } from '../ui'
import type { TeamPageProps } from './team-page'

let chunk: Promise<ComponentType<TeamPageProps>> | null = null

/** One request for the chunk however often the page is opened; a failed one is tried again. */
function loadPage(): Promise<ComponentType<TeamPageProps>> {
  chunk ??= import('./team-page').then(
    (module) => module.TeamPage,
    (error: unknown) => {
      chunk = null
      throw error
    },
  )
  return chunk
}

export function TeamRoute(props: TeamPageProps) {
  const { t } = useStrings()
  const [Page, setPage] = useState<ComponentType<TeamPageProps> | null>(null)
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
        {t.nav.team} · {props.site}
      </h1>
      {failed ? <ErrorNotice error={{ kind: 'network' }} onRetry={load} /> : <p class="loading">{t.loading}</p>}
    </section>
  )
}
