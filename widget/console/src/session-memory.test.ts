// What the console remembers of a session: its end time only, and what a 401 means with it.
import { beforeEach, describe, expect, it } from 'vitest'
import { forgetSignedIn, rememberSignedIn, sessionEndNotice } from './session-memory'

beforeEach(() => localStorage.clear())

const END = '2026-12-01T20:00:00.000Z'
const at = (iso: string) => Date.parse(iso)

describe('the remembered end of a session', () => {
  it('turns “not signed in” into “expired” once the end time has passed, and is forgotten then', () => {
    rememberSignedIn(END)
    expect(sessionEndNotice('unauthorized', null, at('2026-12-01T20:00:01.000Z'))).toBe('session_expired')
    expect(localStorage.length).toBe(0)
    // Asked again (another 401), nothing is remembered any more: a plain sign-in page.
    expect(sessionEndNotice('unauthorized', null, at('2026-12-01T20:00:02.000Z'))).toBeNull()
  })

  it('counts a few minutes early as expired: the browser drops the cookie on its own clock', () => {
    rememberSignedIn(END)
    expect(sessionEndNotice('unauthorized', null, at('2026-12-01T19:56:00.000Z'))).toBe('session_expired')
  })

  it('says “signed out” when the cookie went long before the end, and nothing on a first visit', () => {
    rememberSignedIn(END)
    expect(sessionEndNotice('unauthorized', null, at('2026-12-01T10:00:00.000Z'))).toBe('unauthorized')
    expect(sessionEndNotice('unauthorized', null, at('2026-12-01T10:00:00.000Z'))).toBeNull()
    expect(sessionEndNotice('unauthorized', 'unauthorized', at('2026-12-01T10:00:00.000Z'))).toBe('unauthorized')
  })

  it('believes the server’s “expired” whatever is remembered', () => {
    expect(sessionEndNotice('session_expired', null)).toBe('session_expired')
    rememberSignedIn(END)
    expect(sessionEndNotice('session_expired', null, at('2026-12-01T10:00:00.000Z'))).toBe('session_expired')
  })

  it('keeps the end time and nothing else, and forgets it on request', () => {
    rememberSignedIn(END)
    expect({ ...localStorage }).toEqual({ 'leadcatcher.console.signedInUntil': END })
    forgetSignedIn()
    expect(localStorage.length).toBe(0)
  })
})
