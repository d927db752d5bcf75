// Puts the widget on a page: reads the site config, builds the shadow root, renders, and returns
// the handle behind `window.Leadcatcher`. The bootstrap calls it; tests call it with a config.
import type { LeadSource } from '../../shared/schemas/lead'
import type { Locale, PublicSiteConfig } from '../../shared/schemas/site-config'
import { render } from 'preact'
import { fetchSiteConfig, sendLead } from './api'
import type { Fetch } from './api'
import { App, PANELS } from './app'
import type { Panel } from './app'
import { adoptStyles } from './styles'

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
  config?: PublicSiteConfig | undefined
  fetch?: Fetch | undefined
  /** Where the host element goes; `document.body` by default. */
  root?: HTMLElement | undefined
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

function domReady(): Promise<unknown> {
  return document.readyState === 'loading'
    ? new Promise((resolve) =>
        document.addEventListener('DOMContentLoaded', resolve, { once: true }),
      )
    : Promise.resolve()
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

  const setPanel = (next: Panel | null) => {
    panel = next
    draw()
  }
  // Page scripts call these with anything, so the arguments are checked, not trusted.
  const open = (next: Panel = 'callback') => {
    if (PANELS.includes(next)) setPanel(next)
    else console.warn(`[leadcatcher] unknown panel "${String(next)}"`)
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
    unmount()
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
    const config = options.config ?? (await fetchSiteConfig(endpoint, site, fetchImpl))
    if (!config) {
      console.warn(
        `[leadcatcher] no config for site "${site}" at ${endpoint}; the widget stays hidden`,
      )
      return false
    }
    await domReady()
    if (destroyed) return false
    const host = document.createElement('leadcatcher-widget')
    const shadow = host.attachShadow({ mode: 'open' })
    adoptStyles(shadow)
    // Preact takes over whatever its container holds, so it gets a node of its own next to a
    // possible fallback <style>.
    const container = document.createElement('div')
    shadow.append(container)
    ;(options.root ?? document.body).append(host)
    const locale = options.locale ?? config.locale
    draw = () =>
      render(
        <App
          site={site}
          locale={locale}
          config={config}
          panel={panel}
          onOpen={open}
          onClose={close}
          send={(lead) => sendLead(endpoint, lead, fetchImpl)}
          onLead={({ id, source }) => emitLead({ id, source })}
        />,
        container,
      )
    unmount = () => {
      render(null, container)
      host.remove()
    }
    draw()
    return true
  }

  const ready = start().catch((error: unknown) => {
    console.error('[leadcatcher]', error)
    return false
  })
  return { open, close, on, destroy, ready }
}
