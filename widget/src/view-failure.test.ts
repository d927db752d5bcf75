// When the view chunk does not arrive (offline, blocked by an extension), the launcher the visitor
// already sees must keep working: the facade stays and its next click loads again.
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { LeadcatcherApi } from './index'
import { clearLoaderPage, fakeTagScript, jsonResponse, siteConfig } from './testing'

let viewFails = true

vi.mock('./view', async (importOriginal) => {
  if (viewFails) throw new TypeError('Failed to fetch dynamically imported module: view.js')
  return importOriginal()
})

const hosts = () => document.querySelectorAll('leadcatcher-widget')

afterEach(() => {
  clearLoaderPage()
  viewFails = true
})

describe('a view chunk that does not arrive', () => {
  it('leaves the facade launcher in place, and the next click mounts the widget', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {})
    vi.stubGlobal('fetch', vi.fn<typeof fetch>(async () => jsonResponse(200, siteConfig())))
    vi.stubGlobal('requestIdleCallback', () => 0)
    fakeTagScript({ 'data-site': 'shop' })
    await import('./index')
    await vi.waitFor(() => expect(hosts()).toHaveLength(1))
    const shadow = hosts()[0]?.shadowRoot as ShadowRoot
    const facade = shadow.querySelector<HTMLButtonElement>('.launcher') as HTMLButtonElement

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
