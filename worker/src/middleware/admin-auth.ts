// Guards /v1/admin/* with `Authorization: Bearer <ADMIN_TOKEN>`, compared in constant time.
import type { MiddlewareHandler } from 'hono'
import { ApiError } from '../http/api-error'

const encoder = new TextEncoder()

/**
 * Hashing both sides first makes the comparison independent of where the strings differ and of
 * their lengths, so response time says nothing about the token.
 */
async function tokensMatch(given: string, expected: string): Promise<boolean> {
  const [a, b] = await Promise.all([
    crypto.subtle.digest('SHA-256', encoder.encode(given)),
    crypto.subtle.digest('SHA-256', encoder.encode(expected)),
  ])
  return crypto.subtle.timingSafeEqual(a, b)
}

export function adminAuth(): MiddlewareHandler<{ Bindings: Env }> {
  return async function adminAuthMiddleware(c, next) {
    const expected = c.env.ADMIN_TOKEN
    const header = c.req.header('Authorization') ?? ''
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header)
    // An unset or trivially short token must never open the admin API.
    const ok = typeof expected === 'string' && expected.length >= 16 && match !== null && (await tokensMatch(match[1]!, expected))
    if (!ok) {
      throw new ApiError(401, 'unauthorized', 'A valid admin token is required (Authorization: Bearer <token>).', {
        headers: { 'WWW-Authenticate': 'Bearer realm="leadcatcher-admin"' },
      })
    }
    await next()
  }
}
