// The widget's one "lead" emitter. The loader makes it and hands it to the core, so listeners the
// page added before app.js arrived and after are the same set, and the core emits into it.
import type { LeadSource } from '../../shared/schemas/lead'

export interface LeadEvent {
  id: string
  source: LeadSource
}

export interface WidgetEvents {
  lead: LeadEvent
}

export type LeadListener = (lead: LeadEvent) => void

/** Adds a listener; the page calls `on` with anything, so its arguments are checked. */
export type On = <E extends keyof WidgetEvents>(
  event: E,
  listener: (payload: WidgetEvents[E]) => void,
) => () => void

export interface LeadEvents {
  /** `Leadcatcher.on`: returns a function that removes the listener. */
  on: On
  /** The core's own listeners (the chat hears of every lead). */
  listen(listener: LeadListener): () => void
  emit(lead: LeadEvent): void
}

export function createLeadEvents(): LeadEvents {
  const listeners = new Set<LeadListener>()
  const listen = (listener: LeadListener) => {
    listeners.add(listener)
    return () => listeners.delete(listener)
  }
  return {
    on: (event, listener) => {
      if (event !== 'lead' || typeof listener !== 'function') {
        console.warn(`[leadcatcher] cannot listen to "${String(event)}"`)
        return () => {}
      }
      return listen(listener)
    },
    listen,
    emit: (lead) => {
      for (const listener of listeners) {
        // A broken analytics callback on the page must not break the widget, nor the next listener.
        try {
          listener(lead)
        } catch (error) {
          console.error('[leadcatcher] a "lead" listener threw', error)
        }
      }
    },
  }
}
