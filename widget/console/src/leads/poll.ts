// Live inbox: poll the first page every 5 s, back off on errors (5, 10, 20, 40, 60 s) and in a
// hidden tab (60 s), poll at once when the tab comes back, and fold new leads in at the top without
// losing the pages already loaded.
import { useEffect, useRef, useState } from 'preact/hooks'
import type { LeadView } from '../api-types'

export interface PollOptions {
  /** Between polls while all is well. */
  baseMs?: number
  /** The longest wait: after repeated errors and in a hidden tab. */
  maxMs?: number
}

export const POLL_BASE_MS = 5_000
export const POLL_MAX_MS = 60_000

/**
 * @example
 * nextPollDelay(0, false) // → 5000
 * nextPollDelay(3, false) // → 40000
 * nextPollDelay(0, true)  // → 60000
 */
export function nextPollDelay(failures: number, hidden: boolean, { baseMs = POLL_BASE_MS, maxMs = POLL_MAX_MS }: PollOptions = {}): number {
  if (hidden) return maxMs
  return Math.min(maxMs, baseMs * 2 ** Math.min(failures, 16))
}

/**
 * The list after a poll: the fresh first page on top, then the loaded leads older than it (pages
 * loaded with "more"). A lead on the old list but not on the fresh page, and newer than its end, no
 * longer matches the filters (its status changed) and goes. `added` are the leads not shown before.
 */
export function mergeFresh(current: readonly LeadView[], fresh: readonly LeadView[]): { leads: LeadView[]; added: LeadView[] } {
  const known = new Set(current.map((lead) => lead.id))
  const added = fresh.filter((lead) => !known.has(lead.id))
  const last = fresh.at(-1)
  if (last === undefined) return { leads: [], added }
  const freshIds = new Set(fresh.map((lead) => lead.id))
  const older = current.filter((lead) => !freshIds.has(lead.id) && (lead.createdAt < last.createdAt || (lead.createdAt === last.createdAt && lead.id < last.id)))
  return { leads: [...fresh, ...older], added }
}

export interface PollState {
  /** Errors in a row (0 when the last poll worked). */
  failures: number
  /** When the next poll runs, ms since the epoch; null while one is running. */
  nextAt: number | null
}

/**
 * Runs `task` at once and then again and again, as nextPollDelay says; restarts when `key` changes
 * (other filters). `task` answers whether it worked.
 */
export function usePolling(task: () => Promise<boolean>, key: string, options: PollOptions = {}): PollState {
  const [state, setState] = useState<PollState>({ failures: 0, nextAt: null })
  const latest = useRef(task)
  latest.current = task
  const { baseMs, maxMs } = options

  useEffect(() => {
    let stopped = false
    let timer: ReturnType<typeof setTimeout> | undefined
    let running = false
    let failures = 0

    const schedule = () => {
      const delay = nextPollDelay(failures, document.visibilityState === 'hidden', { baseMs, maxMs })
      timer = setTimeout(run, delay)
      setState({ failures, nextAt: Date.now() + delay })
    }
    const run = async () => {
      clearTimeout(timer)
      if (stopped || running) return
      running = true
      setState((s) => ({ ...s, nextAt: null }))
      let ok = false
      try {
        ok = await latest.current()
      } catch {
        ok = false
      }
      running = false
      if (stopped) return
      failures = ok ? 0 : failures + 1
      schedule()
    }
    const onVisibility = () => {
      if (document.visibilityState === 'visible' && !running) void run()
    }
    document.addEventListener('visibilitychange', onVisibility)
    void run()
    return () => {
      stopped = true
      clearTimeout(timer)
      document.removeEventListener('visibilitychange', onVisibility)
    }
  }, [key, baseMs, maxMs])

  return state
}
