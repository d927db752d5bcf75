// Tests for putting the widget on a page: shadow root, styles, config, the handle's methods.
import { fireEvent, waitFor } from '@testing-library/preact'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { Fetch } from './api'
import { STRINGS } from '../view/i18n'
import { registerChat } from './panels'
import type { ChatLoader, ChatMountOptions } from './panels'
import type { Widget } from './mount'
import { LAUNCHER_CSS } from '../loader/launcher-css'
import { CSS } from '../view/styles'
import { ENDPOINT, acceptingFetch, mountOnPage, sentBody, siteConfig, submitCallbackForm, withPhoneMetadata } from '../testing'

const en = STRINGS.en
let widgets: Widget[] = []

function mount(options: Partial<Parameters<typeof mountOnPage>[0]> = {}) {
  const widget = mountOnPage({ site: 'shop', endpoint: ENDPOINT, config: siteConfig(), ...options })
  widgets.push(widget)
  return widget
}

function shadow(): ShadowRoot {
  const root = document.querySelector('leadcatcher-widget')?.shadowRoot
  if (!root) throw new Error('the widget is not mounted')
  return root
}

const $ = <E extends Element = HTMLElement>(selector: string) => shadow().querySelector<E>(selector) as E
const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
/** The value, if it comes within half a second; 'late' otherwise. */
const soon = <T,>(promise: Promise<T>) => Promise.race([promise, delay(500).then(() => 'late' as const)])

afterEach(() => {
  for (const widget of widgets) widget.destroy()
  widgets = []
  vi.restoreAllMocks()
})

/** Registers a chat that only hands its options to the test, and puts the real one back after. */
async function withFakeChat(run: (chat: () => ChatMountOptions | undefined) => Promise<void>) {
  const realChat: ChatLoader | undefined = (await import('./panels')).getChatLoader()
  let chat: ChatMountOptions | undefined
  registerChat(async () => ({
    mountChat: (options) => {
      chat = options
      return () => {}
    },
  }))
  try {
    await run(() => chat)
  } finally {
    registerChat(realChat)
  }
}

