// Tests for exit-intent detection: the desktop top-edge exit and the opt-in touch signals.
import { afterEach, describe, expect, it, vi } from 'vitest'
import { watchExitIntent } from './triggers'
import type { ExitReason } from './triggers'

const SETTINGS = {
  minSecondsOnPage: 10,
  mobile: { scrollUp: false, tabReturn: false, idleSeconds: 0 },
}
let stops: (() => void)[] = []
let clock = 0

function watch(options: { desktop: boolean; mobile?: Partial<typeof SETTINGS.mobile> }) {
  const reasons: ExitReason[] = []
  stops.push(
    watchExitIntent({
      settings: { ...SETTINGS, mobile: { ...SETTINGS.mobile, ...options.mobile } },
      desktop: options.desktop,
      startedAt: 0,
      now: () => clock,
      onExitIntent: (reason) => reasons.push(reason),
    }),
  )
  return reasons
}

const move = (clientY: number) => document.dispatchEvent(new MouseEvent('mousemove', { clientY }))
const leave = (clientY = -1) => document.dispatchEvent(new MouseEvent('mouseout', { clientY, relatedTarget: null }))

afterEach(() => {
  for (const stop of stops) stop()
  stops = []
  clock = 0
  vi.useRealTimers()
  for (const input of document.querySelectorAll('input')) input.remove()
})

describe('exit intent on desktop', () => {
  it('fires once when the pointer leaves through the top while moving up', () => {
    clock = 20_000
    const reasons = watch({ desktop: true })
    move(200)
    move(40)
    leave()
    leave()
    expect(reasons).toEqual(['pointer'])
  })

  it('ignores the pointer entering from the top, sideways exits and downward movement', () => {
    clock = 20_000
    const reasons = watch({ desktop: true })
    leave() // No movement inside the page yet: the pointer is only arriving.
    move(40)
    move(300)
    leave(-1) // Moving down.
    move(200)
    leave(250) // Left through a side, not the top.
    expect(reasons).toEqual([])
  })

  it('waits for the minimum time on page and never fires while a field is focused', () => {
    const reasons = watch({ desktop: true })
    clock = 5_000
    move(200)
    move(10)
    leave()
    expect(reasons).toEqual([])
    clock = 20_000
    const input = document.createElement('input')
    document.body.append(input)
    input.focus()
    move(200)
    move(10)
    leave()
    expect(reasons).toEqual([])
    input.blur()
    leave()
    expect(reasons).toEqual(['pointer'])
  })
})

describe('exit intent on touch devices', () => {
  it('does nothing unless a signal is turned on', () => {
    clock = 20_000
    const reasons = watch({ desktop: false })
    vi.spyOn(document, 'visibilityState', 'get').mockReturnValue('hidden')
    document.dispatchEvent(new Event('visibilitychange'))
    vi.restoreAllMocks()
    document.dispatchEvent(new Event('visibilitychange'))
    expect(reasons).toEqual([])
  })

  it('fires when the visitor comes back to the tab, if turned on', () => {
    clock = 20_000
    const reasons = watch({ desktop: false, mobile: { tabReturn: true } })
    vi.spyOn(document, 'visibilityState', 'get').mockReturnValue('hidden')
    document.dispatchEvent(new Event('visibilitychange'))
    vi.restoreAllMocks()
    document.dispatchEvent(new Event('visibilitychange'))
    expect(reasons).toEqual(['tab'])
  })

  it('fires on a fast scroll up after reading down the page', () => {
    clock = 20_000
    const reasons = watch({ desktop: false, mobile: { scrollUp: true } })
    const scrollTo = (y: number, at: number) => {
      clock = at
      vi.spyOn(window, 'scrollY', 'get').mockReturnValue(y)
      dispatchEvent(new Event('scroll'))
    }
    scrollTo(300, 20_000)
    scrollTo(200, 20_100) // Not read yet: a small bounce near the top.
    expect(reasons).toEqual([])
    scrollTo(innerHeight * 2, 30_000)
    scrollTo(innerHeight * 2 - innerHeight * 0.5, 30_200)
    expect(reasons).toEqual(['scroll'])
    vi.restoreAllMocks()
  })

  it('fires after the configured inactivity', () => {
    vi.useFakeTimers()
    clock = 20_000
    const reasons = watch({ desktop: false, mobile: { idleSeconds: 30 } })
    vi.advanceTimersByTime(20_000)
    dispatchEvent(new Event('touchstart'))
    vi.advanceTimersByTime(20_000)
    expect(reasons).toEqual([])
    vi.advanceTimersByTime(10_000)
    expect(reasons).toEqual(['idle'])
  })

  it('holds the inactivity trigger back while the visitor types, and fires after the next idle stretch', () => {
    vi.useFakeTimers()
    clock = 20_000
    const reasons = watch({ desktop: false, mobile: { idleSeconds: 30 } })
    const input = document.createElement('input')
    document.body.append(input)
    input.focus()
    vi.advanceTimersByTime(30_000)
    expect(reasons).toEqual([])
    input.blur()
    vi.advanceTimersByTime(29_999)
    expect(reasons).toEqual([])
    vi.advanceTimersByTime(1)
    expect(reasons).toEqual(['idle'])
  })
})

describe('time on page', () => {
  it('counts from the page’s start, not from when the watcher was set up', () => {
    const fired: ExitReason[] = []
    const start = (pageAgeMs: number) => {
      vi.spyOn(performance, 'timeOrigin', 'get').mockReturnValue(Date.now() - pageAgeMs)
      stops.push(watchExitIntent({ settings: SETTINGS, desktop: true, onExitIntent: (r) => fired.push(r) }))
      vi.restoreAllMocks()
    }
    start(5_000) // 5 s on the page: the 10 s minimum holds it back.
    move(200)
    move(40)
    leave()
    expect(fired).toEqual([])
    for (const stop of stops.splice(0)) stop()
    start(12_000) // The app chunk arrived late, but the visitor has been here 12 s.
    move(200)
    move(40)
    leave()
    expect(fired).toEqual(['pointer'])
  })
})
