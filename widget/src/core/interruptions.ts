// The one interruption budget every proactive UI shares (the exit-intent offer and the chat
// invite): at most one per page view, at most one per `capPerDays`, and never again after the
// visitor converted or dismissed twice. Any new proactive UI imports it; do not copy it.
export const INTERRUPTIONS_KEY = 'leadcatcher:interruptions'
/** Two "no, thanks" mean no: the visitor told us twice. */
export const MAX_DISMISSALS = 2

interface State {
  /** When the last proactive UI was shown (ms since epoch). */
  lastShown: number
  dismissals: number
  converted: boolean
}

// Per page view: module state lives exactly as long as the page.
let shownOnThisPage = false

function read(): State {
  try {
    const value = JSON.parse(localStorage.getItem(INTERRUPTIONS_KEY) ?? 'null') as State | null
    if (value && typeof value.lastShown === 'number') return value
  } catch {
    // Unreadable storage: start afresh; the per-page limit still holds.
  }
  return { lastShown: 0, dismissals: 0, converted: false }
}

function write(state: State): void {
  try {
    localStorage.setItem(INTERRUPTIONS_KEY, JSON.stringify(state))
  } catch {
    // Storage refused: the per-page limit still holds.
  }
}

/**
 * Whether a proactive UI may appear now.
 *
 * @example
 * if (canInterrupt(settings.capPerDays)) { spendInterruption(); showInvite() }
 */
export function canInterrupt(capPerDays: number, now: number = Date.now()): boolean {
  if (shownOnThisPage) return false
  const state = read()
  if (state.converted || state.dismissals >= MAX_DISMISSALS) return false
  return now - state.lastShown >= capPerDays * 86_400_000
}

/** Call right when a proactive UI appears. */
export function spendInterruption(now: number = Date.now()): void {
  shownOnThisPage = true
  write({ ...read(), lastShown: now })
}

/** The visitor closed a proactive UI without acting. */
export function noteDismissed(): void {
  const state = read()
  write({ ...state, dismissals: state.dismissals + 1 })
}

/** The visitor left a lead (any source): no more proactive interruptions for them. */
export function noteConverted(): void {
  write({ ...read(), converted: true })
}

/** Tests only: a new page view. */
export function resetPageView(): void {
  shownOnThisPage = false
}
