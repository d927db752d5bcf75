// A handler for the wrong methods on a known path: 405 with Allow, in the API's error shape.
import type { Handler } from 'hono'
import { ApiError } from './api-error'

export function methodNotAllowed(allow: string[]): Handler {
  const header = allow.join(', ')
  return () => {
    throw new ApiError(405, 'method_not_allowed', `Use ${header}.`, { headers: { Allow: header } })
  }
}
