// Builds the stores, queue and clock a request or batch works with, from the Worker's bindings.
import type { DeliveryDeps } from './delivery/attempt-delivery'
import { cloudflareDeliveryQueue } from './delivery/delivery-queue'
import type { DeliveryQueue, QueueMessage } from './delivery/delivery-queue'
import { d1DeliveryStore } from './storage/d1-delivery-store'
import { d1LeadStore } from './storage/d1-lead-store'
import { d1SiteStore } from './storage/d1-site-store'
import { d1StatsStore } from './storage/d1-stats-store'
import type { LeadStore, StatsStore } from './storage/types'
import { d1RateLimiter } from './security/rate-limiter'
import type { RateLimiter } from './security/rate-limiter'

export interface Deps extends DeliveryDeps {
  leads: LeadStore
  stats: StatsStore
  limiter: RateLimiter
  queue: DeliveryQueue
}

/**
 * `[[send_email]]` is commented out in wrangler.toml until a sending domain is onboarded, so the
 * generated Env may lack it; read it as optional.
 */
function emailBinding(env: Env): SendEmail | undefined {
  return (env as Env & { SEND_EMAIL?: SendEmail }).SEND_EMAIL
}

export function createDeps(env: Env): Deps {
  const email = emailBinding(env)
  return {
    ...(email && { email }),
    sites: d1SiteStore(env.DB),
    leads: d1LeadStore(env.DB),
    deliveries: d1DeliveryStore(env.DB),
    stats: d1StatsStore(env.DB),
    limiter: d1RateLimiter(env.DB),
    queue: cloudflareDeliveryQueue(env.DELIVERY_QUEUE as Queue<QueueMessage>),
    fetch: (input, init) => fetch(input, init),
    now: () => Date.now(),
    random: () => Math.random(),
    allowPrivateTargets: env.ALLOW_PRIVATE_TARGETS === 'true',
  }
}
