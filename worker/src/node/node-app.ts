// The shared app on the Node runtime: deps, background work and the visitor's IP per request,
// and the built widget served by the server itself with Cloudflare's asset headers.
import type { IncomingMessage } from 'node:http'
import type { Context } from 'hono'
import { createApp } from '../app'
import type { Deps, RuntimeMiddleware } from '../deps'
import { clientIp } from './client-ip'
import type { TrustProxy } from './client-ip'
import { staticAssets } from './static-assets'

export interface NodeAppOptions {
  /** One Deps for the process (the server), or per request (tests give each request its own env). */
  deps: Deps | ((c: Context) => Deps)
  trustProxy: TrustProxy
  /** Collects work that outlives the response, so shutdown can wait for it. */
  background: (task: Promise<unknown>, c: Context) => void
  /** The built widget folder; omitted, no static files are served. */
  staticDir?: string
}

/** What @hono/node-server passes as `c.env`. */
interface NodeBindings {
  incoming?: IncomingMessage
}

export function createNodeApp({ deps, trustProxy, background, staticDir }: NodeAppOptions) {
  const bindNode: RuntimeMiddleware = async (c, next) => {
    c.set('deps', typeof deps === 'function' ? deps(c) : deps)
    c.set('background', (task) => background(task, c))
    const peer = (c.env as NodeBindings | undefined)?.incoming?.socket.remoteAddress
    c.set('clientIp', clientIp(peer, c.req.raw.headers, trustProxy))
    await next()
  }
  return createApp(bindNode, {
    before: staticDir === undefined ? undefined : (app) => void app.use(staticAssets({ root: staticDir })),
  })
}
