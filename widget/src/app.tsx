// The widget's view: the launcher button and the panel it opens.
import type { LeadInput } from '../../shared/schemas/lead'
import type { Locale, PublicSiteConfig } from '../../shared/schemas/site-config'
import { useRef } from 'preact/hooks'
import type { SendLeadResult } from './api'
import { CallbackForm } from './callback-form/callback-form'
import { Dialog } from './dialog'
import { STRINGS } from './i18n'

/** What the launcher and `Leadcatcher.open()` can show; exit-intent and chat join later. */
export const PANELS = ['callback'] as const
export type Panel = (typeof PANELS)[number]

export interface AppProps {
  site: string
  locale: Locale
  config: PublicSiteConfig
  panel: Panel | null
  onOpen(panel: Panel): void
  onClose(): void
  send(lead: LeadInput): Promise<SendLeadResult>
  onLead(lead: LeadInput): void
}

export function App({ site, locale, config, panel, onOpen, onClose, send, onLead }: AppProps) {
  const strings = STRINGS[locale]
  const launcher = useRef<HTMLButtonElement>(null)
  // The dialog mounts on first open and then only hides, so what the visitor typed (and the id of
  // a lead that failed to send) survive closing it.
  const opened = useRef(false)
  opened.current ||= panel !== null

  return (
    <div class="root" lang={locale}>
      <button
        ref={launcher}
        type="button"
        class="launcher"
        aria-haspopup="dialog"
        aria-expanded={panel === 'callback'}
        onClick={() => onOpen('callback')}
      >
        {strings.launcher}
      </button>
      {opened.current && (
        <Dialog
          open={panel === 'callback'}
          title={strings.title}
          closeLabel={strings.close}
          onClose={onClose}
          returnFocus={launcher}
        >
          <CallbackForm
            site={site}
            strings={strings}
            consent={config.consent}
            send={send}
            onAccepted={onLead}
          />
        </Dialog>
      )}
    </div>
  )
}
