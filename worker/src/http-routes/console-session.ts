// /v1/console/session: the console's sign-in (POST: the operator token or a site token for an
// HttpOnly session cookie), who is signed in (GET), and sign-out (DELETE). docs/security.md has the
// design; security/console-session.ts the checks.
import { Hono } from 'hono'
import type { Context } from 'hono'
import * as v from 'valibot'
import type { ConsoleScope, ConsoleSessionBody } from '../../../shared/console-api'
import type { AppEnv, Deps } from '../deps'
import { ApiError } from '../http/api-error'
import { methodNotAllowed } from '../http/method-not-allowed'
import { readJsonBody } from '../http/read-json-body'
import { parseOrReject } from '../http/valibot-issues'
import { identifyToken } from '../middleware/admin-auth'
import { jsonBodyLimit } from '../middleware/json-body-limit'
import type { AccessScope } from '../security/access-scope'
import {
  CSRF_HEADER,
  SESSION_TTL_SECONDS,
  consoleSignInLimits,
  csrfTokenOf,
  findSession,
  hasSessionCsrfToken,
  isSameOriginRequest,
  judgeSession,
  sessionCookie,
  sessionIdFromCookie,
  startSession,
  usableAdminToken,
} from '../security/console-session'

export const consoleSessionRoute = new Hono<AppEnv>()

// The token's value never appears in an issue message: only its type or length would.
const SignInSchema = v.object({
  token: v.pipe(v.string('must be a string'), v.minLength(1, 'is required'), v.maxLength(4096, 'is too long')),
})

async function describeScope(deps: Deps, scope: AccessScope): Promise<ConsoleScope> {
  if (scope.kind === 'operator') return { kind: 'operator' }
  if (!scope.managerId) return { kind: 'site', site: scope.siteId }
  const site = await deps.sites.getSite(scope.siteId)
  const manager = site?.config.routing?.managers.find((m) => m.id === scope.managerId)
  return { kind: 'site', site: scope.siteId, managerId: scope.managerId, ...(manager && { managerName: manager.name }) }
}

async function sessionBody(deps: Deps, scope: AccessScope, csrfToken: string, expiresAt: number): Promise<ConsoleSessionBody> {
  return { scope: await describeScope(deps, scope), csrfToken, expiresAt: new Date(expiresAt).toISOString() }
}

/**
 * Sign-in from another site's page would sign the visitor's browser into a session the attacker
 * chose (login CSRF). A browser's request from a page says where it comes from; a request without
 * Origin and Sec-Fetch-Site (curl, a script) is no browser's and may sign in.
 */
function maySignIn(c: Context): boolean {
  if (isSameOriginRequest(c)) return true
  const fetchSite = c.req.header('Sec-Fetch-Site')
  return c.req.header('Origin') === undefined && (fetchSite === undefined || fetchSite === 'none')
}

consoleSessionRoute.post('/session', jsonBodyLimit({ maxBytes: 8 * 1024 }), async (c) => {
  c.header('Cache-Control', 'no-store')
  if (!maySignIn(c)) throw new ApiError(403, 'csrf_failed', 'Sign in from the console itself.')
  // JSON only: a cross-site HTML form can send urlencoded, multipart or text/plain, never this.
  const { token } = parseOrReject(SignInSchema, await readJsonBody(c, { allowTextPlain: false }), 'The sign-in request is not valid.')
  const { deps } = c.var
  const decision = await deps.limiter.hit(consoleSignInLimits(c.var.clientIp), deps.now())
  if (!decision.allowed) {
    throw new ApiError(429, 'rate_limited', 'Too many sign-in attempts; try again later.', {
      headers: { 'Retry-After': String(decision.retryAfterSeconds) },
    })
  }
  // The same work for every wrong token as admin auth does (identifyToken), so this 401 says
  // nothing through its timing either.
  const identity = await identifyToken(deps, token)
  if (!identity) throw new ApiError(401, 'unauthorized', 'This token is not valid.')
  // identifyToken answers operator only when ADMIN_TOKEN is usable.
  const source = identity.siteToken ? { siteTokenHash: identity.siteToken.hash } : { operatorToken: usableAdminToken(deps)! }
  const issued = await startSession(deps, identity.scope, source)
  c.header('Set-Cookie', sessionCookie(c.req.url, issued.sessionId, SESSION_TTL_SECONDS))
  return c.json(await sessionBody(deps, issued.scope, issued.csrfToken, issued.expiresAt))
})

/**
 * Who is signed in, with the CSRF token again (a reloaded console has lost it). Handing the CSRF
 * token to a GET is safe: only script on the console's own origin can read this response (no CORS
 * on /v1/console, so another origin's fetch gets an opaque failure, and SameSite=Strict keeps the
 * cookie off cross-site requests anyway); a page that can read it could make the request itself.
 */
consoleSessionRoute.get('/session', async (c) => {
  c.header('Cache-Control', 'no-store')
  const { deps } = c.var
  const sessionId = sessionIdFromCookie(c.req.header('Cookie')) ?? ''
  const check = sessionId === '' ? null : await judgeSession(deps, sessionId, await findSession(deps, sessionId))
  if (check?.ok !== true) {
    if (check?.code === 'session_expired') throw new ApiError(401, 'session_expired', 'The console session has expired or was ended; sign in again.')
    throw new ApiError(401, 'unauthorized', 'Not signed in.')
  }
  return c.json(await sessionBody(deps, check.scope, await csrfTokenOf(sessionId), check.record.expiresAt))
})

/** Sign-out: ends the session (expired ones too) and clears the cookie; without a session, just clears it. */
consoleSessionRoute.delete('/session', async (c) => {
  c.header('Cache-Control', 'no-store')
  const { deps } = c.var
  const sessionId = sessionIdFromCookie(c.req.header('Cookie')) ?? ''
  const record = sessionId === '' ? null : await findSession(deps, sessionId)
  if (record) {
    if (!(isSameOriginRequest(c) && (await hasSessionCsrfToken(c, record)))) {
      throw new ApiError(403, 'csrf_failed', `Sign-out needs the session's ${CSRF_HEADER} header, from the console's own origin.`)
    }
    await deps.consoleSessions.revoke(record.idHash, deps.now())
  }
  c.header('Set-Cookie', sessionCookie(c.req.url, '', 0))
  return c.body(null, 204)
})

consoleSessionRoute.on(['PUT', 'PATCH'], '/session', methodNotAllowed(['GET', 'POST', 'DELETE']))
