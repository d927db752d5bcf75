// What a request, a delivery attempt or a sweep works with: the stores, the wake-ups, the clock and
// the runtime's own adapters. Each runtime builds it: cloudflare/deps.ts from the Worker's
// bindings, node/node-deps.ts from node:sqlite and the in-process scheduler.
import type { MiddlewareHandler } from 'hono'
import type { DeliveryDeps } from './delivery/attempt-delivery'
import type { DeliveryQueue } from './delivery/delivery-queue'
import type { AccessScope } from './security/access-scope'
import type { RateLimiter } from './security/rate-limiter'
import type { CallStore, DialCaps } from './telephony/call-store'
import type { TagSeenStore } from './storage/types'
import type { SettledGroups } from './quality/settled-groups'
import type { ConfigVersionStore, ConsoleSessionStore, HealthStore, LeadStore, QualityStore, SiteTokenStore, SpendStore, DigestStore, SlaStore, StatsStore } from './storage/types'

export interface Deps extends DeliveryDeps {
  leads: LeadStore
  sla: SlaStore
  stats: StatsStore
  /** Junk-spike alert state per campaign (worker/src/quality). */
  quality: QualityStore
  /** Campaigns this isolate or process read settled: their good leads skip the totals read. */
  settledGroups: SettledGroups
  /** Campaign spend for cost per lead (worker/src/spend). */
  spend: SpendStore
  /** The daily digest's sent days (worker/src/digest). */
  digests: DigestStore
  siteTokens: SiteTokenStore
  /** Every saved site config, numbered, with who saved it (admin-config-versions). */
  configVersions: ConfigVersionStore
  consoleSessions: ConsoleSessionStore
  health: HealthStore
  /** Widget config fetches per allowed origin ("Is the tag live?"). */
  tagSeen: TagSeenStore
  limiter: RateLimiter
  queue: DeliveryQueue
  /** The operator token (ADMIN_TOKEN); unset or shorter than 16 characters never opens the admin API. */
  adminToken: string | undefined
  /**
   * Private addresses a target URL's host resolves to; null when the look-up failed (the config
   * is refused); empty when the look-up is switched off.
   */
  privateAddressesOf: (url: string) => Promise<string[] | null>
  runtime: RuntimeInfo
  /** Auto-dial's calls, legs and dial log (worker/src/telephony). */
  calls: CallStore
  /** The deployment's per-number caps, when not the defaults (30 minutes apart, 3 a day). */
  dialCaps?: Pick<DialCaps, 'numberIntervalMs' | 'numberPerDay'>
}

export interface RuntimeInfo {
  name: 'cloudflare' | 'node'
  /** Whether `autoreply-email` targets with provider "cloudflare" can ever send here. */
  cloudflareEmail: boolean
  /** The in-process scheduler's last tick (Node); null where Cloudflare Queues wake deliveries. */
  schedulerLastTickAt: () => number | null
}

export interface AppVariables {
  deps: Deps
  /** Work that outlives the response (the first delivery attempt): waitUntil, or a tracked promise. */
  background: (task: Promise<unknown>) => void
  /** The visitor's IP as the runtime sees it (CF-Connecting-IP, or the socket under TRUST_PROXY). */
  clientIp: string | null
}

export type AppEnv = { Variables: AppVariables }
export type AdminEnv = { Variables: AppVariables & { scope: AccessScope } }

/** The runtime's first middleware: sets `deps`, `background` and `clientIp` for every request. */
export type RuntimeMiddleware = MiddlewareHandler<AppEnv>
