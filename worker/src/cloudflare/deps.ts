// Builds the Deps a request or batch works with from the Worker's bindings: D1, the queue, the
// optional Email binding, DNS over HTTPS for target checks.
import type { Deps } from '../deps'
import type { QueueMessage } from '../delivery/delivery-queue'
import { cloudflareDeliveryQueue } from './delivery-queue'
import { privateAddressesOf } from '../security/resolve-host'
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
import { sqlSpendStore } from '../storage/sql-spend-store'
import { sqlDigestStore } from '../storage/sql-digest-store'
import { sqlCallStore } from '../telephony/sql-call-store'
import { numberCapsFrom } from '../telephony/dial-caps'
import { cachedSiteStore, newSiteCache } from '../storage/cached-site-store'
import { newQualityCache } from '../storage/sql-quality-store'
import { newSettledGroups } from '../quality/settled-groups'

/**
 * `[[send_email]]` is commented out in wrangler.toml until a sending domain is onboarded, so the
 * generated Env may lack it; read it as optional.
 */
function emailBinding(env: Env): SendEmail | undefined {
  return (env as Env & { SEND_EMAIL?: SendEmail }).SEND_EMAIL
}

// Deps are built per request; the caches live as long as the isolate.
const siteCache = newSiteCache()
const qualityCache = newQualityCache()
const settledGroups = newSettledGroups()

export function createDeps(env: Env): Deps {
  const email = emailBinding(env)
  const db: SqlDatabase = env.DB
  const outbound: typeof fetch = (input, init) => fetch(input, init)
  const allowPrivateTargets = env.ALLOW_PRIVATE_TARGETS === 'true'
  return {
    ...(email && { email }),
    sites: cachedSiteStore(sqlSiteStore(db), siteCache, () => Date.now()),
    configVersions: sqlConfigVersionStore(db),
    leads: sqlLeadStore(db),
    sla: sqlSlaStore(db),
    deliveries: sqlDeliveryStore(db),
    stats: sqlStatsStore(db),
    quality: sqlQualityStore(db, qualityCache),
    settledGroups,
    spend: sqlSpendStore(db),
    digests: sqlDigestStore(db),
    siteTokens: sqlSiteTokenStore(db),
    consoleSessions: sqlConsoleSessionStore(db),
    health: sqlHealthStore(db),
    tagSeen: sqlTagSeenStore(db),
    limiter: sqlRateLimiter(db),
    autoReplyHistory: sqlAutoReplyHistory(db),
    calls: sqlCallStore(db),
    dialCaps: numberCapsFrom(env as Env & { AUTODIAL_NUMBER_INTERVAL_MINUTES?: string; AUTODIAL_NUMBER_PER_DAY?: string }),
    queue: cloudflareDeliveryQueue(env.DELIVERY_QUEUE as Queue<QueueMessage>),
    fetch: outbound,
    now: () => Date.now(),
    random: () => Math.random(),
    allowPrivateTargets,
    adminToken: env.ADMIN_TOKEN,
    privateAddressesOf: env.RESOLVE_TARGET_HOSTS === 'false' ? async () => [] : (url) => privateAddressesOf(url, outbound),
    runtime: { name: 'cloudflare', cloudflareEmail: true, schedulerLastTickAt: () => null },
  }
}
