// The widget's one set of "lead" listeners. The loader holds it, so listeners the page added
// before app.js arrived and after are the same set, and hands it to the core, which emits into
// it. The loader ships only `listenTo`; `emitLead` is the core's (size: the first load).
import type { LeadSource } from '../../../shared/schemas/lead'

export interface LeadEvent {
  id: string
  source: LeadSource
}

export interface WidgetEvents {
  lead: LeadEvent
}

export type LeadListener = (lead: LeadEvent) => void

export type LeadListeners = Set<LeadListener>

/** `Leadcatcher.on`: returns a function that removes the listener. */
export type On = <E extends keyof WidgetEvents>(event: E, listener: (payload: WidgetEvents[E]) => void) => () => void

/** Adds a listener to `listeners`; the page calls `on` with anything, so its arguments are checked. */
export function listenTo(listeners: LeadListeners): On {
  return (event, listener) => {
    if (event !== 'lead' || typeof listener !== 'function') {
      console.warn(`[leadcatcher] cannot listen to "${String(event)}"`)
      return () => {}
    }
    listeners.add(listener)
    return () => listeners.delete(listener)
  }
}

export function emitLead(listeners: LeadListeners, lead: LeadEvent): void {
  for (const listener of listeners) {
    // A broken analytics callback on the page must not break the widget, nor the next listener.
    try {
      listener(lead)
    } catch (error) {
      console.error('[leadcatcher] a "lead" listener threw', error)
    }
  }
}
