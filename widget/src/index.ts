// Bootstrap of the one script tag: reads its data-* attributes, mounts the widget once, and turns
// the `window.Leadcatcher` stub (and the calls queued on it) into the real API.
import { toLocale } from './i18n'
import { mountWidget } from './mount'
import type { Widget } from './mount'

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
  open: Widget['open']
  close: Widget['close']
  on: Widget['on']
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
  const script = (document.currentScript ??
    document.querySelector('script[data-site]')) as HTMLScriptElement | null
  const data = script?.dataset ?? {}
  if (!script || !data.site) {
    console.warn('[leadcatcher] add data-site="<your site key>" to the widget script tag')
    return
  }
  const widget = mountWidget({
    site: data.site,
    endpoint: (data.endpoint || new URL(script.src, location.href).origin).replace(/\/+$/, ''),
    locale: toLocale(data.locale),
  })
  // A Map, so a command named "constructor" or "__proto__" finds nothing.
  const commands = new Map<unknown, (...args: never[]) => unknown>([
    ['open', widget.open],
    ['close', widget.close],
    ['on', widget.on],
  ])
  const call = guard((...[command, ...args]: unknown[]) => {
    const run = commands.get(command) as ((...args: unknown[]) => unknown) | undefined
    if (run) return run(...args)
    console.warn(`[leadcatcher] unknown command "${String(command)}"`)
    return undefined
  })
  window.Leadcatcher = Object.assign(call, {
    open: guard(widget.open),
    close: guard(widget.close),
    on: guard(widget.on) as Widget['on'],
    loaded: true as const,
  })
  for (const args of previous?.q ?? []) call(...Array.from(args))
}

try {
  boot()
} catch (error) {
  console.error('[leadcatcher]', error)
}
