// The admin API's warnings about the site's config (auto-dial without a captcha), above every page
// of that site, in the console's language (the API's English message when the code is new here).
import { useEffect, useState } from 'preact/hooks'
import type { ApiClient } from './api'
import type { SiteView } from './api-types'
import { useStrings } from './i18n'

export function SiteWarnings({ api, site }: { api: ApiClient; site: string }) {
  const { t } = useStrings()
  const [warnings, setWarnings] = useState<NonNullable<SiteView['warnings']>>([])
  useEffect(() => {
    setWarnings([])
    if (site === '') return
    let stale = false
    void api.get<SiteView>(`/v1/admin/sites/${encodeURIComponent(site)}`).then((result) => {
      if (!stale && result.ok) setWarnings(result.value.warnings ?? [])
    })
    return () => {
      stale = true
    }
  }, [api, site])
  if (warnings.length === 0) return null
  return (
    <div class="notice error" role="note">
      {warnings.map((w) => (
        <p key={w.code}>{t.siteWarnings[w.code] ?? w.message}</p>
      ))}
    </div>
  )
}
