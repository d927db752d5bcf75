// Who is calling the admin API: the operator (ADMIN_TOKEN, every site) or one site's token.
import type { Context } from 'hono'
import type { AdminEnv } from '../deps'
import { ApiError } from '../http/api-error'

export type AccessScope =
  | { kind: 'operator' }
  /** `managerId`: the token (or the console session made from it) was issued to a named manager. */
  | { kind: 'site'; siteId: string; managerId?: string }

/** Who did something to a lead, as its history records it. */
export interface Actor {
  kind: 'operator' | 'site_token' | 'manager' | 'telegram' | 'crm' | 'system'
  /** The manager id, the Telegram user id, the CRM's name; null for the operator and the system. */
  id: string | null
}

export function actorOf(scope: AccessScope): Actor {
  if (scope.kind === 'operator') return { kind: 'operator', id: null }
  return scope.managerId ? { kind: 'manager', id: scope.managerId } : { kind: 'site_token', id: null }
}

/**
 * Another site's data answers exactly like data that does not exist (404), so a site token cannot
 * even learn which leads or sites exist elsewhere.
 */
export function assertSiteAccess(c: Context<AdminEnv>, siteId: string, what = 'resource'): void {
  const scope = c.get('scope')
  if (scope.kind === 'site' && scope.siteId !== siteId) throw new ApiError(404, 'not_found', `No ${what} here.`)
}

export function assertOperator(c: Context<AdminEnv>): void {
  if (c.get('scope').kind !== 'operator') {
    throw new ApiError(403, 'forbidden', 'This needs the operator token (ADMIN_TOKEN), not a site token.')
  }
}

/** The site a site token is bound to, or the one asked for when the operator calls. */
export function scopedSite(c: Context<AdminEnv>, asked: string | undefined): string | undefined {
  const scope = c.get('scope')
  if (scope.kind === 'operator') return asked
  if (asked !== undefined && asked !== scope.siteId) throw new ApiError(404, 'not_found', 'No such site here.')
  return scope.siteId
}
