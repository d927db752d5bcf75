// Campaigns a good lead cannot move, as this isolate or process last read them. A group that is
// quiet, with its last N full and no spike, stays so under good leads: each one pushes an item out
// of the last N (its junk stays or falls) and adds a good one to the last 24 h. Only junk, a status
// change, time (items leaving the 24 h window) or the site's baseline can tip it, and junk and
// status changes always read the totals. So a good lead of a group read settled less than
// SETTLED_TTL_MS ago is stored without them: most leads of a busy campaign skip the costliest part
// of their insert, and what time or the baseline did is seen at the first full read after.
import type { QualityGroup } from '../storage/types'
import type { QualitySettings } from './junk-spike'

/** How long a settled reading stands: the longest a spike that time alone made waits for a good lead to see it. */
export const SETTLED_TTL_MS = 60_000
const MAX_GROUPS = 1_000

export interface SettledGroups {
  /** Whether the group, judged with these settings, was read settled at most the TTL before `now`. */
  has(siteId: string, settings: QualitySettings, group: QualityGroup, now: number): boolean
  /** What a full read at `now` found: settled or not. A reading older than the one kept is ignored. */
  note(siteId: string, settings: QualitySettings, group: QualityGroup, settled: boolean, now: number): void
}

// The settings are part of the key: a site whose threshold or N changed is read again at once.
const keyOf = (siteId: string, { windowLeads, thresholdPercent, baselineFactor }: QualitySettings, group: QualityGroup) =>
  JSON.stringify([siteId, windowLeads, thresholdPercent, baselineFactor, group.utmSource, group.utmCampaign, group.page])

export function newSettledGroups(ttlMs: number = SETTLED_TTL_MS): SettledGroups {
  // The last reading of each group, settled or not: a reading older than the one kept (a request
  // whose read came first but whose answer was judged last) does not replace it.
  const readings = new Map<string, { at: number; settled: boolean }>()
  return {
    has(siteId, settings, group, now) {
      const reading = readings.get(keyOf(siteId, settings, group))
      return reading?.settled === true && now >= reading.at && now - reading.at < ttlMs
    },
    note(siteId, settings, group, settled, now) {
      const key = keyOf(siteId, settings, group)
      const kept = readings.get(key)
      if (kept !== undefined && kept.at > now) return
      readings.delete(key)
      // The oldest reading goes first: a Map iterates in insertion order, and a note re-inserts.
      const oldest = readings.keys().next()
      if (readings.size >= MAX_GROUPS && !oldest.done) readings.delete(oldest.value)
      readings.set(key, { at: now, settled })
    },
  }
}
