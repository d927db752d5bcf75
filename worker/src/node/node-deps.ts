// Builds the Deps of the self-hosted runtime: the same SQL stores on node:sqlite, the scheduler's
// wake-ups, and node:dns for target checks. No Cloudflare Email binding here.
import type { Deps } from '../deps'
import type { DeliveryQueue } from '../delivery/delivery-queue'
import type { SqlDatabase } from '../storage/sql-database'
import { sqlConsoleSessionStore } from '../storage/sql-console-session-store'
import { sqlDeliveryStore } from '../storage/sql-delivery-store'
import { sqlHealthStore } from '../storage/sql-health-store'
import { sqlTagSeenStore } from '../storage/sql-tag-seen-store'
import { sqlLeadStore } from '../storage/sql-lead-store'
import { sqlRateLimiter } from '../storage/sql-rate-limiter'
import { sqlAutoReplyHistory } from '../storage/sql-auto-reply-history'
import { sqlSiteStore } from '../storage/sql-site-store'
import { sqlConfigVersionStore } from '../storage/sql-config-version-store'
import { sqlSiteTokenStore } from '../storage/sql-site-token-store'
import { sqlSlaStore } from '../storage/sql-sla-store'
import { sqlStatsStore } from '../storage/sql-stats-store'
import { sqlQualityStore } from '../storage/sql-quality-store'
import { newSettledGroups } from '../quality/settled-groups'
import { sqlSpendStore } from '../storage/sql-spend-store'
import { sqlDigestStore } from '../storage/sql-digest-store'
import { sqlCallStore } from '../telephony/sql-call-store'
import { numberCapsFrom } from '../telephony/dial-caps'
import { guardedFetch } from './guarded-fetch'
import type { LeaseRegistry } from './lease-registry'
import { withLeaseRegistry } from './lease-registry'
import { nodePrivateAddressesOf } from './resolve-host'
import { cachedSiteStore, newSiteCache } from '../storage/cached-site-store'

export interface NodeDepsOptions {
  db: SqlDatabase
  queue: DeliveryQueue
  adminToken: string | undefined
  allowPrivateTargets: boolean
  resolveTargetHosts: boolean
  schedulerLastTickAt: () => number | null
  fetch?: typeof fetch
  now?: () => number
}

export function createNodeDeps(options: NodeDepsOptions): Deps {
  return createNodeDepsWithLeases(options).deps
}

/** The deps and the leases this process holds (the server hands them back when it stops). */
export function createNodeDepsWithLeases({
  db,
  queue,
  adminToken,
  allowPrivateTargets,
  resolveTargetHosts,
  schedulerLastTickAt,
  fetch: outbound,
  now = () => Date.now(),
}: NodeDepsOptions): { deps: Deps; leases: LeaseRegistry } {
  const leases = withLeaseRegistry(sqlDeliveryStore(db))
  const deps: Deps = {
    // One cache per deps: the server builds them once; the suites build them per request.
    sites: cachedSiteStore(sqlSiteStore(db), newSiteCache(), () => Date.now()),
    configVersions: sqlConfigVersionStore(db),
    leads: sqlLeadStore(db),
    sla: sqlSlaStore(db),
    deliveries: leases.store,
    stats: sqlStatsStore(db),
    quality: sqlQualityStore(db),
    settledGroups: newSettledGroups(),
    spend: sqlSpendStore(db),
    digests: sqlDigestStore(db),
    siteTokens: sqlSiteTokenStore(db),
    consoleSessions: sqlConsoleSessionStore(db),
    health: sqlHealthStore(db),
    tagSeen: sqlTagSeenStore(db),
    limiter: sqlRateLimiter(db),
    autoReplyHistory: sqlAutoReplyHistory(db),
    calls: sqlCallStore(db),
    dialCaps: numberCapsFrom(process.env),
    queue,
    // Unlike a Worker, this process can reach private networks: outside local development every
    // connection is checked against the address it actually goes to.
    fetch: outbound ?? (allowPrivateTargets ? (input, init) => fetch(input, init) : guardedFetch()),
    now,
    random: () => Math.random(),
    allowPrivateTargets,
    adminToken,
    privateAddressesOf: resolveTargetHosts ? (url) => nodePrivateAddressesOf(url) : async () => [],
    runtime: { name: 'node', cloudflareEmail: false, schedulerLastTickAt },
  }
  return { deps, leases }
}
