// The site's likely countries reach both phone pickers of the running widget: the callback form's
// and the chat's contact step (the same field), in the site's order after its country.
import { fireEvent, waitFor } from '@testing-library/preact'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { DEMO_JSON } from '../../../shared/flow/testing'
import { forgetPhoneMetadata } from '../callback-form/phone'
import type { Widget } from './mount'
import type { Fetch } from './api'
import { ENDPOINT, acceptingFetch, jsonResponse, mountOnPage, phoneMetadataFor, siteConfig } from '../testing'

let widgets: Widget[] = []

afterEach(() => {
  for (const widget of widgets) widget.destroy()
  widgets = []
  sessionStorage.clear()
  // The phone chunk keeps a page's metadata: each test is a new page.
  forgetPhoneMetadata()
})

const shadow = () => document.querySelector('leadcatcher-widget')?.shadowRoot as ShadowRoot
const firstOptions = (select: HTMLSelectElement | null | undefined) => Array.from(select?.options ?? [], (option) => option.value).slice(0, 3)

describe('the phone pickers of the widget', () => {
  it('list the site’s country, then its likely countries, in the callback form and the chat', async () => {
    const config = siteConfig({ country: 'KZ', countries: ['UZ', 'KG'], chat: { flow: DEMO_JSON.realty } })
    const widget = mountOnPage({ site: 'shop', endpoint: ENDPOINT, config, fetch: siteWorker(config) })
    widgets.push(widget)
    await widget.ready
    widget.open('callback')
    const formPicker = () => shadow().querySelector<HTMLSelectElement>('#lc-phone-country')
    await waitFor(() => expect(firstOptions(formPicker())).toEqual(['KZ', 'UZ', 'KG']), { timeout: 10_000 })
    expect(formPicker()?.value).toBe('KZ')

    widget.open('chat')
    const click = (name: string) => {
      const button = Array.from(shadow().querySelectorAll<HTMLButtonElement>('.chat button')).find((b) => b.textContent === name)
      if (!button) throw new Error(`no "${name}" button`)
      fireEvent.click(button)
    }
    await waitFor(() => click('Selling'), { timeout: 10_000 })
    for (const reply of ['A flat', 'Later']) await waitFor(() => click(reply))
    const chatPicker = () => shadow().querySelector<HTMLSelectElement>('#lc-chat-phone-country')
    await waitFor(() => expect(firstOptions(chatPicker())).toEqual(['KZ', 'UZ', 'KG']))
    // Only the site's countries are shipped (GET /v1/sites/shop/phone-metadata), so only they are listed.
    expect(Array.from(chatPicker()?.options ?? [], (o) => o.value)).toEqual(['KZ', 'UZ', 'KG'])
  }, 30_000)

  it('format the site’s countries’ numbers and take another country’s as typed, for the worker to check', async () => {
    const config = siteConfig({ country: 'RU', countries: ['KZ'] })
    const fetchMock = vi.fn(siteWorker(config))
    const widget = mountOnPage({ site: 'shop', endpoint: ENDPOINT, config, fetch: fetchMock })
    widgets.push(widget)
    await widget.ready
    widget.open('callback')
    await waitFor(() => expect(firstOptions(shadow().querySelector<HTMLSelectElement>('#lc-phone-country'))).toEqual(['RU', 'KZ']), { timeout: 10_000 })
    const phone = shadow().querySelector<HTMLInputElement>('#lc-phone') as HTMLInputElement
    const type = (value: string) => fireEvent.input(phone, { target: { value, selectionStart: value.length } })
    type('89123456789')
    expect(phone.value).toBe('8 (912) 345-67-89')
    // A German number: no metadata for it here, so no layout and no picker change, and no complaint.
    type('+49 30 1234567')
    expect(phone.value).toBe('+49 30 1234567')
    expect(shadow().querySelector<HTMLSelectElement>('#lc-phone-country')?.value).toBe('RU')
    fireEvent.blur(phone)
    expect(phone.getAttribute('aria-invalid')).toBe('false')
    fireEvent.click(shadow().querySelector('.submit') as Element)
    await waitFor(() => expect(fetchMock.mock.calls.some(([url]) => String(url).endsWith('/v1/leads'))).toBe(true))
    const [, init] = fetchMock.mock.calls.find(([url]) => String(url).endsWith('/v1/leads')) ?? []
    expect(JSON.parse(String(init?.body)).contact).toEqual({ phone: '+49301234567' })
  }, 30_000)
})

/** The worker as the widget sees it: the site's config, its countries' phone metadata, leads accepted. */
function siteWorker(config: ReturnType<typeof siteConfig>): Fetch {
  const accept = acceptingFetch()
  return async (url, init) => {
    const path = new URL(String(url)).pathname
    if (path === '/v1/sites/shop/config') return jsonResponse(200, config)
    if (path === '/v1/sites/shop/phone-metadata') {
      return jsonResponse(200, { countries: phoneMetadataFor([config.country, ...(config.countries ?? [])]) })
    }
    return accept(url, init)
  }
}
