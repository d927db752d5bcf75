// Bootstrap of the one script tag, and the whole first load: reads its data-* attributes, reads
// the site config, shows the launcher as a plain-DOM facade, and turns the `window.Leadcatcher`
// stub (and the calls queued on it) into the real API. Everything else (Preact, the forms, exit
// intent, phone metadata) arrives with app.js on first use or when the browser is idle.
// Size: this file must not import Preact, valibot or libphonenumber-js (bundle.test.ts checks).
import { fetchSiteConfig } from '../core/api'
import { createHost } from './host'
import { pageLocale, toLocale } from './locale'
import type { Locale } from './locale'
import { loadApp } from './load-app'
import { listenTo } from './lead-events'
import type { LeadListener, On } from './lead-events'
import type { OpenTarget, Widget } from '../core/mount'
import { domReady, nextTask, whenIdle } from './tasks'
import { recordVisit } from './visitor'

/**
 * What the snippet defines before this script arrives, plausible-style:
 * ```js
 * window.Leadcatcher = window.Leadcatcher || function () {
 *   (window.Leadcatcher.q = window.Leadcatcher.q || []).push(arguments)
 * }
 * ```
 */
export interface LeadcatcherStub {
  (...args: unknown[]): void
  q?: ArrayLike<unknown>[]
}

/** The one global: callable like the stub (`Leadcatcher('open', 'callback')`) and with methods. */
export interface LeadcatcherApi {
  (command: string, ...args: unknown[]): unknown
  /** `callback` (the default), `chat`; `exit` and `invite` where the site has them on. */
  open(panel?: OpenTarget): void
  close(): void
  on: On
  /** Set by the first copy of the script, so a second copy of the tag does nothing. */
  loaded: true
}

declare global {
  interface Window {
    Leadcatcher?: LeadcatcherStub | LeadcatcherApi
  }
}

/** Calls from the page must never throw back into it. */
function guard<A extends unknown[], R>(fn: (...args: A) => R) {
  return (...args: A): R | undefined => {
    try {
      return fn(...args)
    } catch (error) {
      console.error('[leadcatcher]', error)
      return undefined
    }
  }
}

function boot(): void {
  const previous = window.Leadcatcher
  if (previous && 'loaded' in previous) return
  // currentScript is null in module scripts and after an await; the tag itself is the fallback.
  const script = (document.currentScript ?? document.querySelector('script[data-site]')) as HTMLScriptElement | null
  const data = script?.dataset ?? {}
  if (!script || !data.site) {
    console.warn('[leadcatcher] add data-site="<your site key>" to the widget script tag')
    return
  }
  const site = data.site
  const endpoint = (data.endpoint || new URL(script.src, location.href).origin).replace(/\/+$/, '')
  const tagLocale = toLocale(data.locale)
  // The page's "lead" listeners, before and after app.js arrived: the core emits into these.
  const listeners = new Set<LeadListener>()
  const on = listenTo(listeners)
  // What the page asked for before the app arrived: the last open/close wins.
  let wanted: OpenTarget | null | undefined
  let widget: Widget | undefined
  let loading: Promise<void> | undefined

  // The script's own task only installs the API below. The page's first fetch() and first
  // localStorage read each cost tens of ms on a slow phone, so each gets a task of its own.
  const configReady = nextTask().then(() => fetchSiteConfig(endpoint, site))
  // Every page view counts, also the ones left before the app chunk arrives (idle time). A timer
  // of its own: a task apart from the fetch's.
  const visitor = nextTask().then(() => guard(recordVisit)())
  const mounted = configReady.then(async (config) => {
    if (!config) {
      console.warn(`[leadcatcher] no config for site "${site}" at ${endpoint}; the widget stays hidden`)
      return null
    }
    await domReady()
    await visitor
    // The shadow root and its stylesheet: not in the task that parsed the config.
    await nextTask()
    const locale: Locale = tagLocale ?? pageLocale() ?? config.locale
    const host = createHost(config, locale, open)
    whenIdle(() => void load())
    return { config, host, locale }
  })

  const load = (): Promise<void> =>
    (loading ??= mounted
      .then(async (ready) => {
        if (!ready) return
        const { mountWidget } = await loadApp(script.src)
        // Evaluating app.js and rendering the view are two tasks, not one long one.
        await nextTask()
        const next = mountWidget({
          site,
          endpoint,
          locale: ready.locale,
          config: ready.config,
          host: ready.host,
          visitor: await visitor,
          listeners,
        })
        // The view chunk did not arrive: the facade stays, and the next click loads again (where
        // the browser keeps a failed import for the page, only the next page view will).
        if (!(await next.ready)) throw new Error('the widget did not start')
        widget = next
        if (wanted) next.open(wanted)
        else if (wanted === null) next.close()
      })
      .catch((error: unknown) => {
        // app.js did not arrive (offline, blocked): the next click on the facade tries again. Leads
        // are safe either way: the forms are not on the page without it.
        loading = undefined
        console.error('[leadcatcher]', error)
      }))

  const open = (panel: OpenTarget = 'callback') => {
    if (widget) return widget.open(panel)
    wanted = panel
    void load()
  }
  const close = () => {
    if (widget) return widget.close()
    wanted = null
  }

  // A Map, so a command named "constructor" or "__proto__" finds nothing.
  const commands = new Map<unknown, (...args: never[]) => unknown>([
    ['open', open],
    ['close', close],
    ['on', on],
  ])
  const call = guard((...[command, ...args]: unknown[]) => {
    const run = commands.get(command) as ((...args: unknown[]) => unknown) | undefined
    if (run) return run(...args)
    console.warn(`[leadcatcher] unknown command "${String(command)}"`)
    return undefined
  })
  // Page elements with data-leadcatcher-open="callback|chat" open the widget without an inline
  // script, which a strict CSP page cannot run.
  document.addEventListener('click', (event) => {
    const target = event.target instanceof Element ? event.target.closest('[data-leadcatcher-open]') : null
    const panel = target?.getAttribute('data-leadcatcher-open')
    if (panel !== 'callback' && panel !== 'chat') return
    event.preventDefault()
    guard(open)(panel)
  })
  window.Leadcatcher = Object.assign(call, {
    open: guard(open),
    close: guard(close),
    on: guard(on) as On,
    loaded: true as const,
  })
  for (const args of previous?.q ?? []) call(...Array.from(args))
}

try {
  boot()
} catch (error) {
  console.error('[leadcatcher]', error)
}
