// The promise after an in-hours request, made visible: "we are calling you: 0:27" ticking down,
// then what happens next once it runs out. With auto-dial (`follow`) it follows the real call
// instead: connecting to a manager, calling you, connected, missed, or when a scheduled call rings.
import { useEffect, useState } from 'preact/hooks'
import type { Strings } from '../view/i18n'

/** Starts following the call, showing each state's text; returns the stop (follow-call.ts). */
export type FollowCall = (show: (text: string | null, over: boolean) => void) => () => void

export interface CountdownProps {
  /** From the promise (`hours.callWithinSeconds`); counts down from here once mounted. */
  seconds: number
  strings: Pick<Strings, 'calling' | 'callingOver'>
  /** Auto-dial: follows the real call; absent, the countdown is all there is. */
  follow?: FollowCall | undefined
  /** False while the dialog is closed: nothing is asked then. */
  active?: boolean
}

/** `27` → `0:27`. */
export const clock = (seconds: number) => `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`

export function Countdown({ seconds, strings, follow, active = true }: CountdownProps) {
  const [left, setLeft] = useState(seconds)
  const [call, setCall] = useState<{ text: string | null; over: boolean }>({ text: null, over: false })
  useEffect(() => {
    if (left <= 0) return
    const timer = setTimeout(() => setLeft(left - 1), 1000)
    return () => clearTimeout(timer)
  }, [left])
  useEffect(() => {
    if (follow && active && !call.over) return follow((text, over) => setCall((was) => ({ text: text ?? was.text, over })))
  }, [active, call.over])
  if (call.text) {
    return (
      <p class="note countdown" role="status">
        {call.text}
      </p>
    )
  }
  return (
    <>
      {left > 0 && (
        // Not live: a region announcing every second would drown the reply for screen readers.
        <p class="note countdown">{strings.calling(clock(left))}</p>
      )}
      {/* Live and always there, so the next step is announced once, when the time runs out. */}
      <p class="note countdown" role="status">
        {left > 0 ? '' : strings.callingOver}
      </p>
    </>
  )
}
