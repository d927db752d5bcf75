// Takes over the host the loader put on the page (host.ts) with the site config it read: starts
// the outbox, renders, arms exit intent and the chat invite, and returns the handle behind
// `window.Leadcatcher`. One path: the loader alone reads the config and builds the host, and hands
// both (and its lead listeners) to mountWidget; tests do the same. The Preact view is a
// chunk of its own (view/view.tsx), evaluated and first rendered in tasks apart from this module's, so no
// step is a long task for the host page. What a mounted widget holds is one record (MountState);
// the functions below each do one step over it.
import type { LeadInput } from '../../../shared/schemas/lead'
import type { Locale } from '../../../shared/schemas/site-config'
import type { RefObject } from 'preact'
import { track } from './analytics'
import type { Fetch, SendLeadResult, WidgetConfig } from './api'
import type { ExitOffer as ExitOfferView } from '../exit-intent/exit-offer'
import { watchExitIntent } from '../exit-intent/triggers'
import { canInterrupt, noteConverted, noteDismissed, spendInterruption } from './interruptions'
import type { CallbackPrefill } from '../callback-form/rules'
import { emitLead, listenTo } from '../loader/lead-events'
import type { LeadEvent, LeadListeners, On, WidgetEvents } from '../loader/lead-events'
import type { LeadContextInput } from './lead-context'
import { createOutbox } from './outbox'
import type { SmartCaptchaApi, TurnstileApi } from './turnstile'
import { PANELS, getChatLoader } from './panels'
import type { OpenTarget, Panel } from './panels'
import { CSS, adoptStyles } from '../view/styles'
import { loadStrings } from './load-strings'
import { nextTask } from '../loader/tasks'
import { recordVisit, visitorContext } from '../loader/visitor'
import type { Visitor } from '../loader/visitor'
import type { FollowCall } from '../callback-form/countdown'
import type { Strings } from '../view/i18n'
import type { AppProps } from '../view/view'

export type { LeadEvent, OpenTarget, Panel, WidgetEvents }

export interface MountOptions {
  site: string
  /** Worker origin, no trailing slash. */
  endpoint: string
  /** The language the loader chose (the tag's, the page's, else the site config's). */
  locale: Locale
  /** What the loader read from `GET /v1/sites/:site/config`. */
  config: WidgetConfig
  fetch?: Fetch | undefined
  /** The loader's host (host.ts): its facade launcher gives way to the view's. */
  host: HTMLElement
  /** The loader's "lead" listeners (lead-events.ts): the core emits into them. */
  listeners: LeadListeners
  /** This page view as the loader recorded it; recorded here when a test leaves it out. */
  visitor?: Visitor | undefined
  /** Cloudflare's Turnstile script; tests pass a fake. */
  loadTurnstile?: (() => Promise<TurnstileApi>) | undefined
  /** Yandex's SmartCaptcha script; tests pass a fake. */
  loadSmartCaptcha?: (() => Promise<SmartCaptchaApi>) | undefined
}

export interface Widget {
  open(panel?: OpenTarget): void
  close(): void
  /** Returns a function that removes the listener. */
  on: On
  /** Takes the widget off the page (single-page apps, tests). */
  destroy(): void
  /** `true` once the view's launcher replaced the facade; `false` when the view did not load. */
  ready: Promise<boolean>
}

/** Everything a mounted widget holds; each step below reads and changes this one record. */
interface MountState {
  readonly options: MountOptions
  readonly fetch: Fetch
  /** What shows: a panel, or `null` for the launchers alone. */
  panel: Panel | null
  /** The chat invite's bubble is showing: until the visitor opens something or closes it. */
  inviting: boolean
  /** What the chat handed over to the callback form. */
  prefill: CallbackPrefill | undefined
  destroyed: boolean
  /** The exit offer's view, once its chunk arrived: no exit intent without it. */
  exitOffer: typeof ExitOfferView | undefined
  /** Renders the view with the state as it is; nothing until the view is on the page. */
  draw: () => void
  /** Takes off the page what start() put there. */
  unmount: () => void
  /** Set once the view is there, which the chat renders into. */
  chat: ChatSlot | undefined
  /** Watchers, timers, the outbox, the chat and the captcha slot: stopped on destroy. */
  readonly stops: (() => void)[]
  /** Leads already reported (the outbox and the visitor's retry can both learn of one). */
  readonly reported: Set<string>
}

