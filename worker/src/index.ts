// Worker entry: wires the HTTP app, the delivery queue consumers and the cron sweep.
import { app } from './app'
import { createDeps } from './deps'
import { consumeDeadLetters, consumeDeliveries } from './delivery/consume-deliveries'
import type { QueueMessage } from './delivery/delivery-queue'
import { sweepDeliveries } from './delivery/sweep-deliveries'
import { sweepRetention } from './pipeline/sweep-retention'
import { d1RateLimiterCleanup } from './security/rate-limiter'

export default {
  fetch: app.fetch,

  async queue(batch, env, _ctx) {
    const deps = createDeps(env)
    if (batch.queue.endsWith('-dlq')) await consumeDeadLetters(batch, deps)
    else await consumeDeliveries(batch, deps)
  },

  async scheduled(_controller, env, ctx) {
    const deps = createDeps(env)
    ctx.waitUntil(Promise.all([sweepDeliveries(deps), sweepRetention(deps), d1RateLimiterCleanup(env.DB, deps.now())]))
  },
} satisfies ExportedHandler<Env, QueueMessage>
