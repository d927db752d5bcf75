// Guards /v1/admin/* with `Authorization: Bearer <token>`: the operator's ADMIN_TOKEN (compared in
// constant time) or a per-site token (looked up by its SHA-256), which sets the access scope. Both
// checks run for every request, so a 401 takes the same time whatever token was wrong.
import type { MiddlewareHandler } from 'hono'
import { ApiError } from '../http/api-error'
import type { AdminEnv } from '../deps'
import type { AccessScope } from '../security/access-scope'
import { sameSecret, sha256 } from '../security/same-secret'

function hex(buffer: ArrayBuffer): string {
  return [...new Uint8Array(buffer)].map((b) => b.toString(16).padStart(2, '0')).join('')
}

/** The stored form of a site token. */
export async function siteTokenHash(token: string): Promise<string> {
  return hex(await sha256(token))
}

export function adminAuth(): MiddlewareHandler<AdminEnv> {
  return async function adminAuthMiddleware(c, next) {
    const { deps } = c.var
    const expected = deps.adminToken
    const match = /^Bearer\s+(\S+)\s*$/i.exec(c.req.header('Authorization') ?? '')
    const given = match?.[1] ?? ''
    // The same work for every request, whatever it carries (no header, any scheme, any prefix): a
    // site-token lookup only for `lct_…` tokens made those 401s one database query slower, measurably
    // (test/e2e/admin-timing.e2e.test.ts).
    const [operator, siteId] = await Promise.all([
      sameSecret(given, expected ?? ''),
      siteTokenHash(given).then((hash) => deps.siteTokens.findSite(hash)),
    ])
    let scope: AccessScope | null = null
    // An unset or trivially short operator token must never open the admin API.
    if (match && typeof expected === 'string' && expected.length >= 16 && operator) {
      scope = { kind: 'operator' }
    } else if (match && given.startsWith('lct_') && siteId) {
      scope = { kind: 'site', siteId }
    }
    if (!scope) {
      throw new ApiError(401, 'unauthorized', 'A valid admin token is required (Authorization: Bearer <token>).', {
        headers: { 'WWW-Authenticate': 'Bearer realm="leadcatcher-admin"' },
      })
    }
    c.set('scope', scope)
    await next()
  }
}
