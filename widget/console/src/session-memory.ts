// That this browser was signed in, and until when: the session's end time in localStorage, never
// the token nor the CSRF token. The cookie has Max-Age 12 h, so the browser drops it by itself and
// the server then sees nobody (401 `unauthorized`, not `session_expired`); this end time is how
// the console still tells "your session expired" from a first visit.
import type { SignInNotice } from './sign-in/sign-in'

const STORAGE_KEY = 'leadcatcher.console.signedInUntil'

/**
 * The browser counts Max-Age on its own clock, the end time is the server's: clocks a few minutes
 * apart still count as expired.
 */
const CLOCK_SLACK_MS = 5 * 60_000

/** localStorage can throw (disabled storage, Safari private mode): then only the server's word counts. */
export function rememberSignedIn(expiresAt: string): void {
  try {
    localStorage.setItem(STORAGE_KEY, expiresAt)
  } catch {
    // Not remembered: a session the browser drops is then a plain sign-in page.
  }
}

export function forgetSignedIn(): void {
  try {
    localStorage.removeItem(STORAGE_KEY)
  } catch {
    // Nothing was stored.
  }
}

function signedInUntil(): number | null {
  try {
    const value = localStorage.getItem(STORAGE_KEY)
    return value === null ? null : Date.parse(value)
  } catch {
    return null
  }
}

/**
 * Why the sign-in page is shown after a 401, and forgets the end time (the next 401 is a new story).
 * `unknown` is the notice when this browser has no end time: none at load, "signed out" when a
 * request of the open console was refused.
 * @example
 * // signed in until 08:00, the browser dropped the cookie, the console asks at 08:01:
 * sessionEndNotice('unauthorized', null) // → 'session_expired'
 */
export function sessionEndNotice(code: string, unknown: SignInNotice, now: number = Date.now()): SignInNotice {
  const until = signedInUntil()
  forgetSignedIn()
  if (code === 'session_expired') return 'session_expired'
  if (until === null || Number.isNaN(until)) return unknown
  // Before its end the cookie went some other way (cleared with the browser's data, say).
  return now >= until - CLOCK_SLACK_MS ? 'session_expired' : 'unauthorized'
}
