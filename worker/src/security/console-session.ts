// Console sessions: the operator token or a site token exchanged for an HttpOnly cookie, and the
// checks every cookie-authenticated request goes through (live session, CSRF token, same origin).
// The design and its reasons are in docs/security.md.
import type { Context } from 'hono'
import type { Deps } from '../deps'
import type { ConsoleSessionRecord, ConsoleSessionScope } from '../storage/types'
import type { AccessScope } from './access-scope'
import { hex, hmacSha256, sameDigest, sha256Hex } from './same-secret'
import { clientNetwork } from './client-network'

export const SESSION_COOKIE = 'lc_session'
/** The longest a session lives, whatever happens to it meanwhile (the 12 h). */
export const SESSION_TTL_SECONDS = 12 * 60 * 60
export const CSRF_HEADER = 'X-CSRF-Token'

/**
 * Sign-in attempts allowed, counted whether they succeed or not. Per IP generous enough for an
 * office of managers behind one NAT signing in at nine; the global ceiling bounds guessing from
 * many addresses (a flood can lock sign-in for everyone meanwhile; bearer tokens keep working).
 */
export const SIGN_IN_LIMITS = { perIpPer10Minutes: 20, globalPer10Minutes: 300 }

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

function base64url(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes))
    .replaceAll('+', '-')
    .replaceAll('/', '_')
    .replace(/=+$/, '')
}

/** 32 random bytes, base64url: a session id (or any other unguessable value). */
export function randomToken(): string {
  const random = new Uint8Array(32)
  crypto.getRandomValues(random)
  return base64url(random)
}

/**
 * The session's CSRF token, derived from the session id so `GET /v1/console/session` can hand it
 * out again without the database holding it (the row keeps its SHA-256). One-way: a CSRF token
 * that leaks to script does not reveal the HttpOnly session id.
 */
export async function csrfTokenOf(sessionId: string): Promise<string> {
  return base64url(new Uint8Array(await hmacSha256(sessionId, 'leadcatcher console csrf v1')))
}

/**
 * What an operator session is bound to: the session id keyed with ADMIN_TOKEN. A new ADMIN_TOKEN
 * gives another value, so every operator session ends; and unlike a plain SHA-256 of ADMIN_TOKEN,
 * a copy of the database gives nobody a way to test guesses at the operator token offline.
 */
export async function operatorProof(adminToken: string, sessionId: string): Promise<string> {
  return hex(await hmacSha256(adminToken, `leadcatcher console session v1 ${sessionId}`))
}

/** The operator token when it may open anything: unset or shorter than 16 characters never does. */
export function usableAdminToken(deps: Pick<Deps, 'adminToken'>): string | null {
  const token = deps.adminToken
  return typeof token === 'string' && token.length >= 16 ? token : null
}

export function accessScopeOf(scope: ConsoleSessionScope): AccessScope {
  if (scope.kind === 'operator') return { kind: 'operator' }
  return { kind: 'site', siteId: scope.siteId, ...(scope.managerId !== null && { managerId: scope.managerId }) }
}

export interface IssuedSession {
  sessionId: string
  csrfToken: string
  scope: AccessScope
  expiresAt: number
}

/** Makes and stores a session for a scope the caller has just proven (see identifyToken). */
export async function startSession(deps: Deps, scope: AccessScope, source: { siteTokenHash: string } | { operatorToken: string }): Promise<IssuedSession> {
  const sessionId = randomToken()
  const csrfToken = await csrfTokenOf(sessionId)
  const createdAt = deps.now()
  const expiresAt = createdAt + SESSION_TTL_SECONDS * 1000
  const sourceHash = 'siteTokenHash' in source ? source.siteTokenHash : await operatorProof(source.operatorToken, sessionId)
  await deps.consoleSessions.create({
    idHash: await sha256Hex(sessionId),
    scope: scope.kind === 'operator' ? { kind: 'operator' } : { kind: 'site', siteId: scope.siteId, managerId: scope.managerId ?? null },
    sourceHash,
    csrfHash: await sha256Hex(csrfToken),
    createdAt,
    expiresAt,
  })
  return { sessionId, csrfToken, scope, expiresAt }
}

export type SessionCheck =
  | { ok: true; scope: AccessScope; record: ConsoleSessionRecord }
  /** `unauthorized`: no such session; `session_expired`: it existed and is over (the UI says so). */
  | { ok: false; code: 'unauthorized' | 'session_expired' }

