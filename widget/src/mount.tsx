// Puts the widget on a page: reads the site config, builds the shadow root, starts the outbox,
// renders, arms exit intent and the chat invite, and returns the handle behind
// `window.Leadcatcher`. The bootstrap calls it; tests call it with a config. The Preact view is a
// chunk of its own (./view), evaluated and first rendered in tasks apart from this module's, so no
// step is a long task for the host page.
import type { LeadInput, LeadSource } from '../../shared/schemas/lead'
import type { Locale } from '../../shared/schemas/site-config'
import type { RefObject } from 'preact'
import { track } from './analytics'
import { fetchSiteConfig } from './api'
import type { Fetch, WidgetConfig } from './api'
import type { ExitOffer as ExitOfferView } from './exit-intent/exit-offer'
import { watchExitIntent } from './exit-intent/triggers'
import { canInterrupt, noteConverted, noteDismissed, spendInterruption } from './interruptions'
import type { CallbackPrefill } from './callback-form/rules'
import { createOutbox } from './outbox'
import type { SmartCaptchaApi, TurnstileApi } from './turnstile'
import { PANELS, getChatLoader } from './panels'
import type { Panel } from './panels'
import { CSS, adoptStyles } from './styles'
import { loadStrings } from './load-strings'
import { domReady, nextTask } from './tasks'
import { recordVisit, visitorContext } from './visitor'
import type { Visitor } from './visitor'
import type { FollowCall } from './callback-form/countdown'
import type { Strings } from './i18n'

export type { Panel }

export interface LeadEvent {
  id: string
  source: LeadSource
}

export interface WidgetEvents {
  lead: LeadEvent
}

export interface MountOptions {
  site: string
  /** Worker origin, no trailing slash. */
  endpoint: string
  /** Wins over the site config's locale (the tag's `data-locale`). */
  locale?: Locale | undefined
  /** Skips `GET /v1/sites/:site/config`: for tests and previews. */
  config?: WidgetConfig | undefined
  fetch?: Fetch | undefined
  /** Where the host element goes; `document.body` by default. */
  root?: HTMLElement | undefined
  /**
   * A host the loader already put on the page, with its open shadow root, styles and facade
   * launcher: the view replaces the facade instead of adding a second host.
   */
  host?: HTMLElement | undefined
  /** This page view as the loader recorded it; recorded here when the widget is mounted alone. */
  visitor?: Visitor | undefined
  /** Cloudflare's Turnstile script; tests pass a fake. */
  loadTurnstile?: (() => Promise<TurnstileApi>) | undefined
  /** Yandex's SmartCaptcha script; tests pass a fake. */
  loadSmartCaptcha?: (() => Promise<SmartCaptchaApi>) | undefined
}

export interface Widget {
  open(panel?: Panel): void
  close(): void
  /** Returns a function that removes the listener. */
  on<E extends keyof WidgetEvents>(
    event: E,
    listener: (payload: WidgetEvents[E]) => void,
  ): () => void
  /** Takes the widget off the page (single-page apps, tests). */
  destroy(): void
  /** `true` once the launcher is on the page; `false` when the site config could not be read. */
  ready: Promise<boolean>
}

/**
 * Where a captcha challenge shows when it needs the visitor: centred at the bottom, over the open
 * dialog. Positioned through the CSSOM, which a strict `style-src` allows.
 */
function challengeSlot(shadow: ShadowRoot): HTMLElement {
  const slot = document.createElement('div')
  slot.className = 'challenge'
  Object.assign(slot.style, {
    position: 'fixed',
    left: '50%',
    bottom: '16px',
    transform: 'translateX(-50%)',
    zIndex: '2',
  })
  shadow.append(slot)
  return slot
}

/**
 * Mounts the widget in a shadow root on a fixed-position host element. Never throws; failures
 * are logged and leave the page as it was.
 *
 * @example
 * const widget = mountWidget({ site: 'shop', endpoint: 'https://leads.example' })
 * widget.on('lead', ({ id }) => ym(123, 'reachGoal', 'lead', { id }))
 */
