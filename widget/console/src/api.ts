// The console's HTTP client: same-origin requests with the session cookie, the CSRF token on every
// change, and one answer shape for every outcome. A session that ends (401) is reported once, to
// the app, which goes back to sign-in; the token typed at sign-in is sent once and never kept.
import type { ConsoleSessionBody } from '../../../shared/console-api'
import type { FieldIssue } from '../../../shared/api'
import { isApiErrorBody } from '../../../shared/api'

export type Fetch = typeof fetch

export type ApiFailure =
  | { kind: 'network' }
  | {
      kind: 'http'
      status: number
      /** The API's error code (`session_expired`, `reason_required`, …), or `http_<status>`. */
      code: string
      message: string
      issues?: FieldIssue[]
      /** From `Retry-After` on a 429. */
      retryAfterSeconds?: number
    }

export type ApiResult<T> = { ok: true; value: T } | { ok: false; error: ApiFailure }

export type Query = Record<string, string | undefined>

export interface ApiClientOptions {
  fetch?: Fetch
  /** A request of the signed-in console got 401: the session is over (expired, revoked, signed out). */
  onSessionEnd?: (code: 'session_expired' | 'unauthorized') => void
  /** A change (POST, PATCH, PUT, DELETE) to `path` succeeded: what the console keeps of it may be stale. */
  onChanged?: (path: string) => void
}

export interface ApiClient {
  get<T>(path: string, query?: Query): Promise<ApiResult<T>>
  /**
   * `contentType` for bodies that are not plain JSON, such as `application/merge-patch+json`;
   * `headers` for preconditions such as `If-None-Match: *`.
   */
  send<T>(method: 'POST' | 'PATCH' | 'PUT' | 'DELETE', path: string, body?: unknown, options?: { contentType?: string; headers?: Record<string, string> }): Promise<ApiResult<T>>
  signIn(token: string): Promise<ApiResult<ConsoleSessionBody>>
  currentSession(): Promise<ApiResult<ConsoleSessionBody>>
  signOut(): Promise<ApiResult<null>>
}

/**
 * A same-origin URL with the query's defined, non-empty values.
 * @example
 * urlOf('/v1/admin/leads', { site: 'shop', status: undefined }) // → '/v1/admin/leads?site=shop'
 */
export function urlOf(path: string, query: Query = {}): string {
  const params = new URLSearchParams()
  for (const [key, value] of Object.entries(query)) if (value !== undefined && value !== '') params.set(key, value)
  const search = params.toString()
  return search === '' ? path : `${path}?${search}`
}

async function failureOf(response: Response): Promise<ApiFailure> {
  let body: unknown = null
  try {
    body = await response.json()
  } catch {
    // Not JSON: a proxy's error page, say. The status still says enough.
  }
  const retry = Number(response.headers.get('Retry-After'))
  return {
    kind: 'http',
    status: response.status,
    ...(isApiErrorBody(body)
      ? { code: body.error.code, message: body.error.message, ...(body.error.issues && { issues: body.error.issues }) }
      : { code: `http_${response.status}`, message: response.statusText }),
    ...(Number.isFinite(retry) && retry > 0 && { retryAfterSeconds: retry }),
  }
}

export function createApiClient({ fetch: fetchImpl = (...args) => fetch(...args), onSessionEnd, onChanged }: ApiClientOptions = {}): ApiClient {
  // Kept in memory only: a reload asks GET /v1/console/session for it again.
  let csrfToken: string | null = null
  // Which session a request belongs to. A 401 ends the session only if it answers a request of the
  // current one, and only once: a read still in flight when the owner signs out (or signs in again)
  // must not replace "You have signed out" with "signed out by the server", or end the new session.
  let generation = 0
  let ended = false

  async function request<T>(
    method: string,
    url: string,
    body: unknown,
    { session = true, json = true, contentType = 'application/json', extraHeaders = {} as Record<string, string> } = {},
  ): Promise<ApiResult<T>> {
    const sentIn = generation
    const headers: Record<string, string> = { ...extraHeaders, Accept: 'application/json' }
    if (body !== undefined) headers['Content-Type'] = contentType
    if (method !== 'GET' && csrfToken !== null) headers['X-CSRF-Token'] = csrfToken
    let response: Response
    try {
      response = await fetchImpl(url, {
        method,
        headers,
        credentials: 'same-origin',
        cache: 'no-store',
        ...(body !== undefined && { body: JSON.stringify(body) }),
      })
    } catch {
      return { ok: false, error: { kind: 'network' } }
    }
    if (!response.ok) {
      const error = await failureOf(response)
      if (session && error.kind === 'http' && error.status === 401 && sentIn === generation && !ended) {
        ended = true
        csrfToken = null
        onSessionEnd?.(error.code === 'session_expired' ? 'session_expired' : 'unauthorized')
      }
      return { ok: false, error }
    }
    if (!json || response.status === 204) return { ok: true, value: null as T }
    try {
      return { ok: true, value: (await response.json()) as T }
    } catch {
      return { ok: false, error: { kind: 'http', status: response.status, code: 'invalid_json', message: 'The answer is not JSON.' } }
    }
  }

  const remember = (result: ApiResult<ConsoleSessionBody>) => {
    if (result.ok) {
      csrfToken = result.value.csrfToken
      generation += 1
      ended = false
    }
    return result
  }

  return {
    get: (path, query) => request('GET', urlOf(path, query), undefined),
    send: async <T>(...[method, path, body, { headers, ...options } = {}]: Parameters<ApiClient['send']>) => {
      const result = await request<T>(method, path, body, { ...options, ...(headers && { extraHeaders: headers }) })
      if (result.ok) onChanged?.(path)
      return result
    },
    // A wrong token or no session is the sign-in page's business, not a session that ended.
    signIn: async (token) => remember(await request('POST', '/v1/console/session', { token }, { session: false })),
    currentSession: async () => {
      const result = remember(await request<ConsoleSessionBody>('GET', '/v1/console/session', undefined, { session: false }))
      // No session (it expired, or was never there): the app says so now, and a read still in
      // flight that answers 401 after it is not news (it would turn "expired" into "signed out").
      if (!result.ok && result.error.kind === 'http' && result.error.status === 401) {
        generation += 1
        ended = true
        csrfToken = null
      }
      return result
    },
    signOut: async () => {
      // What was sent before belongs to the session being ended: its 401s are not news.
      generation += 1
      const result = await request<null>('DELETE', '/v1/console/session', undefined, { session: false, json: false })
      // If signing out failed, the session goes on: changes keep their CSRF token, and the next
      // request's 401 still ends it.
      if (result.ok) {
        csrfToken = null
        ended = true
      }
      return result
    },
  }
}
