// Who is saving a site config, as its version records it: the admin token, the operator's console
// session, or a site token (by its manager when it has one).
import type { Context } from 'hono'
import type { AdminEnv } from '../deps'
import type { ConfigAuthor } from '../storage/types'

/**
 * adminAuth let the request in, so an Authorization header here was the credential; without one
 * it was the console's session cookie.
 */
export function configAuthorOf(c: Context<AdminEnv>): ConfigAuthor {
  const scope = c.get('scope')
  const bearer = c.req.header('Authorization') !== undefined
  if (scope.kind === 'operator') return bearer ? { kind: 'admin_token', name: 'admin token' } : { kind: 'console_session', name: 'console (operator)' }
  return { kind: 'site_token', name: scope.managerId ? `manager ${scope.managerId}` : 'site token' }
}
