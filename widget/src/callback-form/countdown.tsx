// The promise after an in-hours request, made visible: "we are calling you: 0:27" ticking down,
// then what happens next once it runs out. One component on purpose: auto-dial's live call state
// (ringing, answered) replaces it later without touching the form.
import { useEffect, useState } from 'preact/hooks'
import type { Strings } from '../i18n'

export interface CountdownProps {
  /** From the promise (`hours.callWithinSeconds`); counts down from here once mounted. */
  seconds: number
  strings: Pick<Strings, 'calling' | 'callingOver'>
}

/** `27` → `0:27`. */
export const clock = (seconds: number) =>
  `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`

export function Countdown({ seconds, strings }: CountdownProps) {
  const [left, setLeft] = useState(seconds)
  useEffect(() => {
    if (left <= 0) return
    const timer = setTimeout(() => setLeft(left - 1), 1000)
    return () => clearTimeout(timer)
  }, [left])
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
