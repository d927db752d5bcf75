// The site's likely countries reach both phone pickers of the running widget: the callback form's
// and the chat's contact step (the same field), in the site's order after its country.
import { fireEvent, waitFor } from '@testing-library/preact'
import { afterEach, describe, expect, it } from 'vitest'
import { DEMO_JSON } from '../../shared/flow/testing'
import { mountWidget } from './mount'
import type { Widget } from './mount'
import { ENDPOINT, acceptingFetch, jsonResponse, siteConfig } from './testing'

let widgets: Widget[] = []

afterEach(() => {
  for (const widget of widgets) widget.destroy()
  widgets = []
  sessionStorage.clear()
})

const shadow = () => document.querySelector('leadcatcher-widget')?.shadowRoot as ShadowRoot
const firstOptions = (select: HTMLSelectElement | null | undefined) =>
  Array.from(select?.options ?? [], (option) => option.value).slice(0, 3)

describe('the phone pickers of the widget', () => {
  it('list the site’s country, then its likely countries, in the callback form and the chat', async () => {
    // Through GET /v1/sites/shop/config as the worker answers it, so the config reader is covered too.
    const config = siteConfig({ country: 'KZ', countries: ['UZ', 'KG'], chat: { flow: DEMO_JSON.realty } })
    const accept = acceptingFetch()
    const widget = mountWidget({
      site: 'shop',
      endpoint: ENDPOINT,
      fetch: async (url, init) =>
        String(url).endsWith('/v1/sites/shop/config') ? jsonResponse(200, config) : accept(url, init),
    })
    widgets.push(widget)
    await widget.ready
    widget.open('callback')
    const formPicker = () => shadow().querySelector<HTMLSelectElement>('#lc-phone-country')
    await waitFor(() => expect(firstOptions(formPicker())).toEqual(['KZ', 'UZ', 'KG']), { timeout: 10_000 })
    expect(formPicker()?.value).toBe('KZ')

    widget.open('chat')
    const click = (name: string) => {
      const button = Array.from(shadow().querySelectorAll<HTMLButtonElement>('.chat button')).find(
        (b) => b.textContent === name,
      )
      if (!button) throw new Error(`no "${name}" button`)
      fireEvent.click(button)
    }
    await waitFor(() => click('Selling'), { timeout: 10_000 })
    for (const reply of ['A flat', 'Later']) await waitFor(() => click(reply))
    const chatPicker = () => shadow().querySelector<HTMLSelectElement>('#lc-chat-phone-country')
    await waitFor(() => expect(firstOptions(chatPicker())).toEqual(['KZ', 'UZ', 'KG']))
    // The first import of the phone chunk transforms all of libphonenumber-js.
  }, 30_000)
})
