// The Worker module's shape (fetch, queue, scheduled) over the Node runtime, so the shared worker
// suites call the Node app exactly as they call the Worker. fetch goes through createNodeApp (the
// server's app, with TRUST_PROXY=loopback and a loopback peer, so a test's X-Forwarded-For is the
// client IP); queue and scheduled run the same shared consumers and sweeps on node:sqlite.
import type { Context } from 'hono'
import { consumeDeadLetters, consumeDeliveries } from '../../worker/src/cloudflare/consume-deliveries'
import type { QueueMessage } from '../../worker/src/delivery/delivery-queue'
import { sweepDeliveries } from '../../worker/src/delivery/sweep-deliveries'
import { parseTrustProxy } from '../../worker/src/node/client-ip'
import type { TrustProxy } from '../../worker/src/node/client-ip'
import { createNodeApp } from '../../worker/src/node/node-app'
import { sweepRetention } from '../../worker/src/pipeline/sweep-retention'
import { sweepSlaChecks } from '../../worker/src/lead-routing/sweep-sla'
import { cronPublicUrl } from '../../worker/src/cloudflare/cron-public-url'
import { sweepDigests } from '../../worker/src/daily-digest/send-digest'
import { sweepQuality } from '../../worker/src/quality/check-quality'
import { createDeps } from './deps'
import { env as defaultEnv } from './env'
import type { TestEnv } from './env'

export interface ExecutionContextLike {
  waitUntil(task: Promise<unknown>): void
}

interface RequestBindings {
  env: TestEnv
  ctx?: ExecutionContextLike
  incoming?: { socket: { remoteAddress: string } }
}

const trust = parseTrustProxy('loopback') as TrustProxy

export const app = createNodeApp({
  deps: (c: Context) => createDeps((c.env as RequestBindings | undefined)?.env ?? defaultEnv),
  trustProxy: trust,
  background: (task, c) => {
    const ctx = (c.env as RequestBindings | undefined)?.ctx
    if (ctx) ctx.waitUntil(task)
    else void task.catch((error: unknown) => console.error('background work failed', error))
  },
})

/** What the shared suites' `app.request(path, init, env)` passes: Worker-style env objects. */
const originalRequest = app.request.bind(app)
app.request = ((input: string | Request | URL, init?: RequestInit, env?: TestEnv) => {
  const request = input instanceof Request ? input : new Request(new URL(String(input), 'http://localhost'), init)
  return originalRequest(request, undefined, bindings(request, env ?? defaultEnv))
}) as typeof app.request

/**
 * A request that names its client (X-Forwarded-For, see fromIp in test/worker/helpers.ts) arrives
 * through a loopback proxy; one that does not has no known peer, like a Worker request without
 * CF-Connecting-IP, so no per-IP limit applies to it.
 */
function bindings(request: Request, env: TestEnv, ctx?: ExecutionContextLike): RequestBindings {
  const proxied = request.headers.has('X-Forwarded-For')
  return { env, ...(ctx && { ctx }), ...(proxied && { incoming: { socket: { remoteAddress: '127.0.0.1' } } }) }
}

export interface MessageLike<T> {
  id: string
  body: T
  attempts: number
  ack(): void
  retry(options?: { delaySeconds?: number }): void
}

export interface BatchLike<T> {
  queue: string
  messages: MessageLike<T>[]
}

export default {
  fetch(request: Request, env: TestEnv = defaultEnv, ctx?: ExecutionContextLike): Promise<Response> {
    return Promise.resolve(app.fetch(request, bindings(request, env, ctx)))
  },

  async queue(batch: BatchLike<QueueMessage>, env: TestEnv = defaultEnv, _ctx?: ExecutionContextLike): Promise<void> {
    const deps = createDeps(env)
    if (batch.queue.endsWith('-dlq')) await consumeDeadLetters(batch, deps)
    else await consumeDeliveries(batch, deps)
  },

  async scheduled(_controller: unknown, env: TestEnv = defaultEnv, ctx?: ExecutionContextLike): Promise<void> {
    const deps = createDeps(env)
    const work = Promise.all([
      sweepDeliveries(deps),
      sweepSlaChecks(deps),
      sweepRetention(deps),
      deps.limiter.cleanup(deps.now()),
      deps.consoleSessions.pruneExpired(deps.now()),
      // As the Node scheduler's sweep: its console links from the server's PUBLIC_URL.
      sweepQuality(deps, {
        now: deps.now(),
        baseUrl: cronPublicUrl(env.PUBLIC_URL),
        background: (task) => (ctx ? ctx.waitUntil(task) : void task.catch((error: unknown) => console.error('background work failed', error))),
      }),
      sweepDigests(deps, { now: deps.now(), baseUrl: cronPublicUrl(env.PUBLIC_URL) }),
    ])
    if (ctx) ctx.waitUntil(work)
    else await work
  },
}
