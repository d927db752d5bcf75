// The live preview as Settings uses it: a placeholder that loads the panel (live-preview.tsx, with
// the API's config schema and the reply rules) as a chunk of its own, so the console's first load
// does not carry it.
import type { ComponentType } from 'preact'
import { useEffect, useState } from 'preact/hooks'
import type { LivePreviewProps } from './live-preview'
import { usePreviewStrings } from './strings'

export type { LivePreviewProps }

export function LivePreview(props: LivePreviewProps) {
  const s = usePreviewStrings()
  const [Panel, setPanel] = useState<ComponentType<LivePreviewProps> | null>(null)
  const [failed, setFailed] = useState(false)
  useEffect(() => {
    let live = true
    import('./live-preview').then(
      (module) => live && setPanel(() => module.LivePreviewPanel),
      () => live && setFailed(true),
    )
    return () => {
      live = false
    }
  }, [])
  if (Panel) return <Panel {...props} />
  return (
    <section class="live-preview" aria-labelledby="live-preview-title" aria-busy={!failed}>
      <h2 id="live-preview-title">{s.title}</h2>
      {failed ? (
        <p class="notice error" role="alert">
          {s.loadFailed}
        </p>
      ) : (
        <p class="loading">{s.loading}</p>
      )}
    </section>
  )
}