describe('mountWidget', () => {
  it('mounts once in an open shadow root on a host appended to body', async () => {
    expect(await mount().ready).toBe(true)
    const hosts = document.querySelectorAll('leadcatcher-widget')
    expect(hosts).toHaveLength(1)
    expect(hosts[0]?.parentElement).toBe(document.body)
    expect($('button.launcher').textContent).toBe(en.launcher)
    // Nothing of the widget leaks into the page's own DOM.
    expect(document.querySelector('.launcher')).toBeNull()
  })

  it('adopts a constructable stylesheet, which a strict style-src CSP allows', async () => {
    await mount().ready
    expect(shadow().querySelector('style')).toBeNull()
    // The launcher's sheet (the loader's, when there is one), then the panels'.
    const [launcher, panels] = shadow().adoptedStyleSheets
    const rules = Array.from(launcher?.cssRules ?? [], (rule) => rule.cssText)
    // jsdom spells `all: initial` out into every longhand.
    expect(rules[0]).toMatch(/^:host \{.*position: fixed !important;.*z-index: 2147483647 !important/)
    expect(rules).toHaveLength(LAUNCHER_CSS.trim().split('\n').length)
    expect(panels?.cssRules).toHaveLength(CSS.trim().split('\n').length)
  })

  it('falls back to a <style> element where constructable stylesheets are missing', async () => {
    const proto = ShadowRoot.prototype
    const descriptor = Object.getOwnPropertyDescriptor(proto, 'adoptedStyleSheets')
    Reflect.deleteProperty(proto, 'adoptedStyleSheets')
    try {
      await mount().ready
      const styles = Array.from(shadow().querySelectorAll('style'), (style) => style.textContent)
      expect(styles).toEqual([LAUNCHER_CSS, CSS])
    } finally {
      if (descriptor) Object.defineProperty(proto, 'adoptedStyleSheets', descriptor)
    }
  })

  it('keeps the facade under a held press, so the press and its release land on one launcher', async () => {
    const widget = mount()
    const facade = $('button.launcher')
    facade.dispatchEvent(new Event('pointerdown', { bubbles: true }))
    let settled = false
    void widget.ready.then(() => {
      settled = true
    })
    await delay(50)
    // The view has arrived, and waits: the pressed facade is still the one on the page.
    expect(settled).toBe(false)
    expect($('button.launcher')).toBe(facade)
    window.dispatchEvent(new Event('pointerup'))
    // Not in the release's own task: its click is dispatched after it, to the facade.
    await Promise.resolve()
    await Promise.resolve()
    expect($('button.launcher')).toBe(facade)
    facade.click()
    // The release ends the wait, not its 3 s bound.
    expect(await soon(widget.ready)).toBe(true)
    expect($('button.launcher')).not.toBe(facade)
    expect(shadow().querySelector('[role="dialog"]')?.closest('[hidden]')).toBeNull()
  })

  it('waits as well for a press the loader saw begin before the core was here', async () => {
    const widget = mount()
    const facade = $('button.launcher')
    // The loader's facade marks its corner from pointerdown to pointerup (launcher.ts).
    facade.closest('.corner')!.setAttribute('data-held', '')
    await delay(50)
    expect($('button.launcher')).toBe(facade)
    window.dispatchEvent(new Event('pointerup'))
    expect(await soon(widget.ready)).toBe(true)
    expect($('button.launcher')).not.toBe(facade)
  })

  it('swaps at once after a press that ended, and under Space held until its own keyup', async () => {
    const first = mount()
    $('button.launcher').dispatchEvent(new Event('pointerdown', { bubbles: true }))
    window.dispatchEvent(new Event('pointercancel'))
    expect(await soon(first.ready)).toBe(true)
    first.destroy()
    const second = mount()
    const facade = $('button.launcher')
    facade.dispatchEvent(new KeyboardEvent('keydown', { key: ' ', bubbles: true }))
    await delay(50)
    expect($('button.launcher')).toBe(facade)
    // Another key's release is not Space's.
    window.dispatchEvent(new KeyboardEvent('keyup', { key: 'Shift' }))
    await delay(20)
    expect($('button.launcher')).toBe(facade)
    window.dispatchEvent(new KeyboardEvent('keyup', { key: ' ' }))
    expect(await soon(second.ready)).toBe(true)
    expect($('button.launcher')).not.toBe(facade)
  })

  it('ends the wait when the widget is destroyed under a held press', async () => {
    const widget = mount()
    $('button.launcher').dispatchEvent(new Event('pointerdown', { bubbles: true }))
    await delay(50)
    widget.destroy()
    expect(await soon(widget.ready)).toBe(false)
  })

  it('lets the tag’s locale win over the site config', async () => {
    await mount({ config: siteConfig({ locale: 'ru' }), locale: 'en' }).ready
    expect($('button.launcher').textContent).toBe('Call me back')
  })

  it('tells the worker which language the visitor read, so its answer comes in that language', async () => {
    const fetchMock = acceptingFetch()
    const widget = mount({ config: siteConfig({ locale: 'ru' }), locale: 'en', fetch: withPhoneMetadata(fetchMock) })
    await widget.ready
    widget.open('callback')
    submitCallbackForm(shadow())
    await waitFor(() => expect(fetchMock).toHaveBeenCalledTimes(1))
    expect(sentBody(fetchMock)).toMatchObject({ source: 'callback', locale: 'en' })
  })

  it('opens and closes from the API, including before the config has arrived', async () => {
    const widget = mount()
    widget.open('callback')
    await widget.ready
    const dialog = $('[role="dialog"]')
    expect(dialog.closest('[hidden]')).toBeNull()
    expect(dialog.getAttribute('aria-labelledby')).toBe($('h2').id)
    widget.close()
    expect(dialog.closest('[hidden]')).not.toBeNull()
  })

  it('ignores panels it does not know', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {})
    const widget = mount()
    await widget.ready
    // `chat` is a panel only when a chat module is registered (panels.ts); see exit-offer.test.
    widget.open('survey' as 'callback')
    expect($('[role="dialog"]')).toBeNull()
  })

  it('moves focus in, and back to the launcher on Escape, inside the shadow root', async () => {
    await mount().ready
    const launcher = $('button.launcher')
    fireEvent.click(launcher)
    const phone = $('#lc-phone')
    expect(shadow().activeElement).toBe(phone)
    fireEvent.keyDown(phone, { key: 'Escape' })
    expect($('[role="dialog"]').closest('[hidden]')).not.toBeNull()
    expect(shadow().activeElement).toBe(launcher)
  })

  it('tells every "lead" listener, even when one of them throws', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {})
    const fetchMock = acceptingFetch()
    const widget = mount({ fetch: fetchMock })
    const seen: unknown[] = []
    widget.on('lead', () => {
      throw new Error('broken analytics')
    })
    widget.on('lead', (lead) => seen.push(lead))
    const off = widget.on('lead', (lead) => seen.push(lead))
    off()
    await widget.ready
    widget.open()
    fireEvent.input($('#lc-phone'), { target: { value: '+7 912 345-67-89' } })
    fireEvent.click($('button.submit'))
    await waitFor(() => expect(seen).toHaveLength(1))
    expect(seen[0]).toEqual({ id: sentBody(fetchMock).id, source: 'callback' })
  })

  it('reports a lead once though the outbox delivered it and the chat’s retry got the replay', async () => {
    await withFakeChat(async (chat) => {
      let online = false
      const accepting = acceptingFetch()
      const fetchMock = vi.fn<Fetch>(async (url, init) => {
        if (!online) throw new TypeError('Failed to fetch')
        return accepting(url, init)
      })
      const widget = mount({ fetch: fetchMock })
      const seen: unknown[] = []
      widget.on('lead', (lead) => seen.push(lead))
      await widget.ready
      widget.open('chat')
      await waitFor(() => expect(chat()).toBeDefined())
      const lead = { id: '9b2f4c8e-5d1a-4e3b-8c7d-6a5b4c3d2e1f', site: 'shop', source: 'chat' as const, contact: { phone: '+79123456789' } }
      // Offline: the chat shows its retry button, the outbox keeps the lead.
      expect((await chat()!.send(lead)).kind).toBe('failed')
      online = true
      dispatchEvent(new Event('online'))
      await waitFor(() => expect(seen).toHaveLength(1))
      // The visitor presses the chat's retry: the worker replays the stored lead; the chat reports it.
      const replay = await chat()!.send(lead)
      expect(replay.kind).toBe('accepted')
      chat()!.onLead(lead)
      expect(seen).toEqual([{ id: lead.id, source: 'chat' }])
    })
  })

  it('hands a chat over to the callback form: fields started, answers kept on the lead', async () => {
    await withFakeChat(async (chat) => {
      const fetchMock = acceptingFetch()
      const widget = mount({ fetch: fetchMock })
      await widget.ready
      widget.open('chat')
      await waitFor(() => expect(chat()).toBeDefined())
      // The chat hears of the callback lead, to end on "sent" instead of its last question.
      const heard: string[] = []
      chat()?.watchLeads?.((lead) => heard.push(lead.source))
      chat()?.onHandoff?.({
        name: 'Olga',
        phone: '+79123456789',
        message: 'budget: 12000000',
        answers: { budget: 12_000_000, goal: 'buy' },
        transcript: [{ from: 'bot', text: 'Your budget?', at: '2026-11-23T10:00:00.000Z' }],
      })
      await waitFor(() => expect($<HTMLInputElement>('#lc-phone').value).toBe('+79123456789'))
      expect($('#lc-phone').closest('[hidden]')).toBeNull()
      expect($<HTMLInputElement>('#lc-name').value).toBe('Olga')
      fireEvent.click($('button.submit'))
      await waitFor(() => expect(fetchMock).toHaveBeenCalledTimes(1))
      expect(sentBody(fetchMock)).toMatchObject({
        source: 'callback',
        contact: { phone: '+79123456789', name: 'Olga' },
        message: 'budget: 12000000',
        answers: { budget: 12_000_000, goal: 'buy' },
        transcript: [{ from: 'bot', text: 'Your budget?' }],
      })
      await waitFor(() => expect(heard).toEqual(['callback']))
    })
  })

  it('puts a fresh Turnstile token on every request of a site that turned it on', async () => {
    let issued = 0
    let answer: ((token: string) => void) | undefined
    const turnstile = {
      render: vi.fn((_container: HTMLElement, options: { callback(token: string): void }) => {
        answer = options.callback
        return 'w1'
      }),
      reset: vi.fn(),
      execute: vi.fn(() => queueMicrotask(() => answer?.(`token-${++issued}`))),
    }
    const accept = acceptingFetch()
    let calls = 0
    // The first request dies on the network; the outbox resends when the browser is back online.
    const fetchMock = vi.fn<Fetch>(async (url, init) => {
      if (++calls === 1) throw new TypeError('Failed to fetch')
      return accept(url, init)
    })
    const widget = mount({
      config: siteConfig({ captcha: { provider: 'turnstile', siteKey: '1x00000000000000000000AA' } }),
      fetch: fetchMock,
      loadTurnstile: async () => turnstile,
    })
    await widget.ready
    widget.open()
    fireEvent.input($('#lc-phone'), { target: { value: '+7 912 345-67-89' } })
    fireEvent.click($('button.submit'))
    await waitFor(() => expect(fetchMock).toHaveBeenCalledTimes(1))
    expect(sentBody(fetchMock, 0).captchaToken).toBe('token-1')
    // The challenge lives in the widget's shadow root, not in the page.
    expect(turnstile.render.mock.calls[0]?.[0].getRootNode()).toBe(shadow())
    dispatchEvent(new Event('online'))
    await waitFor(() => expect(fetchMock).toHaveBeenCalledTimes(2))
    const retry = sentBody(fetchMock, 1)
    expect(retry.id).toBe(sentBody(fetchMock, 0).id)
    expect(retry.captchaToken).toBe('token-2')
  })

  it('runs SmartCaptcha invisibly for a site that chose it, a fresh token per request', async () => {
    let issued = 0
    let answer: ((token: string) => void) | undefined
    const smartCaptcha = {
      render: vi.fn((_container: HTMLElement, options: { callback(token: string): void }) => {
        answer = options.callback
        return 0
      }),
      reset: vi.fn(),
      execute: vi.fn(() => queueMicrotask(() => answer?.(`ysc-token-${++issued}`))),
      subscribe: vi.fn(() => () => {}),
    }
    const loadTurnstile = vi.fn()
    const fetchMock = vi.fn<Fetch>(acceptingFetch())
    const widget = mount({
      config: siteConfig({ captcha: { provider: 'smartcaptcha', siteKey: 'ysc1_client' } }),
      fetch: fetchMock,
      loadTurnstile,
      loadSmartCaptcha: async () => smartCaptcha,
    })
    await widget.ready
    // Nothing is fetched before a lead goes out.
    expect(smartCaptcha.render).not.toHaveBeenCalled()
    widget.open()
    fireEvent.input($('#lc-phone'), { target: { value: '+7 912 345-67-89' } })
    fireEvent.click($('button.submit'))
    await waitFor(() => expect(fetchMock).toHaveBeenCalledTimes(1))
    expect(sentBody(fetchMock, 0).captchaToken).toBe('ysc-token-1')
    expect(smartCaptcha.render).toHaveBeenCalledWith(expect.any(HTMLElement), expect.objectContaining({ sitekey: 'ysc1_client', invisible: true, hl: 'en' }))
    expect(loadTurnstile).not.toHaveBeenCalled()
  })

  it('takes itself off the page on destroy', async () => {
    const widget = mount()
    await widget.ready
    widget.destroy()
    expect(document.querySelector('leadcatcher-widget')).toBeNull()
  })
})
