import { describe, expect, it } from 'vitest'
import type { SiteConfig } from '../../../shared/schemas/site-config'
import { cachedSiteStore, newSiteCache } from './cached-site-store'
import type { SiteRecord, SiteStore } from './types'

/** A store in memory that counts its reads, with a gate to hold a read open. */
function memoryStore() {
  const rows = new Map<string, SiteRecord>()
  let reads = 0
  let gate: Promise<void> | null = null
  const store: SiteStore = {
    async getSite(id) {
      reads++
      const row = rows.get(id) ?? null
      if (gate) await gate
      return row
    },
    listSites: async () => [...rows.values()],
    async putSite(id, config, now) {
      const existed = rows.has(id)
      rows.set(id, { id, config, createdAt: now, updatedAt: now })
      return existed ? 'replaced' : 'created'
    },
    isKnownOrigin: async () => false,
  }
  return {
    store,
    reads: () => reads,
    hold(): () => void {
      let open!: () => void
      gate = new Promise((resolve) => (open = resolve))
      return () => {
        gate = null
        open()
      }
    },
  }
}

const config = (locale: string) => ({ origins: [], country: 'RU', locale, targets: [] }) as unknown as SiteConfig

describe('cachedSiteStore', () => {
  it('reads a site once within the time to live, and again after it', async () => {
    const memory = memoryStore()
    const clock = { now: 1_000 }
    const sites = cachedSiteStore(memory.store, newSiteCache(), () => clock.now, 5_000)
    await memory.store.putSite('shop', config('ru'), 0)
    expect((await sites.getSite('shop'))?.config.locale).toBe('ru')
    await sites.getSite('shop')
    expect(memory.reads()).toBe(1)
    clock.now += 5_001
    await sites.getSite('shop')
    expect(memory.reads()).toBe(2)
  })

  it('keeps an unknown key too, so a flood of it costs one read', async () => {
    const memory = memoryStore()
    const sites = cachedSiteStore(memory.store, newSiteCache(), () => 0)
    for (let i = 0; i < 5; i++) expect(await sites.getSite('nope')).toBeNull()
    expect(memory.reads()).toBe(1)
  })

  it('a save through it shows at once', async () => {
    const memory = memoryStore()
    const sites = cachedSiteStore(memory.store, newSiteCache(), () => 0)
    await sites.putSite('shop', config('ru'), 0)
    expect((await sites.getSite('shop'))?.config.locale).toBe('ru')
    await sites.putSite('shop', config('en'), 1)
    expect((await sites.getSite('shop'))?.config.locale).toBe('en')
  })

  it('a read that began before a save does not put the old config back', async () => {
    const memory = memoryStore()
    const sites = cachedSiteStore(memory.store, newSiteCache(), () => 0)
    await sites.putSite('shop', config('ru'), 0)
    const release = memory.hold()
    const slow = sites.getSite('shop')
    await sites.putSite('shop', config('en'), 1)
    release()
    expect((await slow)?.config.locale).toBe('ru')
    expect((await sites.getSite('shop'))?.config.locale).toBe('en')
  })
})
