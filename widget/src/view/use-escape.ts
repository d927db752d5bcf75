// Escape anywhere on the page while something the widget showed unasked is up (the chat invite):
// content that appears on its own must be dismissable without moving focus (WCAG 1.4.13).
import { useEffect } from 'preact/hooks'

/** Calls `onEscape` on Escape in the page or the widget while `active`; leaves handled keys alone. */
export function useEscape(active: boolean, onEscape: (() => void) | undefined): void {
  useEffect(() => {
    if (!active || !onEscape) return
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape' && !event.defaultPrevented) onEscape()
    }
    document.addEventListener('keydown', onKey)
    return () => document.removeEventListener('keydown', onKey)
  }, [active, onEscape])
}
