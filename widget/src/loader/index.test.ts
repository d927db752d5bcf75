// Tests for the script-tag bootstrap: data-* attributes, one mount per page, the queued calls.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { LeadcatcherApi, LeadcatcherStub } from './index'
import { accepted, bootToFacade, clearLoaderPage, fakeTagScript, jsonResponse, sentBody, siteConfig, submitCallbackForm } from '../testing'

/** The snippet site owners paste before the tag, so calls made early are queued. */
function installStub(): LeadcatcherStub {
  const stub: LeadcatcherStub = (...args: unknown[]) => {
    ;(stub.q ??= []).push(args)
  }
  window.Leadcatcher = stub
  return stub
}

const api = () => window.Leadcatcher as LeadcatcherApi
const hosts = () => document.querySelectorAll('leadcatcher-widget')

let fetchMock: ReturnType<typeof vi.fn<typeof fetch>>

beforeEach(() => {
  fetchMock = vi.fn<typeof fetch>(async () => jsonResponse(200, siteConfig()))
  vi.stubGlobal('fetch', fetchMock)
})

afterEach(async () => {
  // The loader's deferred steps (the page-view count) run before the next test's page loads.
  await new Promise((resolve) => setTimeout(resolve, 0))
  api()?.close?.()
  clearLoaderPage()
  vi.resetModules()
})

describe('the widget script', () => {
  it('reads data-site, defaults the endpoint to the script’s origin and mounts', async () => {
    fakeTagScript({ 'data-site': 'shop' })
    await import('./index')
    await vi.waitFor(() => expect(fetchMock).toHaveBeenCalledWith('https://leads.example/v1/sites/shop/config'))
    await vi.waitFor(() => expect(hosts()).toHaveLength(1))
    expect(api().loaded).toBe(true)
  })

  it('stays off the page when the site config cannot be read, and says why', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    fetchMock.mockImplementation(async () => jsonResponse(403, { error: { code: 'unknown_site', message: 'No site "shop" is configured.' } }))
    fakeTagScript({ 'data-site': 'shop' })
    await import('./index')
    await vi.waitFor(() => expect(warn).toHaveBeenCalledWith(expect.stringContaining('no config for site "shop"')))
    api().open('callback')
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(hosts()).toHaveLength(0)
    warn.mockRestore()
  })

  it('uses data-endpoint and data-locale when given', async () => {
    fakeTagScript({
      'data-site': 'shop',
      'data-endpoint': 'https://api.shop.example/',
      'data-locale': 'ru',
    })
    await import('./index')
    await vi.waitFor(() => expect(fetchMock).toHaveBeenCalledWith('https://api.shop.example/v1/sites/shop/config'))
    await vi.waitFor(() => expect(hosts()).toHaveLength(1))
    const launcher = hosts()[0]?.shadowRoot?.querySelector('.launcher')
    expect(launcher?.textContent).toBe('Перезвоните мне')
  })

  it('does only the API in the script’s own task: fetch, storage and the DOM wait for later ones', async () => {
    const stub = installStub()
    stub('open', 'callback')
    fakeTagScript({ 'data-site': 'shop' })
    const getItem = vi.spyOn(Storage.prototype, 'getItem')
    const setItem = vi.spyOn(Storage.prototype, 'setItem')
    // A dynamic import resolves in microtasks of the task that awaited it, not in a later task;
    // the loader's own code ran inside this one.
    await import('./index')
    expect(api().loaded).toBe(true)
    expect(fetchMock).not.toHaveBeenCalled()
    expect(getItem).not.toHaveBeenCalled()
    expect(setItem).not.toHaveBeenCalled()
    expect(hosts()).toHaveLength(0)
    // Each of the steps follows in a task of its own.
    await vi.waitFor(() => expect(fetchMock).toHaveBeenCalledTimes(1))
    await vi.waitFor(() => expect(setItem).toHaveBeenCalledWith('leadcatcher:visitor', expect.any(String)))
    await vi.waitFor(() => expect(hosts()).toHaveLength(1))
  })

  it('replays calls queued before it loaded', async () => {
    const stub = installStub()
    const leads: unknown[] = []
    stub('on', 'lead', (lead: unknown) => leads.push(lead))
    stub('open', 'callback')
    fakeTagScript({ 'data-site': 'shop' })
    await import('./index')
    await vi.waitFor(() => expect(hosts()).toHaveLength(1))
    // The queued open loads the app chunk at once instead of waiting for idle time.
    const dialog = await vi.waitFor(() => {
      const found = hosts()[0]?.shadowRoot?.querySelector('[role="dialog"]')
      if (!found) throw new Error('no dialog yet')
      return found
    })
    expect(dialog.closest('[hidden]')).toBeNull()
    expect(hosts()).toHaveLength(1)
    expect(typeof api().on).toBe('function')
  })

  it('opens from page elements marked data-leadcatcher-open, so strict-CSP pages need no inline script', async () => {
    fakeTagScript({ 'data-site': 'shop' })
    await import('./index')
    await vi.waitFor(() => expect(hosts()).toHaveLength(1))
    const button = document.createElement('a')
    button.href = '#call'
    button.setAttribute('data-leadcatcher-open', 'callback')
    button.innerHTML = '<span>Call me</span>'
    document.body.append(button)
    button.querySelector('span')!.click()
    const dialog = await vi.waitFor(() => {
      const found = hosts()[0]?.shadowRoot?.querySelector('[role="dialog"]')
      if (!found) throw new Error('no dialog yet')
      return found
    })
    expect(dialog.closest('[hidden]')).toBeNull()
    expect(location.hash).not.toBe('#call')
    button.remove()
  })

  it('shows a plain-DOM launcher first and swaps in the app on click, without a second host', async () => {
    const { shadow, facade } = await bootToFacade()
    expect(facade.textContent).toBe('Call me back')
    expect(shadow.querySelector('[role="dialog"]')).toBeNull()
    facade.focus()
    facade.click()
    await vi.waitFor(() => expect(shadow.querySelector('[role="dialog"]')).not.toBeNull())
    expect(hosts()).toHaveLength(1)
    expect(shadow.querySelectorAll('.launcher')).toHaveLength(1)
    expect(shadow.activeElement?.id).toBe('lc-phone')
  })

  it('follows the page language when the tag does not set one', async () => {
    document.documentElement.lang = 'ru'
    try {
      fakeTagScript({ 'data-site': 'shop' })
      await import('./index')
      await vi.waitFor(() => expect(hosts()).toHaveLength(1))
      expect(hosts()[0]?.shadowRoot?.querySelector('.launcher')?.textContent).toBe('Перезвоните мне')
    } finally {
      document.documentElement.lang = ''
    }
  })

  it('never mounts twice when the tag is on the page twice', async () => {
    fakeTagScript({ 'data-site': 'shop' })
    await import('./index')
    const first = window.Leadcatcher
    vi.resetModules()
    fakeTagScript({ 'data-site': 'shop' })
    await import('./index')
    await vi.waitFor(() => expect(hosts()).toHaveLength(1))
    await new Promise((resolve) => setTimeout(resolve, 10))
    expect(hosts()).toHaveLength(1)
    expect(fetchMock).toHaveBeenCalledTimes(1)
    expect(window.Leadcatcher).toBe(first)
  })

  it('answers the stub’s call style and the method style', async () => {
    fakeTagScript({ 'data-site': 'shop' })
    await import('./index')
    await vi.waitFor(() => expect(hosts()).toHaveLength(1))
    const dialog = () => hosts()[0]?.shadowRoot?.querySelector('[role="dialog"]')
    api()('open', 'callback')
    // The first open may have to wait for the app chunk; later ones are synchronous.
    await vi.waitFor(() => expect(dialog()?.closest('[hidden]')).toBeNull())
    api().close()
    expect(dialog()?.closest('[hidden]')).not.toBeNull()
  })

  it('does not throw into the page without data-site, nor for unknown commands', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    fakeTagScript({})
    await expect(import('./index')).resolves.toBeDefined()
    expect(warn).toHaveBeenCalled()
    expect(fetchMock).not.toHaveBeenCalled()
    expect(window.Leadcatcher).toBeUndefined()

    vi.resetModules()
    fakeTagScript({ 'data-site': 'shop' })
    await import('./index')
    expect(() => api()('explode', 1, 2)).not.toThrow()
    expect(() => api().on('lead', 'not a function' as never)).not.toThrow()
  })
})

