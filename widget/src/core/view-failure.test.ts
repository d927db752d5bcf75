// When the view chunk does not arrive (offline, blocked by an extension), the launcher the visitor
// already sees must keep working: the facade stays and its next click loads again (where the
// browser does not keep the failed import; elsewhere the next page does). And nothing proactive
// spends the visitor's interruption budget on a view that never showed.
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { LeadcatcherApi } from '../loader/index'
import { INTERRUPTIONS_KEY, resetPageView } from './interruptions'
import {
  ENDPOINT,
  acceptingFetch,
  bootToFacade,
  clearLoaderPage,
  exitIntentSettings,
  fireExitIntent,
  jsonResponse,
  sentBody,
  siteConfig,
  submitCallbackForm,
  withPhoneMetadata,
} from '../testing'

let viewFails = true

vi.mock('../view/view', async (importOriginal) => {
  if (viewFails) throw new TypeError('Failed to fetch dynamically imported module: view.js')
  return importOriginal()
})

const hosts = () => document.querySelectorAll('leadcatcher-widget')

afterEach(() => {
  clearLoaderPage()
  viewFails = true
  localStorage.clear()
  resetPageView()
  // A view that arrived stays in the module cache; the next test's page starts without it.
  vi.resetModules()
})

describe('a view chunk that does not arrive', () => {
  it('leaves the facade launcher in place, and the next click mounts the widget', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {})
    vi.stubGlobal(
      'fetch',
      vi.fn<typeof fetch>(async () => jsonResponse(200, siteConfig())),
    )
    const { shadow, facade } = await bootToFacade()

    facade.click()
    await vi.waitFor(() => expect(error).toHaveBeenCalled())
    expect(hosts()).toHaveLength(1)
    expect(shadow.querySelector('.launcher')).toBe(facade)
    expect(shadow.querySelector('[role="dialog"]')).toBeNull()

    viewFails = false
    facade.click()
    await vi.waitFor(() => expect(shadow.querySelector('[role="dialog"]')).not.toBeNull())
    expect(hosts()).toHaveLength(1)
    expect(shadow.querySelectorAll('.launcher')).toHaveLength(1)
    expect(shadow.querySelector('.launcher')).not.toBe(facade)
    expect((window.Leadcatcher as LeadcatcherApi).loaded).toBe(true)
  })
})

describe('proactive UI and a view still on its way', () => {
  it('does not arm exit intent before the view can show the offer, so a failed view spends no budget', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {})
    vi.stubGlobal('matchMedia', () => ({ matches: true }))
    let arrive = () => {}
    const arrived = new Promise<void>((resolve) => (arrive = resolve))
    // A factory of its own: the file's mock module was cached by the test before.
    vi.doMock('../view/view', async () => {
      await arrived
      throw new TypeError('Failed to fetch dynamically imported module: view.js')
    })
    const { mountOnPage: mountWidget } = await import('../testing')
    const widget = mountWidget({
      site: 'shop',
      endpoint: ENDPOINT,
      config: siteConfig({ exitIntent: exitIntentSettings({ capPerDays: 0 }) }),
    })
    await vi.waitFor(() => expect(hosts()).toHaveLength(1))
    // The visitor heads for the tab bar while the view chunk is still loading.
    fireExitIntent()
    arrive()
    expect(await widget.ready).toBe(false)
    expect(localStorage.getItem(INTERRUPTIONS_KEY)).toBeNull()
    widget.destroy()
  })
})

describe('a captcha chunk that does not arrive', () => {
  it('sends the lead without a token (the worker flags it, never drops it), and the next attempt tries again', async () => {
    let chunkArrives = false
    vi.doMock('./turnstile', async (importOriginal) => {
      if (!chunkArrives) throw new TypeError('Failed to fetch dynamically imported module: turnstile.js')
      return importOriginal()
    })
    vi.doUnmock('../view/view')
    const { mountOnPage: mountWidget } = await import('../testing')
    const accept = acceptingFetch()
    let calls = 0
    // The first request also dies on the network; the outbox resends when the browser is back.
    const fetchMock = vi.fn<typeof fetch>(async (url, init) => {
      if (++calls === 1) throw new TypeError('Failed to fetch')
      return accept(url, init)
    })
    const turnstile = {
      render: vi.fn((_container: HTMLElement, options: { callback(token: string): void }) => {
        queueMicrotask(() => options.callback('token-1'))
        return 'w1'
      }),
      reset: vi.fn(),
      execute: vi.fn(),
    }
    const widget = mountWidget({
      site: 'shop',
      endpoint: ENDPOINT,
      config: siteConfig({ captcha: { provider: 'turnstile', siteKey: '1x00000000000000000000AA' } }),
      fetch: withPhoneMetadata(fetchMock),
      loadTurnstile: async () => turnstile,
    })
    expect(await widget.ready).toBe(true)
    widget.open('callback')
    submitCallbackForm(hosts()[0]?.shadowRoot as ShadowRoot)
    await vi.waitFor(() => expect(fetchMock).toHaveBeenCalledTimes(1))
    expect(sentBody(fetchMock, 0)).not.toHaveProperty('captchaToken')

    chunkArrives = true
    dispatchEvent(new Event('online'))
    await vi.waitFor(() => expect(fetchMock).toHaveBeenCalledTimes(2))
    expect(sentBody(fetchMock, 1).id).toBe(sentBody(fetchMock, 0).id)
    expect(sentBody(fetchMock, 1).captchaToken).toBe('token-1')
    widget.destroy()
  })
})
