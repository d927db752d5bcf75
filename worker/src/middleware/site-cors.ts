// CORS for the public routes: only origins that some site allows get CORS headers or a preflight.
// This is not authorization: each route still checks the Origin against its own site's allowlist.
import type { Context, MiddlewareHandler } from 'hono'
import type { AppEnv } from '../deps'
import { ApiError } from '../http/api-error'

export interface SiteCorsOptions {
  /** Whether any configured site lists this exact Origin. */
  isKnownOrigin: (deps: AppEnv['Variables']['deps'], origin: string) => Promise<boolean>
  methods?: string[]
  maxAgeSeconds?: number
}

export function siteCors({ isKnownOrigin, methods = ['GET', 'POST'], maxAgeSeconds = 600 }: SiteCorsOptions): MiddlewareHandler<AppEnv> {
  const allowMethods = [...methods, 'OPTIONS'].join(', ')
  return async function siteCorsMiddleware(c, next) {
    const origin = c.req.header('Origin')
    const known = origin !== undefined && (await isKnownOrigin(c.var.deps, origin))
    if (c.req.method === 'OPTIONS') {
      if (!known) throw new ApiError(403, 'origin_not_allowed', 'This origin is not allowed to call the Leadcatcher API.')
      return new Response(null, {
        status: 204,
        headers: {
          'Access-Control-Allow-Origin': origin,
          'Access-Control-Allow-Methods': allowMethods,
          'Access-Control-Allow-Headers': 'Content-Type',
          'Access-Control-Max-Age': String(maxAgeSeconds),
          Vary: 'Origin',
        },
      })
    }
    await next()
    // The answer depends on Origin, so caches must key on it (Fetch standard, CORS protocol and HTTP caches).
    addCorsHeaders(c, known ? origin : null)
  }
}

/**
 * Sets the headers on the answer itself. Hono's c.header() after the handler copies the whole
 * Response first, since its headers might be immutable (a fetched one passed through): a copy per
 * header, on every lead. The routes' own answers have mutable headers; only an immutable one is
 * copied, by c.header() as before.
 */
function addCorsHeaders(c: Context<AppEnv>, allowOrigin: string | null): void {
  try {
    c.res.headers.append('Vary', 'Origin')
  } catch {
    c.header('Vary', 'Origin', { append: true })
    if (allowOrigin !== null) c.header('Access-Control-Allow-Origin', allowOrigin)
    return
  }
  if (allowOrigin !== null) c.res.headers.set('Access-Control-Allow-Origin', allowOrigin)
}
