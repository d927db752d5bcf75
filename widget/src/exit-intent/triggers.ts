// Exit-intent detection, without any view. Desktop: the pointer leaves through the top edge while
// moving up. Touch devices (no hover pointer): fast scroll-up after reading, coming back to the
// tab, or inactivity, each opt-in because each misfires on some sites.
import type { ExitIntentSettings } from '../../../shared/schemas/widget-settings'

export interface WatchExitIntentOptions {
  settings: Pick<ExitIntentSettings, 'minSecondsOnPage' | 'mobile'>
  onExitIntent(reason: ExitReason): void
  /** The page's start (ms); `performance.timeOrigin` based by default. */
  startedAt?: number
  now?: () => number
  /** Override for tests; otherwise `(hover: hover) and (pointer: fine)`. */
  desktop?: boolean
}

export type ExitReason = 'pointer' | 'scroll' | 'tab' | 'idle'

/** Fast scroll-up: at least this share of the viewport within SCROLL_WINDOW_MS. */
const SCROLL_UP_SHARE = 0.3
const SCROLL_WINDOW_MS = 400
/** "After reading": the visitor has scrolled at least this share of a viewport down first. */
const READ_SHARE = 1

/** True while the visitor types somewhere, on the page or in the widget's shadow root. */
export function isTyping(): boolean {
  let active: Element | null = document.activeElement
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement
  if (!active) return false
  return active.localName === 'input' || active.localName === 'textarea' || active.localName === 'select' || (active as HTMLElement).isContentEditable === true
}

/**
 * Watches for exit intent and calls `onExitIntent` at most once. Returns a stop function.
 *
 * @example
 * const stop = watchExitIntent({ settings, onExitIntent: () => showOffer() })
 */
export function watchExitIntent(options: WatchExitIntentOptions): () => void {
  const { settings, onExitIntent, now = Date.now } = options
  // "Time on page" counts from the page's start, not from when the app chunk arrived (idle time).
  const startedAt = options.startedAt ?? (options.now ? now() : performance.timeOrigin)
  const desktop = options.desktop ?? (typeof matchMedia === 'function' && matchMedia('(hover: hover) and (pointer: fine)').matches)
  const cleanups: (() => void)[] = []
  let fired = false
  const listen = (target: EventTarget, type: string, fn: (event: Event) => void) => {
    target.addEventListener(type, fn, { passive: true })
    cleanups.push(() => target.removeEventListener(type, fn))
  }
  const stop = () => {
    for (const cleanup of cleanups.splice(0)) cleanup()
  }
  const fire = (reason: ExitReason) => {
    if (fired || now() - startedAt < settings.minSecondsOnPage * 1000 || isTyping()) return
    fired = true
    stop()
    onExitIntent(reason)
  }

  if (desktop) {
    // Only after the pointer has moved inside the page: entering from the top is not leaving.
    let lastY: number | null = null
    let movingUp = false
    listen(document, 'mousemove', (event) => {
      const { clientY } = event as MouseEvent
      if (lastY !== null) movingUp = clientY < lastY
      lastY = clientY
    })
    listen(document, 'mouseout', (event) => {
      const { relatedTarget, clientY } = event as MouseEvent
      if (relatedTarget === null && clientY <= 0 && lastY !== null && movingUp) fire('pointer')
    })
    return stop
  }

  const { scrollUp, tabReturn, idleSeconds } = settings.mobile
  if (scrollUp) {
    let deepest = 0
    let samples: { y: number; t: number }[] = []
    listen(window, 'scroll', () => {
      const y = scrollY
      const t = now()
      deepest = Math.max(deepest, y)
      samples = [...samples.filter((s) => t - s.t <= SCROLL_WINDOW_MS), { y, t }]
      const peak = Math.max(...samples.map((s) => s.y))
      const read = deepest >= innerHeight * READ_SHARE
      if (read && peak - y >= innerHeight * SCROLL_UP_SHARE) fire('scroll')
    })
  }
  if (tabReturn) {
    let left = false
    listen(document, 'visibilitychange', () => {
      if (document.visibilityState === 'hidden') left = true
      else if (left) fire('tab')
    })
  }
  if (idleSeconds > 0) {
    let timer: ReturnType<typeof setTimeout> | undefined
    const arm = () => {
      clearTimeout(timer)
      timer = setTimeout(() => {
        fire('idle')
        // Held back (still too early, or the visitor is typing): another idle stretch counts.
        if (!fired) arm()
      }, idleSeconds * 1000)
    }
    for (const type of ['touchstart', 'scroll', 'keydown']) listen(window, type, arm)
    cleanups.push(() => clearTimeout(timer))
    arm()
  }
  return stop
}
