// The Versions panel's stand-in in the console's first load: its chunk comes on first opening, so
// the Settings page costs the first load nothing for it.
import type { ComponentType } from 'preact'
import { useEffect, useState } from 'preact/hooks'
import { useStrings } from '../i18n'
import { ErrorNotice } from '../ui'
import type { VersionsPanelProps } from './versions-panel'

let chunk: Promise<ComponentType<VersionsPanelProps>> | null = null

/** One request for the chunk however often the panel is opened; a failed one is tried again. */
function loadPanel(): Promise<ComponentType<VersionsPanelProps>> {
  chunk ??= import('./versions-panel').then(
    (module) => module.VersionsPanel,
    (error: unknown) => {
      chunk = null
      throw error
    },
  )
  return chunk
}

export function VersionsLoader(props: VersionsPanelProps) {
  const { t } = useStrings()
  const [Panel, setPanel] = useState<ComponentType<VersionsPanelProps> | null>(null)
  const [failed, setFailed] = useState(false)
  const load = () => {
    setFailed(false)
    loadPanel().then(
      (panel) => setPanel(() => panel),
      () => setFailed(true),
    )
  }
  useEffect(load, [])
  if (Panel) return <Panel {...props} />
  return failed ? <ErrorNotice error={{ kind: 'network' }} onRetry={load} /> : <p class="loading">{t.loading}</p>
}