export function mountWidget(options: MountOptions): Widget {
  const { site, endpoint, fetch: fetchImpl = fetch } = options
  const listeners = new Set<(lead: LeadEvent) => void>()
  let panel: Panel | null = null
  let draw = () => {}
  let unmount = () => {}
  let destroyed = false
  let analytics: WidgetConfig['analytics']
  let startChat = () => {}
  let prefill: CallbackPrefill | undefined
  let exitOffer: typeof ExitOfferView | undefined
  const stops: (() => void)[] = []

  /** The chat invite's bubble is showing: until the visitor opens something or closes it. */
  let inviting = false
  const setPanel = (next: Panel | null) => {
    panel = next
    if (next !== null) inviting = false
    draw()
  }
  // Page scripts call these with anything, so the arguments are checked, not trusted.
  const open = (next: Panel = 'callback') => {
    const known = (PANELS as readonly unknown[]).includes(next)
    if (!known || (next === 'chat' && !getChatLoader())) {
      console.warn(`[leadcatcher] unknown panel "${String(next)}"`)
      return
    }
    if (next !== panel) track(analytics, 'widget_opened', { panel: next })
    setPanel(next)
    if (next === 'chat') startChat()
  }
  const close = () => setPanel(null)
  const on: Widget['on'] = (event, listener) => {
    if (event !== 'lead' || typeof listener !== 'function') {
      console.warn(`[leadcatcher] cannot listen to "${String(event)}"`)
      return () => {}
    }
    listeners.add(listener)
    return () => listeners.delete(listener)
  }
  const destroy = () => {
    destroyed = true
    for (const stop of stops.splice(0)) stop()
    unmount()
  }

  // Every accepted lead, sent now or later from the outbox, whatever the form; once per lead,
  // though both can learn of it (the outbox delivered a saved chat lead, then the visitor's retry
  // got the worker's replay of it).
  const reported = new Set<string>()
  const delivered = (lead: LeadInput) => {
    if (reported.has(lead.id)) return
    reported.add(lead.id)
    noteConverted()
    track(analytics, 'lead_submitted', { source: lead.source })
    emitLead({ id: lead.id, source: lead.source })
  }

  const emitLead = (lead: LeadEvent) => {
    for (const listener of listeners) {
      // A broken analytics callback on the page must not break the widget, nor the next listener.
      try {
        listener(lead)
      } catch (error) {
        console.error('[leadcatcher] a "lead" listener threw', error)
      }
    }
  }

  const start = async () => {
    // Fetched alongside the config and the core's work; evaluated in a task of its own on arrival.
    const view = import('./view')
    // Awaited below; a failure before then (the config is missing) must not go unhandled.
    view.catch(() => {})
    const config = options.config ?? (await fetchSiteConfig(endpoint, site, fetchImpl))
    if (!config) {
      console.warn(
        `[leadcatcher] no config for site "${site}" at ${endpoint}; the widget stays hidden`,
      )
      return false
    }
    await domReady()
    if (destroyed) return false
    const given = options.host?.shadowRoot
    const host = given
      ? (options.host as HTMLElement)
      : document.createElement('leadcatcher-widget')
    const shadow = given ?? host.attachShadow({ mode: 'open' })
    // The loader's facade launcher stays until the real one replaces it (same class and text).
    const facade = given
      ? Array.from(shadow.children).filter((node) => node.localName !== 'style')
      : []
    // The loader adopted the launcher's sheet and painted the brand; the panels' sheet comes here.
    if (!given) {
      // Only a widget mounted without the loader (tests, previews) needs it: a chunk apart.
      const { LAUNCHER_CSS, applyBrand } = await import('./launcher-css')
      adoptStyles(shadow, LAUNCHER_CSS)
      applyBrand(host, config.brand)
      ;(options.root ?? document.body).append(host)
    }
    adoptStyles(shadow, CSS)
    unmount = () => host.remove()
    const locale = options.locale ?? config.locale
    analytics = config.analytics
    const captcha = config.captcha
    const slot = captcha ? challengeSlot(shadow) : null
    // Gone with the core: a mount that failed leaves the loader's host as it found it.
    if (slot) stops.push(() => slot.remove())
    // The captcha code (Turnstile and SmartCaptcha) is a chunk of its own, fetched when the first
    // lead goes out on a site that uses one. If it cannot load, the lead goes without a token (the
    // worker flags it, never drops it) and the next lead tries again.
    let stamp: Promise<(lead: LeadInput) => Promise<LeadInput>> | undefined
    const prepare =
      captcha && slot
        ? (lead: LeadInput) =>
            (stamp ??= import('./turnstile').then(({ createCaptchaStamp }) =>
              createCaptchaStamp({
                ...captcha,
                container: slot,
                language: locale,
                loadTurnstile: options.loadTurnstile,
                loadSmartCaptcha: options.loadSmartCaptcha,
              }),
            )).then(
              (stampLead) => stampLead(lead),
              () => {
                stamp = undefined
                return lead
              },
            )
        : undefined
    const outbox = createOutbox({
      endpoint,
      fetch: fetchImpl,
      onDelivered: (lead, result) => result.kind === 'accepted' && delivered(lead),
      prepare,
    })
    // The outbox's first storage read and flush: not in the task that set the core up.
    await nextTask()
    if (destroyed) return false
    stops.push(outbox.start())
    // Every form's lead says which language the visitor read, so the worker answers in it (its
    // errors and reply), not in the site's default when the page is in another language.
    const send = (lead: LeadInput) => outbox.send({ ...lead, locale })
    const visitor = options.visitor ?? recordVisit()
    const context = () => visitorContext(visitor)
    // Proactive UI only once the view can show it: a prompt that fired while the view chunk was
    // still on its way (or never came) would spend the visitor's budget on nothing.
    const armInterruptions = () => {
      const exit = config.exitIntent
      if (exit?.enabled && exitOffer) {
        stops.push(
          watchExitIntent({
            settings: exit,
            onExitIntent: () => {
              // Never on top of something the visitor opened, and within the shared budget.
              if (panel !== null || !canInterrupt(exit.capPerDays)) return
              spendInterruption()
              track(analytics, 'exit_intent_shown')
              setPanel('exit')
            },
          }),
        )
      }
      const invite = config.chatInvite
      if (invite?.enabled && config.chat && getChatLoader()) {
        // Time on the page counts from its start, like exit intent's, not from the idle-time load.
        const due = invite.afterSeconds * 1000 - (Date.now() - performance.timeOrigin)
        const timer = setTimeout(() => {
          // Never over something the visitor opened, and within the budget the exit offer shares.
          if (panel !== null || !canInterrupt(invite.capPerDays)) return
          spendInterruption()
          track(analytics, 'chat_invite_shown')
          inviting = true
          draw()
        }, Math.max(0, due))
        stops.push(() => clearTimeout(timer))
      }
    }
    const chatRoot: RefObject<HTMLDivElement | null> = { current: null }
    let chatStarted = false
    const beginChat = () => {
      const load = getChatLoader()
      if (chatStarted || !load) return
      chatStarted = true
      void load()
        .then(({ mountChat }) => {
          if (typeof mountChat !== 'function')
            throw new TypeError('chat/index exports no mountChat')
          if (destroyed || !chatRoot.current) return
          stops.push(
            mountChat({
              root: chatRoot.current,
              site,
              endpoint,
              locale,
              strings,
              config,
              send,
              onLead: delivered,
              close,
              onHandoff: (next) => {
                prefill = next
                open('callback')
              },
              watchLeads: (listener) => {
                listeners.add(listener)
                return () => listeners.delete(listener)
              },
            }),
          )
        })
        .catch((error: unknown) => {
          chatStarted = false
          console.error('[leadcatcher] the chat did not load', error)
          // The visitor asked to talk: the callback form is the next best thing to an empty box.
          if (panel === 'chat') setPanel('callback')
        })
    }

    // The core is up (outbox, the API); the view follows in tasks of its own, then the watchers.
    let loaded: Awaited<typeof view>
    let strings: Strings
    try {
      ;[loaded, strings] = await Promise.all([view, loadStrings(locale)])
    } catch (error) {
      // Offline or blocked: nothing half-armed stays behind. The loader's facade keeps its place,
      // and its next click mounts again.
      for (const stop of stops.splice(0)) stop()
      if (!given) host.remove()
      unmount = () => {}
      throw error
    }
    const { renderView, clearView } = loaded
    await nextTask()
    if (destroyed) return false
    // Focus on the facade moves to the real launcher, which takes its place and looks the same.
    const refocus = facade.some((node) => node.contains(shadow.activeElement))
      ? shadow.activeElement?.className
      : undefined
    for (const node of facade) node.remove()
    // Preact takes over whatever its container holds, so it gets a node of its own next to a
    // possible fallback <style> and the captcha slot.
    const container = document.createElement('div')
    shadow.append(container)
    draw = () =>
      renderView(
        {
          site,
          locale,
          strings,
          config,
          panel,
          onOpen: open,
          onClose: close,
          send,
          // Auto-dial's follower is a lazy chunk: only a visitor whose 201 announced a call loads it.
          followCall: (leadId: string): FollowCall => {
            const since = Date.now()
            return (show) => {
              let stop: (() => void) | undefined
              let stopped = false
              void import('./callback-form/follow-call').then((m) => {
                if (!stopped) stop = m.followCall({ endpoint, leadId, locale, fetch: fetchImpl, since, show })
              })
              return () => {
                stopped = true
                stop?.()
              }
            }
          },
          onLead: delivered,
          queues: true,
          // Its own chunk, with the site's countries' metadata from the worker: fetched when the
          // form first renders (STYLE.md).
          loadPhone: () =>
            import('./callback-form/phone').then(async (lib) => {
              await lib.loadPhoneMetadata(endpoint, site, fetchImpl)
              return lib
            }),
          context,
          exitOffer,
          onDismissExit: noteDismissed,
          chatRoot,
          chat: !!(config.chat && getChatLoader()),
          prefill,
          invite: inviting ? { text: config.chatInvite?.text } : null,
          onInviteAccept: () => open('chat'),
          onInviteDismiss: () => {
            noteDismissed()
            // The focused × goes away with the bubble: focus moves to the launcher, not <body>.
            const hadFocus = shadow.activeElement?.closest('.invite') != null
            inviting = false
            draw()
            if (hadFocus) shadow.querySelector<HTMLElement>('.launcher')?.focus()
          },
        },
        container,
      )
    unmount = () => {
      clearView(container)
      host.remove()
    }
    draw()
    // The first render runs Preact's code for the first time (compiled on first call): the
    // watchers follow in a task of their own.
    await nextTask()
    if (destroyed) return false
    // The exit offer's view is a chunk apart (the form does not need it): exit intent is armed
    // once it is here, so the offer shows the moment the pointer leaves. Offline: no exit intent.
    if (config.exitIntent?.enabled) {
      exitOffer = await import('./exit-intent/exit-offer').then((m) => m.ExitOffer, () => undefined)
      if (destroyed) return false
    }
    armInterruptions()
    // The chat renders into the view's dialog, so it starts once the view is there.
    startChat = beginChat
    if (panel === 'chat') startChat()
    if (refocus && panel === null) shadow.querySelector<HTMLElement>(`.${refocus}`)?.focus()
    return true
  }

  const ready = start().catch((error: unknown) => {
    console.error('[leadcatcher]', error)
    return false
  })
  return { open, close, on, destroy, ready }
}
