// Tests for the exit-intent offer on a mounted widget: when it appears, what it sends, and the
// shared interruption budget.
import { fireEvent, waitFor } from '@testing-library/preact'
import * as v from 'valibot'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { LeadSchema } from '../../../shared/schemas/lead'
import type { WidgetConfig } from '../api'
import { STRINGS } from '../i18n'
import { resetPageView } from '../interruptions'
import { mountWidget } from '../mount'
import type { Widget } from '../mount'
import { registerChat } from '../panels'
import type { ChatMountOptions } from '../panels'
import { ENDPOINT, acceptingFetch, sentBody, siteConfig } from '../testing'

const en = STRINGS.en
const OFFER = {
  title: 'Wait! Take the price list',
  text: 'We will send it now.',
  button: 'Send it',
}
let widgets: Widget[] = []

function config(): WidgetConfig {
  return {
    ...siteConfig(),
    exitIntent: {
      enabled: true,
      offer: OFFER,
      minSecondsOnPage: 0,
      mobile: { scrollUp: false, tabReturn: false, idleSeconds: 0 },
      capPerDays: 1,
    },
  }
}

async function mount(fetchMock = acceptingFetch()) {
  const widget = mountWidget({
    site: 'shop',
    endpoint: ENDPOINT,
    config: config(),
    fetch: fetchMock,
  })
  widgets.push(widget)
  await widget.ready
  return widget
}

const shadow = () => document.querySelector('leadcatcher-widget')?.shadowRoot as ShadowRoot
const exitDialog = () => shadow().querySelector('[aria-labelledby="lc-exit-title"]')
function exitIntent() {
  document.dispatchEvent(new MouseEvent('mousemove', { clientY: 100 }))
  document.dispatchEvent(new MouseEvent('mousemove', { clientY: 5 }))
  document.dispatchEvent(new MouseEvent('mouseout', { clientY: -1, relatedTarget: null }))
}

beforeEach(() => {
  localStorage.clear()
  resetPageView()
  // A desktop with a mouse; jsdom has no matchMedia.
  vi.stubGlobal('matchMedia', () => ({ matches: true }))
})

afterEach(() => {
  for (const widget of widgets) widget.destroy()
  widgets = []
  vi.unstubAllGlobals()
  registerChat(undefined)
})

describe('the exit-intent offer', () => {
  it('appears on exit intent as a labelled dialog with focus on its one field', async () => {
    await mount()
    expect(exitDialog()).toBeNull()
    exitIntent()
    const dialog = exitDialog() as HTMLElement
    expect(shadow().getElementById('lc-exit-title')?.textContent).toBe(OFFER.title)
    expect(dialog.textContent).toContain(OFFER.text)
    expect(shadow().activeElement?.id).toBe('lc-contact')
  })

  it('sends an exit_intent lead with the email or phone given, and tells "lead" listeners', async () => {
    const fetchMock = acceptingFetch('Sent!')
    const widget = await mount(fetchMock)
    const leads: unknown[] = []
    widget.on('lead', (lead) => leads.push(lead))
    exitIntent()
    const field = shadow().getElementById('lc-contact') as HTMLInputElement
    fireEvent.input(field, { target: { value: 'anna@example.com' } })
    fireEvent.click(shadow().querySelector('[aria-labelledby="lc-exit-title"] .submit') as Element)
    await waitFor(() => expect(leads).toHaveLength(1))
    const body = sentBody(fetchMock)
    expect(body).toMatchObject({ source: 'exit_intent', contact: { email: 'anna@example.com' } })
    expect(v.safeParse(LeadSchema, body).success).toBe(true)
    expect(leads[0]).toEqual({ id: body.id, source: 'exit_intent' })
  })

  it('shows at most once per page view and not again within capPerDays on the next page', async () => {
    const widget = await mount()
    exitIntent()
    fireEvent.click(shadow().querySelector('[aria-labelledby="lc-exit-title"] .more') as Element)
    expect(exitDialog()).toBeNull()
    exitIntent()
    expect(exitDialog()).toBeNull()
    widget.destroy()
    resetPageView()
    await mount()
    exitIntent()
    expect(exitDialog()).toBeNull()
  })

  it('never interrupts a visitor who already opened the callback form', async () => {
    const widget = await mount()
    widget.open('callback')
    exitIntent()
    expect(exitDialog()).toBeNull()
    expect(shadow().activeElement?.id).toBe('lc-phone')
    widget.close()
    expect(shadow().activeElement?.className).toBe('launcher')
  })
})

describe('the chat slot', () => {
  it('falls back to the callback form when the chat module fails to load', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {})
    registerChat(async () => {
      throw new TypeError('Failed to fetch dynamically imported module')
    })
    const widget = await mount()
    widget.open('chat')
    await waitFor(() => expect(shadow().activeElement?.id).toBe('lc-phone'))
    vi.restoreAllMocks()
  })

  it('treats chat as an unknown panel while no chat module is registered', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {})
    registerChat(undefined)
    const widget = await mount()
    widget.open('chat')
    expect(shadow().querySelector('[role="dialog"]')).toBeNull()
    vi.restoreAllMocks()
  })

  it('opens a registered chat inside the widget’s dialog, loading it on first open', async () => {
    const mountChat = vi.fn((_options: ChatMountOptions) => () => {})
    const loader = vi.fn(async () => ({ mountChat }))
    registerChat(loader)
    const widget = await mount()
    expect(loader).not.toHaveBeenCalled()
    widget.open('chat')
    await waitFor(() => expect(mountChat).toHaveBeenCalledTimes(1))
    const options = mountChat.mock.calls[0]?.[0] as ChatMountOptions
    expect(options.root.getRootNode()).toBe(shadow())
    expect(options.root.closest('[role="dialog"]')?.getAttribute('aria-labelledby')).toBe(
      'lc-chat-title',
    )
    expect(shadow().getElementById('lc-chat-title')?.textContent).toBe(en.chat)
  })
})
