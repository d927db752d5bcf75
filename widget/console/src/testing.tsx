// Test helpers for the console: leads and answers as the admin API sends them, a fake fetch that
// routes by method and path, and rendering in a chosen language. Never imported by the build.
import { render } from '@testing-library/preact'
import type { ComponentChildren } from 'preact'
import { vi } from 'vitest'
import type { ConsoleSessionBody } from '../../../shared/console-api'
import type { Fetch } from './api'
import type { LeadDetail, LeadView } from './api-types'
import { LanguageContext, STRINGS } from './i18n'
import type { Locale } from './i18n'

export function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(status === 204 ? null : JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } })
}

export function apiError(status: number, code: string, message = code, headers: Record<string, string> = {}): Response {
  return jsonResponse(status, { error: { code, message } }, headers)
}

let counter = 0

/** A list row; ids and times go up with every call, so later leads are newer. */
export function leadView(overrides: Partial<LeadView> = {}): LeadView {
  counter += 1
  const n = String(counter).padStart(12, '0')
  return {
    id: `00000000-0000-4000-8000-${n}`,
    site: 'shop',
    source: 'callback',
    contact: { name: `Person ${counter}`, phone: '+79123456789' },
    createdAt: new Date(Date.UTC(2026, 10, 1) + counter * 60_000).toISOString(),
    duplicate: false,
    score: 60,
    temperature: 'warm',
    reasons: [{ rule: 'source.callback', points: 10, text: 'left a request' }],
    status: 'new',
    junkReason: null,
    firstActionAt: null,
    takenBy: null,
    spam: false,
    flags: [],
    reply: { text: 'Thanks!' },
    deliveries: [],
    ...overrides,
  }
}

export function leadDetail(overrides: Partial<LeadDetail> = {}): LeadDetail {
  return { ...leadView(), deliveries: [], history: [], ...overrides }
}

export function session(overrides: Partial<ConsoleSessionBody> = {}): ConsoleSessionBody {
  return { scope: { kind: 'site', site: 'shop' }, csrfToken: 'csrf-123', expiresAt: new Date(Date.now() + 3_600_000).toISOString(), ...overrides }
}

type Handler = (url: URL, init: RequestInit) => Response | Promise<Response>

/**
 * A fetch that answers `METHOD /path` (query ignored) from the table; anything else is a 404
 * the test would notice. Calls are on `.mock.calls`.
 * @example
 * const fetch = fakeFetch({ 'GET /v1/console/session': () => jsonResponse(200, session()) })
 */
export function fakeFetch(routes: Record<string, Handler>) {
  return vi.fn<Fetch>(async (input, init = {}) => {
    const url = new URL(String(input), 'http://console.test')
    const handler = routes[`${init.method ?? 'GET'} ${url.pathname}`]
    if (!handler) return apiError(404, 'not_found', `no fake for ${init.method ?? 'GET'} ${url.pathname}`)
    return handler(url, init)
  })
}

/** The requests a fake fetch got: method, path with query, headers and parsed body. */
export function requests(fetch: ReturnType<typeof fakeFetch>) {
  return fetch.mock.calls.map(([input, init = {}]) => ({
    method: init.method ?? 'GET',
    url: String(input),
    headers: (init.headers ?? {}) as Record<string, string>,
    credentials: init.credentials,
    body: typeof init.body === 'string' ? (JSON.parse(init.body) as unknown) : undefined,
  }))
}

export function renderIn(locale: Locale, ui: ComponentChildren) {
  return render(<LanguageContext.Provider value={{ locale, t: STRINGS[locale] }}>{ui}</LanguageContext.Provider>)
}
