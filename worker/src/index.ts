// Worker entry: wires the HTTP app, the delivery queue consumers and the cron sweep.
import { app } from './app'
import { createDeps } from './deps'
import { consumeDeadLetters, consumeDeliveries } from './delivery/consume-deliveries'
import type { DeliveryMessage } from './delivery/delivery-queue'
import { sweepDeliveries } from './delivery/sweep-deliveries'

export default {
  fetch: app.fetch,

  async queue(batch, env, _ctx) {
    const deps = createDeps(env)
    if (batch.queue.endsWith('-dlq')) await consumeDeadLetters(batch, deps)
    else await consumeDeliveries(batch, deps)
  },

  async scheduled(_controller, env, ctx) {
    ctx.waitUntil(sweepDeliveries(createDeps(env)))
  },
} satisfies ExportedHandler<Env, DeliveryMessage>