describe('page views', () => {
  it('counts every page view at load, before the app chunk arrives', async () => {
    localStorage.clear()
    vi.stubGlobal('requestIdleCallback', () => 0)
    fakeTagScript({ 'data-site': 'shop' })
    await import('./index')
    // Not in the script's own task (storage can block), but right after it.
    expect(localStorage.getItem('leadcatcher:visitor')).toBeNull()
    await vi.waitFor(() => {
      const stored = JSON.parse(localStorage.getItem('leadcatcher:visitor') ?? 'null')
      expect(stored).toMatchObject({ visits: 1, pagesViewed: 1 })
    })
  })
})

describe('"lead" listeners on window.Leadcatcher', () => {
  it('tells listeners queued on the stub and added after load, past one that throws, not removed ones', async () => {
    localStorage.clear()
    const error = vi.spyOn(console, 'error').mockImplementation(() => {})
    fetchMock.mockImplementation(async (url, init) =>
      String(url).endsWith('/v1/leads') ? accepted((JSON.parse(String(init?.body)) as { id: string }).id) : jsonResponse(200, siteConfig()),
    )
    const stub = installStub()
    const calls: string[] = []
    const seen: unknown[] = []
    stub('on', 'lead', () => {
      calls.push('throws')
      throw new Error('broken analytics on the page')
    })
    stub('on', 'lead', (lead: unknown) => {
      calls.push('queued')
      seen.push(lead)
    })
    fakeTagScript({ 'data-site': 'shop' })
    await import('./index')
    api().on('lead', (lead) => {
      calls.push('method')
      seen.push(lead)
    })
    const off = api().on('lead', () => calls.push('removed'))
    const offCalled = api()('on', 'lead', () => calls.push('removed too')) as () => void
    off()
    offCalled()

    api().open('callback')
    const shadow = await vi.waitFor(() => {
      const root = hosts()[0]?.shadowRoot
      if (!root?.querySelector('#lc-phone')) throw new Error('no form yet')
      return root
    })
    submitCallbackForm(shadow)
    await vi.waitFor(() => expect(calls).toHaveLength(3))
    expect(calls).toEqual(['throws', 'queued', 'method'])
    const lead = fetchMock.mock.calls.findIndex(([url]) => String(url).endsWith('/v1/leads'))
    const id = sentBody(fetchMock, lead).id
    expect(seen).toEqual([
      { id, source: 'callback' },
      { id, source: 'callback' },
    ])
    expect(error).toHaveBeenCalledWith('[leadcatcher] a "lead" listener threw', expect.any(Error))
  })
})
