// Cron: erases personal fields of leads older than each site's retention period (counts stay for stats).
import type { Deps } from '../deps'

const DAY_MS = 24 * 60 * 60 * 1000

export async function sweepRetention(deps: Deps, { batchSize = 500 } = {}): Promise<number> {
  let erased = 0
  for (const site of await deps.sites.listSites()) {
    const days = site.config.retention?.days
    if (days === undefined) continue
    const ids = await deps.leads.listExpired(site.id, deps.now() - days * DAY_MS, batchSize)
    erased += (await deps.leads.erasePersonalData(ids, deps.now())).leads
  }
  return erased
}