/** Looks a cookie's session up; '' (no cookie) is looked up too, so every request costs the same. */
export async function findSession(deps: Deps, sessionId: string): Promise<ConsoleSessionRecord | null> {
  return deps.consoleSessions.find(await sha256Hex(sessionId))
}

/**
 * Whether a stored session still stands, checked on every use: not expired, not signed out, and
 * what it was made from still valid (the site token not revoked, ADMIN_TOKEN not changed).
 */
export async function judgeSession(deps: Deps, sessionId: string, record: ConsoleSessionRecord | null): Promise<SessionCheck> {
  if (!record || sessionId === '') return { ok: false, code: 'unauthorized' }
  if (record.revokedAt !== null || record.expiresAt <= deps.now()) return { ok: false, code: 'session_expired' }
  if (record.scope.kind === 'site') {
    if (!record.sourceTokenExists) return { ok: false, code: 'session_expired' }
  } else {
    const adminToken = usableAdminToken(deps)
    if (adminToken === null || !sameDigest(await operatorProof(adminToken, sessionId), record.sourceHash)) {
      return { ok: false, code: 'session_expired' }
    }
  }
  return { ok: true, scope: accessScopeOf(record.scope), record }
}

export function isUnsafeMethod(method: string): boolean {
  return UNSAFE_METHODS.has(method.toUpperCase())
}

/**
 * Whether the browser says the request comes from a page of this origin: `Origin` equal to the
 * request's own, or `Sec-Fetch-Site: same-origin` (which the browser sets and page script cannot;
 * it also covers a TLS-terminating proxy in front of the Node server, where the request URL the
 * app sees is http:// while the browser's Origin is https://). A cross-site form or fetch carries
 * a foreign Origin and `Sec-Fetch-Site: cross-site` (or same-site), and fails both.
 */
export function isSameOriginRequest(c: Context): boolean {
  const origin = c.req.header('Origin')
  if (origin !== undefined && origin === new URL(c.req.url).origin) return true
  return c.req.header('Sec-Fetch-Site') === 'same-origin'
}

/** The X-CSRF-Token header against the session's stored hash, in constant time. */
export async function hasSessionCsrfToken(c: Context, record: ConsoleSessionRecord): Promise<boolean> {
  const given = c.req.header(CSRF_HEADER) ?? ''
  return sameDigest(await sha256Hex(given), record.csrfHash)
}

/**
 * Browsers keep a `Secure` cookie only from an https:// page, except that Chrome and Firefox make
 * an exception for http://localhost and Safari does not: the self-hosted server on plain
 * http://localhost (development, an SSH tunnel) would never get its session. Everywhere else the
 * cookie must never travel over plain HTTP, so only these three loopback names go without it.
 */
export function needsSecureCookie(requestUrl: string): boolean {
  const host = new URL(requestUrl).hostname
  return !(host === 'localhost' || host === '127.0.0.1' || host === '[::1]')
}

/** The Set-Cookie value that stores (or, with maxAgeSeconds 0, clears) the session cookie. */
export function sessionCookie(requestUrl: string, value: string, maxAgeSeconds: number): string {
  // The session id is base64url: no character of it needs quoting or encoding in a cookie.
  const parts = [`${SESSION_COOKIE}=${value}`, 'HttpOnly', 'SameSite=Strict', 'Path=/', `Max-Age=${maxAgeSeconds}`]
  if (needsSecureCookie(requestUrl)) parts.push('Secure')
  return parts.join('; ')
}

/** The session cookie's value from a Cookie header, or null (the first one, as browsers send it). */
export function sessionIdFromCookie(cookieHeader: string | undefined): string | null {
  for (const pair of (cookieHeader ?? '').split(';')) {
    const eq = pair.indexOf('=')
    if (eq > 0 && pair.slice(0, eq).trim() === SESSION_COOKIE) return pair.slice(eq + 1).trim()
  }
  return null
}

/** The limits of sign-in attempts: one per client IP, and one for everyone (a spread-out guesser). */
export function consoleSignInLimits(ip: string | null, { perIpPer10Minutes, globalPer10Minutes } = SIGN_IN_LIMITS) {
  const limits = [{ key: 'console-sign-in', limit: globalPer10Minutes, windowMs: 600_000 }]
  if (ip) limits.push({ key: `console-sign-in:ip:${clientNetwork(ip)}`, limit: perIpPer10Minutes, windowMs: 600_000 })
  return limits
}
