// The widget's view: the launcher button and the panels it and the page can open.
import type { LeadInput } from '../../../shared/schemas/lead'
import type { Locale } from '../../../shared/schemas/site-config'
import type { Ref } from 'preact'
import { useRef } from 'preact/hooks'
import type { SendLeadResult, WidgetConfig } from '../core/api'
import { CallbackForm } from '../callback-form/callback-form'
import type { FollowCall } from '../callback-form/countdown'
import type { PhoneLib } from '../callback-form/callback-form'
import type { CallbackPrefill } from '../callback-form/rules'
import { Dialog } from './dialog'
import type { ExitOffer } from '../exit-intent/exit-offer'
import type { Strings } from './i18n'
import { collectContext } from '../core/lead-context'
import type { LeadContextInput } from '../core/lead-context'
import { ICONS, launcherText } from '../loader/launcher'
import { CHAT_LAUNCHER } from '../loader/locale'
import type { Panel } from '../core/panels'
import { useEscape } from './use-escape'

export interface AppProps {
  site: string
  locale: Locale
  /** The texts of `locale` (load-strings.ts: one language ships with the view). */
  strings: Strings
  config: WidgetConfig
  panel: Panel | null
  onOpen(panel: Panel): void
  onClose(): void
  send(lead: LeadInput): Promise<SendLeadResult>
  /** Auto-dial: follows a lead's call (GET /v1/leads/:id/status) for the countdown. */
  followCall?: (leadId: string) => FollowCall
  onLead(lead: LeadInput): void
  /** Failed sends wait in the outbox (the real widget); tests of plain sending leave it off. */
  queues?: boolean
  loadPhone?: (() => Promise<PhoneLib>) | undefined
  context?: () => LeadContextInput
  /**
   * The exit offer's view, a chunk of its own that mount.tsx loads after the first render on a
   * site with exit intent (the form does not need it); without it there is no exit panel.
   */
  exitOffer?: typeof ExitOffer | undefined
  /** The visitor said "no, thanks" to the exit offer (counts against the interruption budget). */
  onDismissExit?: () => void
  /** Where a registered chat renders itself. */
  chatRoot?: Ref<HTMLDivElement>
  /** The site has a chat and this build can show it: a chat launcher beside the callback one. */
  chat?: boolean
  /**
   * The chat's hand-over to the callback form. A new object starts a fresh form: the visitor left
   * the chat to be called, so what the chat knows wins over a draft from before.
   */
  prefill?: CallbackPrefill | undefined
  /** The proactive chat invite is showing, with the site's text or the default one. */
  invite?: { text?: string | undefined } | null
  onInviteAccept?: () => void
  /** Closed without opening the chat (counts against the interruption budget). */
  onInviteDismiss?: () => void
}

const prefillKeys = new WeakMap<CallbackPrefill, number>()
let handovers = 0

/** One key per hand-over object, so each hand-over remounts the form and nothing else does. */
function prefillKey(prefill: CallbackPrefill | undefined): number {
  if (!prefill) return 0
  let key = prefillKeys.get(prefill)
  if (key === undefined) prefillKeys.set(prefill, (key = ++handovers))
  return key
}

export function App(props: AppProps) {
  const { site, locale, strings, config, panel, onOpen, onClose, send, onLead, queues } = props
  const context = props.context ?? (() => collectContext())
  const launcher = useRef<HTMLButtonElement>(null)
  const chatLauncher = useRef<HTMLButtonElement>(null)
  // The dialog mounts on first open and then only hides, so what the visitor typed (and the id of
  // a lead that failed to send) survive closing it.
  const opened = useRef(false)
  opened.current ||= panel === 'callback'
  const chatOpened = useRef(false)
  chatOpened.current ||= panel === 'chat'
  const offer = config.exitIntent?.offer
  const Offer = props.exitOffer
  useEscape(Boolean(props.invite) && panel === null, props.onInviteDismiss)

  const icon = (name: keyof typeof ICONS) => (
    <svg aria-hidden="true">
      <path d={ICONS[name]} />
    </svg>
  )

  return (
    <div class="root" lang={locale}>
      {/* The corner: the docked chat above the invite above the launchers (launcher.ts). */}
      <div class="corner">
        {chatOpened.current && (
          <Dialog
            docked
            open={panel === 'chat'}
            titleId="lc-chat-title"
            title={strings.chat}
            closeLabel={strings.close}
            onClose={onClose}
            returnFocus={chatLauncher.current ? chatLauncher : launcher}
          >
            <div ref={props.chatRoot} class="chat" />
          </Dialog>
        )}
        {/* Always on the page, so screen readers announce the invite when it appears in it. */}
        <div role="status">
          {props.invite && panel === null && (
            <div class="invite">
              <p>{props.invite.text ?? strings.chatInvite}</p>
              <button type="button" class="invite-open" onClick={props.onInviteAccept}>
                {strings.chatInviteOpen}
              </button>
              <button type="button" class="close" aria-label={strings.close} onClick={props.onInviteDismiss}>
                ×
              </button>
            </div>
          )}
        </div>
        <div class="launchers">
          {props.chat && (
            <button
              ref={chatLauncher}
              type="button"
              class="chat-launcher"
              aria-label={CHAT_LAUNCHER[locale]}
              aria-haspopup="dialog"
              aria-expanded={panel === 'chat'}
              // A second press folds the docked chat away, as chat launchers do.
              onClick={() => (panel === 'chat' ? onClose() : onOpen('chat'))}
            >
              {icon('chat')}
            </button>
          )}
          <button ref={launcher} type="button" class="launcher" aria-haspopup="dialog" aria-expanded={panel === 'callback'} onClick={() => onOpen('callback')}>
            {icon(config.brand?.launcherIcon ?? 'phone')}
            <span>{launcherText(config, locale)}</span>
          </button>
        </div>
      </div>
      {opened.current && (
        <Dialog open={panel === 'callback'} title={strings.title} closeLabel={strings.close} onClose={onClose} returnFocus={launcher}>
          <CallbackForm
            key={prefillKey(props.prefill)}
            site={site}
            strings={strings}
            locale={locale}
            consent={config.consent}
            country={config.country}
            countries={config.countries}
            hours={config.hours}
            send={send}
            followCall={props.followCall}
            visible={panel === 'callback'}
            onAccepted={onLead}
            queues={queues}
            loadPhone={props.loadPhone}
            context={context}
            prefill={props.prefill}
          />
        </Dialog>
      )}
      {panel === 'exit' && offer && Offer && (
        <Dialog
          open
          titleId="lc-exit-title"
          title={offer.title}
          closeLabel={strings.close}
          onClose={() => {
            props.onDismissExit?.()
            onClose()
          }}
          returnFocus={launcher}
        >
          <Offer
            site={site}
            strings={strings}
            offer={offer}
            consent={config.consent}
            send={send}
            onAccepted={onLead}
            onDismiss={() => {
              props.onDismissExit?.()
              onClose()
            }}
            queues={queues}
            context={context}
          />
        </Dialog>
      )}
    </div>
  )
}
