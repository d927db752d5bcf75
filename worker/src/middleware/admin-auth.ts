// Guards /v1/admin/* with `Authorization: Bearer <token>`: the operator's ADMIN_TOKEN (compared in
// constant time) or a per-site token (looked up by its SHA-256), which sets the access scope. Without
// an Authorization header the console's session cookie counts instead (security/console-session.ts);
// a cookie is an ambient credential, so its unsafe requests also need the session's CSRF token and
// the page's own origin. All three checks run for every request, so a 401 takes the same time
// whatever token was wrong.
import type { MiddlewareHandler } from 'hono'
import { ApiError } from '../http/api-error'
import type { AdminEnv, Deps } from '../deps'
import type { AccessScope } from '../security/access-scope'
import {
  CSRF_HEADER,
  findSession,
  hasSessionCsrfToken,
  isSameOriginRequest,
  isUnsafeMethod,
  judgeSession,
  sessionIdFromCookie,
  usableAdminToken,
} from '../security/console-session'
import { sameSecret, sha256Hex } from '../security/same-secret'
import type { SiteTokenRecord } from '../storage/types'

/** The stored form of a site token. */
export async function siteTokenHash(token: string): Promise<string> {
  return sha256Hex(token)
}

export interface TokenIdentity {
  scope: AccessScope
  /** The site token that proved it; null for the operator. */
  siteToken: SiteTokenRecord | null
}

/**
 * Who a token proves to be, or null. The same work for every input, null (no token) included: a
 * constant-time compare with ADMIN_TOKEN and one site-token lookup by SHA-256. A lookup only for
 * `lct_…` tokens made those 401s one database query slower, measurably
 * (test/e2e/admin-timing.e2e.test.ts).
 */
export async function identifyToken(deps: Deps, given: string | null): Promise<TokenIdentity | null> {
  const token = given ?? ''
  const [operator, siteToken] = await Promise.all([sameSecret(token, deps.adminToken ?? ''), siteTokenHash(token).then((hash) => deps.siteTokens.findToken(hash))])
  // An unset or trivially short operator token must never open the admin API.
  if (given !== null && usableAdminToken(deps) !== null && operator) return { scope: { kind: 'operator' }, siteToken: null }
  if (given !== null && token.startsWith('lct_') && siteToken) {
    const scope: AccessScope = { kind: 'site', siteId: siteToken.siteId, ...(siteToken.managerId !== null && { managerId: siteToken.managerId }) }
    return { scope, siteToken }
  }
  return null
}

const CHALLENGE = { 'WWW-Authenticate': 'Bearer realm="leadcatcher-admin"' }

export function adminAuth(): MiddlewareHandler<AdminEnv> {
  return async function adminAuthMiddleware(c, next) {
    const { deps } = c.var
    const authorization = c.req.header('Authorization')
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')
    // The cookie counts only when no Authorization header came at all: a caller that sends a token
    // is answered for that token. No cookie looks up '' so that costs the same as a cookie.
    const sessionId = authorization === undefined ? (sessionIdFromCookie(c.req.header('Cookie')) ?? '') : ''
    const [identity, session] = await Promise.all([identifyToken(deps, match?.[1] ?? null), findSession(deps, sessionId)])
    if (identity) {
      // Bearer requests need no CSRF check: the browser never attaches an Authorization header on
      // its own, so a cross-site page cannot make one.
      c.set('scope', identity.scope)
      return next()
    }
    if (sessionId !== '') {
      const check = await judgeSession(deps, sessionId, session)
      if (!check.ok && check.code === 'session_expired') {
        throw new ApiError(401, 'session_expired', 'The console session has expired or was ended; sign in again.', { headers: CHALLENGE })
      }
      if (check.ok) {
        if (isUnsafeMethod(c.req.method) && !(isSameOriginRequest(c) && (await hasSessionCsrfToken(c, check.record)))) {
          throw new ApiError(403, 'csrf_failed', `A change made with the console session needs its ${CSRF_HEADER} header, from the console's own origin.`)
        }
        c.set('scope', check.scope)
        return next()
      }
    }
    throw new ApiError(401, 'unauthorized', 'A valid admin token is required (Authorization: Bearer <token>), or a console session.', { headers: CHALLENGE })
  }
}
