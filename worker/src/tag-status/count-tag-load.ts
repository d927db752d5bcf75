// Counts a widget config fetch for "Is the tag live?" without slowing the config route: the count
// is kept in memory and written (one upsert, in the background) at most once a minute per site and
// origin, carrying every fetch since the last write. The memory is per isolate (Workers) or per
// process (Node), so a fetch counted just before an isolate ends may be lost, and a burst that
// straddles midnight UTC is counted on the day it is written: "today" is approximate by design.
import type { Deps } from '../deps'

/** At most one write per (site, origin) in this many ms. */
export const TAG_WRITE_INTERVAL_MS = 60_000

/** Bounds the memory: well above sites × allowed origins of any real deployment. */
const MAX_KEYS = 10_000

interface Pending {
  lastWriteAt: number
  loads: number
}

export interface TagLoadCounter {
  /**
   * Counts one fetch of `siteId`'s config from `origin` (already checked against the allowlist),
   * and returns the write to run in the background, or null when this one waits for the next.
   */
  count(deps: Pick<Deps, 'tagSeen'>, siteId: string, origin: string, now: number): Promise<void> | null
}

/** `YYYY-MM-DD` of a unix ms, in UTC. */
export function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10)
}

export function createTagLoadCounter({ intervalMs = TAG_WRITE_INTERVAL_MS } = {}): TagLoadCounter {
  const pending = new Map<string, Pending>()
  return {
    count(deps, siteId, origin, now) {
      const key = `${siteId} ${origin}`
      const entry = pending.get(key) ?? { lastWriteAt: Number.NEGATIVE_INFINITY, loads: 0 }
      entry.loads++
      if (now - entry.lastWriteAt < intervalMs) {
        pending.set(key, entry)
        return null
      }
      const loads = entry.loads
      if (pending.size >= MAX_KEYS && !pending.has(key)) pending.clear()
      pending.set(key, { lastWriteAt: now, loads: 0 })
      return deps.tagSeen.record(siteId, origin, utcDay(now), loads, now)
    },
  }
}

/** The counter the config route uses: one per isolate or process. */
export const tagLoads = createTagLoadCounter()
