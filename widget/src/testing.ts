// Test helpers for the widget: fake worker answers and site configs. Never imported by the build.
import { fireEvent } from '@testing-library/preact'
import { vi } from 'vitest'
import type { LeadAcceptedBody } from '../../shared/api'
import type { ExitIntentSettings } from '../../shared/schemas/widget-settings'
import type { Fetch, WidgetConfig } from './core/api'
import FULL_METADATA from 'libphonenumber-js/metadata.max.json'
import type { MetadataJson } from '../../shared/phone'
import type { PhoneMetadata } from '../../shared/phone-metadata'
import { buildPhoneMetadata } from '../../shared/phone-metadata-build'
import { createHost } from './loader/host'
import { mountWidget } from './core/mount'
import type { MountOptions, Widget } from './core/mount'

export const ENDPOINT = 'https://leads.example'

/** The countries the tests' worker ships phone metadata for (GET /v1/sites/:site/phone-metadata). */
export const TEST_COUNTRIES = ['RU', 'KZ', 'BY', 'UZ', 'KG', 'US', 'GB', 'DE', 'AU']

/** What the worker answers for `countries`, built the way it builds it. */
export function phoneMetadataFor(countries: readonly string[]): PhoneMetadata {
  return buildPhoneMetadata(countries, FULL_METADATA as unknown as MetadataJson)
}

export const CONSENT_TEXT = 'I agree to the processing of my personal data under the privacy policy.'

/** A public config as the worker sends it; the widget settings are null (none configured). */
export function siteConfig(overrides: Partial<WidgetConfig> = {}): WidgetConfig {
  return {
    site: 'shop',
    locale: 'en',
    country: 'RU',
    chat: null,
    consent: null,
    captcha: null,
    hours: null,
    exitIntent: null,
    chatInvite: null,
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

export function acceptedBody(id: string, text = 'Thanks! We will call you within 15 minutes.'): LeadAcceptedBody {
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
export function sentBody(fetchMock: { mock: { calls: unknown[][] } }, n = 0): Record<string, unknown> {
  const init = fetchMock.mock.calls[n]?.[1] as RequestInit | undefined
  return JSON.parse(String(init?.body)) as Record<string, unknown>
}

/**
 * `fetchImpl` behind a worker that answers the phone chunk's metadata request itself, so a test
 * counting lead requests sees only those.
 */
export function withPhoneMetadata(fetchImpl: Fetch): Fetch {
  return async (url, init) => (String(url).endsWith('/phone-metadata') ? jsonResponse(200, { countries: phoneMetadataFor(TEST_COUNTRIES) }) : fetchImpl(url, init))
}

/** A fetch that accepts every lead, echoing its id like the worker does. */
export function acceptingFetch(text?: string) {
  return vi.fn<Fetch>(async (url, init) => {
    if (String(url).endsWith('/phone-metadata')) return jsonResponse(200, { countries: phoneMetadataFor(TEST_COUNTRIES) })
    const { id } = JSON.parse(String(init?.body)) as { id: string }
    return accepted(id, text)
  })
}

/** The tag as a site owner pastes it, seen by the loader as `document.currentScript`. */
export function fakeTagScript(attributes: Record<string, string>, src = `${ENDPOINT}/widget.js`): HTMLScriptElement {
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

/**
 * Exit-intent settings that fire at the first exit gesture on a desktop. Stub `matchMedia` to
 * match first: jsdom has none, and without it the watcher takes the page for a touch device.
 */
export function exitIntentSettings(overrides: Partial<ExitIntentSettings> = {}): ExitIntentSettings {
  return {
    enabled: true,
    offer: { title: 'Wait! Take the price list', text: 'We will send it now.', button: 'Send it' },
    minSecondsOnPage: 0,
    mobile: { scrollUp: false, tabReturn: false, idleSeconds: 0 },
    capPerDays: 1,
    ...overrides,
  }
}

/** A desktop exit gesture: the pointer moves up and leaves the page through its top edge. */
export function fireExitIntent(): void {
  document.dispatchEvent(new MouseEvent('mousemove', { clientY: 100 }))
  document.dispatchEvent(new MouseEvent('mousemove', { clientY: 5 }))
  document.dispatchEvent(new MouseEvent('mouseout', { clientY: -1, relatedTarget: null }))
}

/** Types a phone into the open callback form of a mounted widget and submits it. */
export function submitCallbackForm(shadow: ShadowRoot, phone = '9123456789'): void {
  const field = shadow.querySelector('#lc-phone')
  const submit = field?.closest('form')?.querySelector('button.submit')
  if (!field || !submit) throw new Error('the callback form is not open')
  fireEvent.input(field, { target: { value: phone } })
  fireEvent.click(submit)
}

/**
 * Boots the loader from its tag with idle time held back (no app chunk yet), and returns the
 * facade launcher with its shadow root.
 */
export async function bootToFacade(): Promise<{ shadow: ShadowRoot; facade: HTMLButtonElement }> {
  vi.stubGlobal('requestIdleCallback', () => 0)
  fakeTagScript({ 'data-site': 'shop' })
  await import('./loader/index')
  const facade = await vi.waitFor(() => {
    const found = document.querySelector('leadcatcher-widget')?.shadowRoot?.querySelector('.launcher')
    if (!(found instanceof HTMLButtonElement)) throw new Error('no facade launcher yet')
    return found
  })
  return { shadow: facade.getRootNode() as ShadowRoot, facade }
}

/**
 * mountWidget the way the loader calls it: on a host built by createHost, with a listeners' set
 * of its own. `locale` defaults to the config's, as the loader's does on a page without one.
 */
export function mountOnPage(options: Omit<MountOptions, 'host' | 'listeners' | 'locale' | 'config'> & Partial<Pick<MountOptions, 'locale' | 'config'>>): Widget {
  const config = options.config ?? siteConfig()
  const locale = options.locale ?? config.locale
  const host = createHost(config, locale, (panel) => widget.open(panel))
  const widget: Widget = mountWidget({ ...options, config, locale, host, listeners: new Set() })
  return widget
}
