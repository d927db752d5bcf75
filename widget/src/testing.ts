// Test helpers for the widget: fake worker answers and site configs. Never imported by the build.
import { vi } from 'vitest'
import type { LeadAcceptedBody } from '../../shared/api'
import type { Fetch, WidgetConfig } from './api'

export const ENDPOINT = 'https://leads.example'

export const CONSENT_TEXT =
  'I agree to the processing of my personal data under the privacy policy.'

/** A public config as the worker sends it; the widget settings are null (none configured). */
export function siteConfig(overrides: Partial<WidgetConfig> = {}): WidgetConfig {
  return {
    site: 'shop',
    locale: 'en',
    country: 'RU',
    chat: null,
    consent: null,
    turnstileSiteKey: null,
    hours: null,
    exitIntent: null,
    analytics: null,
    ...overrides,
  }
}

export function jsonResponse(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json' },
  })
}

export function acceptedBody(
  id: string,
  text = 'Thanks! We will call you within 15 minutes.',
): LeadAcceptedBody {
  return {
    id,
    status: 'accepted',
    duplicate: false,
    reply: { text },
    score: 40,
    temperature: 'warm',
  }
}

export function accepted(id: string, text?: string): Response {
  return jsonResponse(201, acceptedBody(id, text))
}

/** The JSON body of the n-th call of a fetch mock. */
export function sentBody(
  fetchMock: { mock: { calls: unknown[][] } },
  n = 0,
): Record<string, unknown> {
  const init = fetchMock.mock.calls[n]?.[1] as RequestInit | undefined
  return JSON.parse(String(init?.body)) as Record<string, unknown>
}

/** A fetch that accepts every lead, echoing its id like the worker does. */
export function acceptingFetch(text?: string) {
  return vi.fn<Fetch>(async (_url, init) => {
    const { id } = JSON.parse(String(init?.body)) as { id: string }
    return accepted(id, text)
  })
}

/** The tag as a site owner pastes it, seen by the loader as `document.currentScript`. */
export function fakeTagScript(
  attributes: Record<string, string>,
  src = `${ENDPOINT}/widget.js`,
): HTMLScriptElement {
  const script = document.createElement('script')
  script.src = src
  for (const [name, value] of Object.entries(attributes)) script.setAttribute(name, value)
  document.head.append(script)
  Object.defineProperty(document, 'currentScript', { configurable: true, get: () => script })
  return script
}

/** Takes the loader's traces off the page, so the next test loads it as a new page would. */
export function clearLoaderPage(): void {
  for (const host of document.querySelectorAll('leadcatcher-widget')) host.remove()
  for (const script of document.querySelectorAll('script')) script.remove()
  delete window.Leadcatcher
  Reflect.deleteProperty(document, 'currentScript')
  vi.unstubAllGlobals()
  vi.restoreAllMocks()
}
