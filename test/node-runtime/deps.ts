// createDeps(env) for the shared suites on Node: the same createNodeDeps the server uses, with
// the test env's database, vars and queue.
import type { Deps } from '../../worker/src/deps'
import type { QueueMessage } from '../../worker/src/delivery/delivery-queue'
import { createNodeDeps } from '../../worker/src/node/node-deps'
import type { TestEnv } from './env'

export function createDeps(env: TestEnv): Deps {
  const queue = env.DELIVERY_QUEUE
  return createNodeDeps({
    db: env.DB,
    // The shape the shared code sends (a recording fake in some tests), as the Worker's queue gets it.
    queue: {
      async wake(ids, delaySeconds) {
        if (ids.length > 0) await queue.sendBatch(ids.map((deliveryId) => ({ body: { deliveryId } satisfies QueueMessage, delaySeconds: Math.ceil(delaySeconds) })))
      },
      async scheduleSla(check, delaySeconds) {
        await queue.send(check, { delaySeconds: Math.ceil(delaySeconds) })
      },
    },
    adminToken: env.ADMIN_TOKEN,
    allowPrivateTargets: env.ALLOW_PRIVATE_TARGETS === 'true',
    resolveTargetHosts: env.RESOLVE_TARGET_HOSTS !== 'false',
    schedulerLastTickAt: () => Date.now(),
    // The suites stub globalThis.fetch to play the targets (guardedFetch has its own tests).
    fetch: (input, init) => globalThis.fetch(input, init),
  })
}
