// `#/sites/new`: loads the wizard on demand. It checks drafts with the API's whole SiteConfigSchema
// and carries the targets editor, which would weigh on every console's first load otherwise.
import { useEffect, useState } from 'preact/hooks'
import type { ApiClient } from '../api'
import { useStrings } from '../i18n'
import { useSitesStrings } from './strings'
import type { NewSiteWizard } from './wizard'

type Loaded = { state: 'loading' } | { state: 'ready'; Wizard: typeof NewSiteWizard } | { state: 'error' }

export function NewSitePage({ api }: { api: ApiClient }) {
  const w = useSitesStrings()
  const { t } = useStrings()
  const [loaded, setLoaded] = useState<Loaded>({ state: 'loading' })
  const load = () => {
    setLoaded({ state: 'loading' })
    import('./wizard').then(
      (module) => setLoaded({ state: 'ready', Wizard: module.NewSiteWizard }),
      () => setLoaded({ state: 'error' }),
    )
  }
  useEffect(load, [])
  if (loaded.state === 'ready') return <loaded.Wizard api={api} />
  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title" tabIndex={-1}>
        {w.newSiteTitle}
      </h1>
      {loaded.state === 'loading' ? (
        <p class="loading">{t.loading}</p>
      ) : (
        <div class="notice error" role="alert">
          <p>{t.unreachable}</p>
          <button type="button" class="secondary" onClick={load}>
            {t.retry}
          </button>
        </div>
      )}
    </section>
  )
}
