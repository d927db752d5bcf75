// A site's config read once per few seconds instead of on every lead: each read is a database
// round trip plus a parse of the whole config, and every ingest, config fetch and status poll
// starts with one. A save through this process drops its entry at once; another Worker isolate
// sees the change within `ttlMs` (docs/configuration.md says so).
import type { SiteRecord, SiteStore } from './types'

export const SITE_CACHE_TTL_MS = 5_000
/** Sites kept at most; a flood of made-up site keys cannot grow the map past it. */
const MAX_ENTRIES = 1_000

interface Entry {
  record: SiteRecord | null
  until: number
}

/** The entries outlive the request's deps: one cache per isolate or process. */
export interface SiteCache {
  entries: Map<string, Entry>
  /** Bumped by every save: a read that began before a save does not store what it read. */
  saves: number
}

export function newSiteCache(): SiteCache {
  return { entries: new Map(), saves: 0 }
}

export function cachedSiteStore(store: SiteStore, cache: SiteCache, now: () => number, ttlMs = SITE_CACHE_TTL_MS): SiteStore {
  const { entries } = cache
  return {
    async getSite(id) {
      const hit = entries.get(id)
      if (hit && hit.until > now()) return hit.record
      const saves = cache.saves
      const record = await store.getSite(id)
      if (saves === cache.saves) {
        if (entries.size >= MAX_ENTRIES) entries.delete(entries.keys().next().value as string)
        // Unknown keys are kept too, so a burst for a site that does not exist costs one read.
        entries.set(id, { record, until: now() + ttlMs })
      }
      return record
    },
    listSites: () => store.listSites(),
    async putSite(id, config, at, note) {
      cache.saves++
      entries.delete(id)
      try {
        return await store.putSite(id, config, at, note)
      } finally {
        // A read that began during the save may have stored the old config.
        cache.saves++
        entries.delete(id)
      }
    },
    isKnownOrigin: (origin) => store.isKnownOrigin(origin),
  }
}
