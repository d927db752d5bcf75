// The site's look and the launcher corner: the brand from the config onto the host (loader and
// app alike), the launchers' text and icons, and the docked chat (non-modal, kept when closed,
// sized to the visual viewport).
import { fireEvent, waitFor } from '@testing-library/preact'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { PublicBrand } from '../../../shared/brand'
import { ICONS } from './launcher'
import type { Widget } from '../core/mount'
import { registerChat } from '../core/panels'
import type { ChatLoader } from '../core/panels'
import { ENDPOINT, bootToFacade, clearLoaderPage, jsonResponse, mountOnPage, siteConfig } from '../testing'

const TEAL: PublicBrand = {
  accent: '#00707a',
  onAccent: '#ffffff',
  ink: '#00707a',
  position: 'left',
  launcherText: 'Подобрать тур',
  launcherIcon: 'chat',
  radius: 4,
}
const FLOW = { id: 'f', start: 'a', nodes: [{ id: 'a', type: 'end', text: 'Hi' }] }

const host = () => document.querySelector<HTMLElement>('leadcatcher-widget') as HTMLElement
const $ = <E extends Element = HTMLElement>(selector: string) => host().shadowRoot?.querySelector<E>(selector) as E

describe('the brand on the host', () => {
  let widget: Widget | undefined
  afterEach(() => {
    widget?.destroy()
    widget = undefined
  })

  it('sets the colours, the corners and the side the config gives, and the launcher’s text and icon', async () => {
    widget = mountOnPage({ site: 'shop', endpoint: ENDPOINT, config: siteConfig({ brand: TEAL }) })
    await widget.ready
    const style = host().style
    expect(style.getPropertyValue('--lc-accent')).toBe('#00707a')
    expect(style.getPropertyValue('--lc-on-accent')).toBe('#ffffff')
    expect(style.getPropertyValue('--lc-ink')).toBe('#00707a')
    expect(style.getPropertyValue('--lc-radius')).toBe('4px')
    expect(host().dataset.side).toBe('left')
    expect($('.launcher').textContent).toBe('Подобрать тур')
    expect($('.launcher path').getAttribute('d')).toBe(ICONS.chat)
  })

  it('leaves the host to the CSS defaults without a brand (an older server’s config)', async () => {
    widget = mountOnPage({ site: 'shop', endpoint: ENDPOINT, config: siteConfig() })
    await widget.ready
    expect(host().getAttribute('style')).toBeNull()
    expect(host().dataset.side).toBeUndefined()
    expect($('.launcher').textContent).toBe('Call me back')
    expect($('.launcher path').getAttribute('d')).toBe(ICONS.phone)
  })

  it('shows the chat launcher only for a site with a chat', async () => {
    widget = mountOnPage({ site: 'shop', endpoint: ENDPOINT, config: siteConfig() })
    await widget.ready
    expect($('.chat-launcher')).toBeNull()
    widget.destroy()
    widget = mountOnPage({ site: 'shop', endpoint: ENDPOINT, config: siteConfig({ chat: { flow: FLOW } }) })
    await widget.ready
    expect($('.chat-launcher').getAttribute('aria-label')).toBe('Chat with us')
    expect($('.chat-launcher path').getAttribute('d')).toBe(ICONS.chat)
  })
})

describe('the loader’s facade', () => {
  beforeEach(() => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => jsonResponse(200, { ...siteConfig({ chat: { flow: FLOW } }), brand: TEAL })),
    )
  })
  afterEach(async () => {
    await new Promise((resolve) => setTimeout(resolve, 0))
    clearLoaderPage()
    vi.resetModules()
  })

  it('paints the brand before the app arrives and draws the same launchers as the app', async () => {
    const { shadow, facade } = await bootToFacade()
    expect(host().style.getPropertyValue('--lc-accent')).toBe('#00707a')
    expect(host().dataset.side).toBe('left')
    expect(facade.textContent).toBe('Подобрать тур')
    // What a visitor sees of each launcher: its kind, its name, its icon.
    const launchers = () =>
      Array.from(shadow.querySelectorAll('.launchers button'), (button) => [
        button.className,
        button.getAttribute('aria-label') ?? button.textContent,
        button.querySelector('path')?.getAttribute('d'),
        button.getAttribute('aria-haspopup'),
      ])
    const before = launchers()
    expect(before).toEqual([
      ['chat-launcher', 'Chat with us', ICONS.chat, 'dialog'],
      ['launcher', 'Подобрать тур', ICONS.chat, 'dialog'],
    ])
    // The app replaces the facade on the first click, with the same launchers.
    facade.click()
    await vi.waitFor(() => expect(shadow.querySelector('[role="dialog"]')).not.toBeNull())
    expect(shadow.querySelector('.launcher')).not.toBe(facade)
    expect(launchers()).toEqual(before)
  })
})