/** Where the chat renders and what it is handed, once the view is on the page. */
interface ChatSlot {
  root: RefObject<HTMLDivElement | null>
  started: boolean
  locale: Locale
  strings: Strings
  config: WidgetConfig
  send(lead: LeadInput): Promise<SendLeadResult>
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

function setPanel(state: MountState, next: Panel | null): void {
  state.panel = next
  if (next !== null) state.inviting = false
  state.draw()
}

// Page scripts call this with anything, so the argument is checked, not trusted. The exit offer
// and the chat invite open on demand only where the site has them on (what the console's preview
// shows), outside the interruption budget, and are not counted as exit intent or an invite shown.
function openPanel(state: MountState, next: OpenTarget = 'callback'): void {
  const { config } = state.options
  if (next === 'invite') {
    // The bubble needs the view (state.chat) and the chat it invites to; never over a dialog.
    if (config.chatInvite?.enabled && config.chat && state.chat && state.panel === null) {
      state.inviting = true
      state.draw()
    }
    return
  }
  const known = (PANELS as readonly unknown[]).includes(next) || (next === 'exit' && state.exitOffer)
  if (!known || (next === 'chat' && !getChatLoader())) {
    console.warn(`[leadcatcher] unknown panel "${String(next)}"`)
    return
  }
  if (next !== state.panel) track(config.analytics, 'widget_opened', { panel: next })
  setPanel(state, next)
  if (next === 'chat') startChat(state)
}

function stopAll(state: MountState): void {
  for (const stop of state.stops.splice(0)) stop()
}

// Every accepted lead, sent now or later from the outbox, whatever the form; once per lead.
function reportLead(state: MountState, lead: LeadInput): void {
  if (state.reported.has(lead.id)) return
  state.reported.add(lead.id)
  noteConverted()
  track(state.options.config.analytics, 'lead_submitted', { source: lead.source })
  emitLead(state.options.listeners, { id: lead.id, source: lead.source })
}

/**
 * The captcha code (Turnstile and SmartCaptcha) is a chunk of its own, fetched when the first lead
 * goes out on a site that uses one. If it cannot load, the lead goes without a token (the worker
 * flags it, never drops it) and the next lead tries again.
 */
function captchaStamp(state: MountState, captcha: NonNullable<WidgetConfig['captcha']>, container: HTMLElement, language: Locale): (lead: LeadInput) => Promise<LeadInput> {
  let stamp: Promise<(lead: LeadInput) => Promise<LeadInput>> | undefined
  return (lead) =>
    (stamp ??= import('./turnstile').then(({ createCaptchaStamp }) =>
      createCaptchaStamp({
        ...captcha,
        container,
        language,
        loadTurnstile: state.options.loadTurnstile,
        loadSmartCaptcha: state.options.loadSmartCaptcha,
      }),
    )).then(
      (stampLead) => stampLead(lead),
      () => {
        stamp = undefined
        return lead
      },
    )
}

/**
 * Proactive UI only once the view can show it: a prompt that fired while the view chunk was still
 * on its way (or never came) would spend the visitor's budget on nothing.
 */
function armInterruptions(state: MountState, config: WidgetConfig): void {
  const exit = config.exitIntent
  if (exit?.enabled && state.exitOffer) {
    state.stops.push(
      watchExitIntent({
        settings: exit,
        onExitIntent: () => {
          // Never on top of something the visitor opened, and within the shared budget.
          if (state.panel !== null || !canInterrupt(exit.capPerDays)) return
          spendInterruption()
          track(config.analytics, 'exit_intent_shown')
          setPanel(state, 'exit')
        },
      }),
    )
  }
  const invite = config.chatInvite
  if (invite?.enabled && config.chat && getChatLoader()) {
    // Time on the page counts from its start, like exit intent's, not from the idle-time load.
    const due = invite.afterSeconds * 1000 - (Date.now() - performance.timeOrigin)
    const timer = setTimeout(
      () => {
        // Never over something the visitor opened, and within the budget the exit offer shares.
        if (state.panel !== null || !canInterrupt(invite.capPerDays)) return
        spendInterruption()
        track(config.analytics, 'chat_invite_shown')
        state.inviting = true
        state.draw()
      },
      Math.max(0, due),
    )
    state.stops.push(() => clearTimeout(timer))
  }
}

/** Loads the chat into the view's chat dialog, once; a no-op until the view is there. */
function startChat(state: MountState): void {
  const chat = state.chat
  const load = getChatLoader()
  if (!chat || chat.started || !load) return
  chat.started = true
  const { site, endpoint } = state.options
  void load()
    .then(({ mountChat }) => {
      if (typeof mountChat !== 'function') throw new TypeError('chat/index exports no mountChat')
      if (state.destroyed || !chat.root.current) return
      state.stops.push(
        mountChat({
          root: chat.root.current,
          site,
          endpoint,
          locale: chat.locale,
          strings: chat.strings,
          config: chat.config,
          send: chat.send,
          onLead: (lead) => reportLead(state, lead),
          close: () => setPanel(state, null),
          onHandoff: (next) => {
            state.prefill = next
            openPanel(state, 'callback')
          },
          watchLeads: (listener) => {
            state.options.listeners.add(listener)
            return () => state.options.listeners.delete(listener)
          },
        }),
      )
    })
    .catch((error: unknown) => {
      chat.started = false
      console.error('[leadcatcher] the chat did not load', error)
      // The visitor asked to talk: the callback form is the next best thing to an empty box.
      if (state.panel === 'chat') setPanel(state, 'callback')
    })
}

/** Auto-dial's follower is a lazy chunk: only a visitor whose 201 announced a call loads it. */
function followCall(state: MountState, locale: Locale, leadId: string): FollowCall {
  const since = Date.now()
  return (show) => {
    let stop: (() => void) | undefined
    let stopped = false
    void import('../callback-form/follow-call').then((m) => {
      if (!stopped) stop = m.followCall({ endpoint: state.options.endpoint, leadId, locale, fetch: state.fetch, since, show })
    })
    return () => {
      stopped = true
      stop?.()
    }
  }
}

/** The view's props from the state as it is now. */
function viewProps(state: MountState, chat: ChatSlot, shadow: ShadowRoot, context: () => LeadContextInput): AppProps {
  const { site, endpoint } = state.options
  const { config, locale } = chat
  return {
    site,
    locale,
    strings: chat.strings,
    config,
    panel: state.panel,
    onOpen: (next) => openPanel(state, next),
    onClose: () => setPanel(state, null),
    send: chat.send,
    followCall: (leadId) => followCall(state, locale, leadId),
    onLead: (lead) => reportLead(state, lead),
    queues: true,
    // Its own chunk, with the site's countries' metadata from the worker: fetched when the form
    // first renders (STYLE.md).
    loadPhone: () =>
      import('../callback-form/phone').then(async (lib) => {
        await lib.loadPhoneMetadata(endpoint, site, state.fetch)
        return lib
      }),
    context,
    exitOffer: state.exitOffer,
    onDismissExit: noteDismissed,
    chatRoot: chat.root,
    chat: !!(config.chat && getChatLoader()),
    prefill: state.prefill,
    invite: state.inviting ? { text: config.chatInvite?.text } : null,
    onInviteAccept: () => openPanel(state, 'chat'),
    onInviteDismiss: () => {
      noteDismissed()
      // The focused × goes away with the bubble: focus moves to the launcher, not <body>.
      const hadFocus = shadow.activeElement?.closest('.invite') != null
      state.inviting = false
      state.draw()
      if (hadFocus) shadow.querySelector<HTMLElement>('.launcher')?.focus()
    },
  }
}

async function start(state: MountState): Promise<boolean> {
  const { options } = state
  const { endpoint, config, locale, host } = options
  const shadow = host.shadowRoot
  if (!shadow) throw new Error('the host has no shadow root')
  // Fetched alongside the core's work; evaluated in a task of its own on arrival.
  const view = import('../view/view')
  // Awaited below; a failure before then must not go unhandled.
  view.catch(() => {})
  // The loader's facade launcher stays until the real one replaces it (same class and text).
  const facade = Array.from(shadow.children).filter((node) => node.localName !== 'style')
  const presses = watchPresses(facade)
  state.stops.push(() => presses.stop())
  adoptStyles(shadow, CSS)
  state.unmount = () => host.remove()
  const captcha = config.captcha
  const slot = captcha ? challengeSlot(shadow) : null
  // Gone with the core: a mount that failed leaves the loader's host as it found it.
  if (slot) state.stops.push(() => slot.remove())
  const outbox = createOutbox({
    endpoint,
    site: options.site,
    fetch: state.fetch,
    onDelivered: (lead, result) => result.kind === 'accepted' && reportLead(state, lead),
    prepare: captcha && slot ? captchaStamp(state, captcha, slot, locale) : undefined,
  })
  // The outbox's first storage read and flush: not in the task that set the core up.
  await nextTask()
  if (state.destroyed) return false
  state.stops.push(outbox.start())
  // Every form's lead says which language the visitor read, so the worker answers in it (its
  // errors and reply), not in the site's default when the page is in another language.
  const send = (lead: LeadInput) => outbox.send({ ...lead, locale })
  const visitor = options.visitor ?? recordVisit()
  const context = () => visitorContext(visitor)

  // The core is up (outbox, the API); the view follows in tasks of its own, then the watchers.
  let loaded: Awaited<typeof view>
  let strings: Strings
  try {
    ;[loaded, strings] = await Promise.all([view, loadStrings(locale)])
  } catch (error) {
    // Offline or blocked: nothing half-armed stays behind. The loader's facade keeps its place,
    // and its next click mounts again.
    stopAll(state)
    state.unmount = () => {}
    throw error
  }
  const { renderView, clearView } = loaded
  await nextTask()
  if (state.destroyed) return false
  // A press on the facade ends on it: swapped under a held pointer (or Space), its release would
  // reach the real launcher, and a click needs the press and the release on one element.
  await presses.released()
  presses.stop()
  if (state.destroyed) return false
  // Focus on the facade moves to the real launcher, which takes its place and looks the same.
  const refocus = facade.some((node) => node.contains(shadow.activeElement)) ? shadow.activeElement?.className : undefined
  for (const node of facade) node.remove()
  // Preact takes over whatever its container holds, so it gets a node of its own next to a
  // possible fallback <style> and the captcha slot.
  const container = document.createElement('div')
  shadow.append(container)
  const chat: ChatSlot = { root: { current: null }, started: false, locale, strings, config, send }
  state.draw = () => renderView(viewProps(state, chat, shadow, context), container)
  state.unmount = () => {
    clearView(container)
    host.remove()
  }
  state.draw()
  // The first render runs Preact's code for the first time (compiled on first call): the
  // watchers follow in a task of their own.
  await nextTask()
  if (state.destroyed) return false
  // The exit offer's view is a chunk apart (the form does not need it): exit intent is armed
  // once it is here, so the offer shows the moment the pointer leaves. Offline: no exit intent.
  if (config.exitIntent?.enabled) {
    state.exitOffer = await import('../exit-intent/exit-offer').then(
      (m) => m.ExitOffer,
      () => undefined,
    )
    if (state.destroyed) return false
  }
  armInterruptions(state, config)
  // The chat renders into the view's dialog, so it starts once the view is there.
  state.chat = chat
  if (state.panel === 'chat') startChat(state)
  if (refocus && state.panel === null) shadow.querySelector<HTMLElement>(`.${refocus}`)?.focus()
  return true
}

/**
 * Watches the facade for a press: one the loader saw (`data-held` on its corner, from a primary
 * pointerdown to pointerup or pointercancel), or from the core's start a primary pointer held down
 * or Space (whose click comes on keyup). `released()` resolves at once when nothing is held, else
 * in the task after the release (a mouse's or a key's click follows in the same task; a tap's
 * target is hit-tested when it fires), or after `maxMs`: a press the loader saw end off the facade,
 * before the core was here, leaves its mark.
 */
function watchPresses(nodes: readonly Element[], maxMs = 3000): { released(): Promise<void>; stop(): void } {
  let held = false
  let onRelease: (() => void) | undefined
  const press = (event: Event) => {
    if (event instanceof KeyboardEvent ? event.key === ' ' : !((event as PointerEvent).button > 0)) held = true
  }
  const release = (event: Event) => {
    // Another key, or a second finger, does not end the press.
    if (event instanceof KeyboardEvent ? event.key !== ' ' : (event as PointerEvent).isPrimary === false) return
    held = false
    // Also a press the loader saw that ended off the facade (its pointerup went elsewhere).
    for (const node of nodes) node.removeAttribute('data-held')
    endWait()
  }
  // Once: a later release, or the stop after the swap, finds no wait to end.
  const endWait = () => {
    const end = onRelease
    onRelease = undefined
    end?.()
  }
  const starts = ['pointerdown', 'keydown'] as const
  const ends = ['pointerup', 'pointercancel', 'keyup'] as const
  for (const node of nodes) for (const type of starts) node.addEventListener(type, press)
  for (const type of ends) addEventListener(type, release, true)
  return {
    released: () =>
      held || nodes.some((node) => node.hasAttribute('data-held'))
        ? new Promise((resolve) => {
            const timer = setTimeout(resolve, maxMs)
            onRelease = () => {
              clearTimeout(timer)
              setTimeout(resolve)
            }
          })
        : Promise.resolve(),
    stop: () => {
      for (const node of nodes) for (const type of starts) node.removeEventListener(type, press)
      for (const type of ends) removeEventListener(type, release, true)
      // A destroy while the swap waits: the wait ends now, and the core sees the destroy.
      endWait()
    },
  }
}

/**
 * Mounts the widget on the loader's host. Never throws; failures are logged and leave the page as
 * the loader made it.
 *
 * @example
 * const host = createHost(config, locale, (panel) => widget.open(panel))
 * const widget = mountWidget({ site: 'shop', endpoint, config, locale, host, listeners: new Set() })
 */
export function mountWidget(options: MountOptions): Widget {
  const state: MountState = {
    options,
    fetch: options.fetch ?? fetch,
    panel: null,
    inviting: false,
    prefill: undefined,
    destroyed: false,
    exitOffer: undefined,
    draw: () => {},
    unmount: () => {},
    chat: undefined,
    stops: [],
    reported: new Set(),
  }
  const ready = start(state).catch((error: unknown) => {
    console.error('[leadcatcher]', error)
    // Whatever the failed start had armed (listeners on the window among them) goes with it.
    stopAll(state)
    return false
  })
  return {
    open: (panel) => openPanel(state, panel),
    close: () => setPanel(state, null),
    on: listenTo(options.listeners),
    destroy: () => {
      state.destroyed = true
      stopAll(state)
      state.unmount()
    },
    ready,
  }
}
