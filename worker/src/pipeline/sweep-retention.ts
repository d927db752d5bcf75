// Cron: erases personal fields of leads older than each site's retention period (counts stay for
// stats) and deletes the rejected submissions recorded before it.
import type { Deps } from '../deps'

const DAY_MS = 24 * 60 * 60 * 1000

/**
 * Rejections carry no personal data, but they are written for every refused submission: a site
 * that keeps its leads forever still drops them after this long (a year-on-year report still has
 * its counts).
 */
export const REJECTION_DAYS_WITHOUT_RETENTION = 400

export async function sweepRetention(deps: Deps, { batchSize = 500 } = {}): Promise<number> {
  let erased = 0
  for (const site of await deps.sites.listSites()) {
    const days = site.config.retention?.days
    await deps.stats.pruneRejections(site.id, deps.now() - (days ?? REJECTION_DAYS_WITHOUT_RETENTION) * DAY_MS)
    if (days === undefined) continue
    const ids = await deps.leads.listExpired(site.id, deps.now() - days * DAY_MS, batchSize)
    erased += (await deps.leads.erasePersonalData(ids, deps.now())).leads
  }
  return erased
}
