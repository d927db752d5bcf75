// Cloudflare Workers entry: the shared app with D1-backed deps per request, the delivery queue
// consumers and the cron sweep.
import { createApp } from '../app'
import type { RuntimeMiddleware } from '../deps'
import { consumeDeadLetters, consumeDeliveries } from './consume-deliveries'
import type { QueueMessage } from '../delivery/delivery-queue'
import { sweepDeliveries } from '../delivery/sweep-deliveries'
import { sweepRetention } from '../pipeline/sweep-retention'
import { sweepQuality } from '../quality/check-quality'
import { sweepDigests } from '../daily-digest/send-digest'
import { sweepSlaChecks } from '../lead-routing/sweep-sla'
import { cronPublicUrl } from './cron-public-url'
import { createDeps } from './deps'

const bindWorker: RuntimeMiddleware = async (c, next) => {
  const env = c.env as Env
  c.set('deps', createDeps(env))
  c.set('background', (task) => c.executionCtx.waitUntil(task))
  c.set('clientIp', c.req.header('CF-Connecting-IP') ?? null)
  await next()
}

export const app = createApp(bindWorker)

export default {
  fetch: app.fetch,

  async queue(batch, env, _ctx) {
    const deps = createDeps(env)
    if (batch.queue.endsWith('-dlq')) await consumeDeadLetters(batch, deps)
    else await consumeDeliveries(batch, deps)
  },

  async scheduled(_controller, env, ctx) {
    const deps = createDeps(env)
    const now = deps.now()
    const baseUrl = cronPublicUrl(env.PUBLIC_URL)
    ctx.waitUntil(
      Promise.all([
        sweepDeliveries(deps),
        sweepSlaChecks(deps),
        sweepRetention(deps),
        deps.limiter.cleanup(now),
        deps.calls.prune(now),
        deps.consoleSessions.pruneExpired(now),
        // A cron has no request to take an origin from: PUBLIC_URL says where the console is.
        sweepQuality(deps, { now, baseUrl, background: (task) => ctx.waitUntil(task) }),
        sweepDigests(deps, { now, baseUrl }),
      ]),
    )
  },
} satisfies ExportedHandler<Env, QueueMessage>