describe('the docked chat', () => {
  let widget: Widget | undefined
  let realChat: ChatLoader | undefined
  beforeEach(async () => {
    realChat = (await import('../core/panels')).getChatLoader()
    // A chat that keeps what the visitor typed in its own DOM, like the real one.
    registerChat(async () => ({
      mountChat: ({ root }) => {
        const input = document.createElement('input')
        input.className = 'field'
        root.append(input)
        return () => input.remove()
      },
    }))
  })
  afterEach(() => {
    widget?.destroy()
    widget = undefined
    registerChat(realChat)
    vi.unstubAllGlobals()
  })

  async function openChat() {
    widget = mountOnPage({ site: 'shop', endpoint: ENDPOINT, config: siteConfig({ chat: { flow: FLOW } }) })
    await widget.ready
    fireEvent.click($('.chat-launcher'))
    return waitFor(() => {
      const input = $<HTMLInputElement>('.dock .field')
      if (!input) throw new Error('the chat is not in the dock yet')
      return input
    })
  }

  it('is a non-modal dialog in the launcher corner, with no backdrop over the page', async () => {
    await openChat()
    const dock = $('.dock')
    expect(dock.getAttribute('role')).toBe('dialog')
    expect(dock.hasAttribute('aria-modal')).toBe(false)
    expect(dock.getAttribute('aria-labelledby')).toBe('lc-chat-title')
    expect(dock.parentElement?.className).toBe('corner')
    expect(dock.closest('.overlay')).toBeNull()
    expect($('.chat-launcher').getAttribute('aria-expanded')).toBe('true')
  })

  it('lets Tab leave it for the page, where the modal form keeps it inside', async () => {
    const input = await openChat()
    input.focus()
    const tab = new KeyboardEvent('keydown', { key: 'Tab', bubbles: true, cancelable: true })
    input.dispatchEvent(tab)
    expect(tab.defaultPrevented).toBe(false)
  })

  it('keeps the conversation when closed and opened again', async () => {
    const input = await openChat()
    fireEvent.input(input, { target: { value: 'two rooms' } })
    fireEvent.keyDown(input, { key: 'Escape' })
    expect($('.dock').hidden).toBe(true)
    expect(host().shadowRoot?.activeElement).toBe($('.chat-launcher'))
    // A second press on the chat launcher folds it away too; the third opens it again.
    fireEvent.click($('.chat-launcher'))
    expect($('.dock').hidden).toBe(false)
    fireEvent.click($('.chat-launcher'))
    expect($('.dock').hidden).toBe(true)
    fireEvent.click($('.chat-launcher'))
    expect($('.dock').hidden).toBe(false)
    expect($<HTMLInputElement>('.dock .field')).toBe(input)
    expect(input.value).toBe('two rooms')
  })

  it('follows the visual viewport while open, so the keyboard never covers Send', async () => {
    const viewport = Object.assign(new EventTarget(), { height: 640, offsetTop: 0 })
    vi.stubGlobal('visualViewport', viewport)
    await openChat()
    const dock = $('.dock')
    expect(dock.style.getPropertyValue('--lc-vh')).toBe('640px')
    // The on-screen keyboard takes the lower half; iOS scrolls the visual viewport a little.
    Object.assign(viewport, { height: 300, offsetTop: 40 })
    viewport.dispatchEvent(new Event('resize'))
    expect(dock.style.getPropertyValue('--lc-vh')).toBe('300px')
    expect(dock.style.getPropertyValue('--lc-vt')).toBe('40px')
    // Closed, it stops listening.
    fireEvent.click($('.dock .close'))
    Object.assign(viewport, { height: 500 })
    viewport.dispatchEvent(new Event('resize'))
    expect(dock.style.getPropertyValue('--lc-vh')).toBe('300px')
  })
})
