// Tests for the exit-intent offer on a mounted widget: when it appears, what it sends, and the
// shared interruption budget.
import { fireEvent, waitFor } from '@testing-library/preact'
import * as v from 'valibot'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { LeadSchema } from '../../../shared/schemas/lead'
import type { WidgetConfig } from '../core/api'
import { STRINGS } from '../view/i18n'
import { resetPageView } from '../core/interruptions'
import type { Widget } from '../core/mount'
import { registerChat } from '../core/panels'
import type { ChatMountOptions } from '../core/panels'
import { ENDPOINT, acceptingFetch, exitIntentSettings, fireExitIntent as exitIntent, mountOnPage, sentBody, siteConfig, submitCallbackForm } from '../testing'

const en = STRINGS.en
const OFFER = {
  title: 'Wait! Take the price list',
  text: 'We will send it now.',
  button: 'Send it',
}
let widgets: Widget[] = []

function config(capPerDays = 1): WidgetConfig {
  return { ...siteConfig(), exitIntent: exitIntentSettings({ offer: OFFER, capPerDays }) }
}

async function mount(fetchMock = acceptingFetch(), capPerDays = 1) {
  const widget = mountOnPage({
    site: 'shop',
    endpoint: ENDPOINT,
    config: config(capPerDays),
    fetch: fetchMock,
  })
  widgets.push(widget)
  await widget.ready
  return widget
}

/** The visitor's next page: this widget goes, the per-page budget starts afresh, one mounts. */
async function nextPageView(widget: Widget, capPerDays: number) {
  widget.destroy()
  resetPageView()
  return mount(acceptingFetch(), capPerDays)
}

const shadow = () => document.querySelector('leadcatcher-widget')?.shadowRoot as ShadowRoot
const exitDialog = () => shadow().querySelector('[aria-labelledby="lc-exit-title"]')
const inExitDialog = (selector: string) => exitDialog()?.querySelector(selector) as HTMLElement

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
  vi.useRealTimers()
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

// capPerDays 0 wherever the per-days cap is not what a test is about, so it cannot block.
describe('the interruption budget in the running widget', () => {
  const DAY = 86_400_000

  it('offers nothing more once the visitor left a lead: not on this page, not on the next', async () => {
    let widget = await mount(acceptingFetch(), 0)
    const leads: unknown[] = []
    widget.on('lead', (lead) => leads.push(lead))
    widget.open('callback')
    submitCallbackForm(shadow())
    await waitFor(() => expect(leads).toHaveLength(1))
    widget.close()
    exitIntent()
    expect(exitDialog()).toBeNull()
    widget = await nextPageView(widget, 0)
    exitIntent()
    expect(exitDialog()).toBeNull()
  })

  it('offers nothing more after a lead left through the offer itself', async () => {
    const widget = await mount(acceptingFetch(), 0)
    exitIntent()
    fireEvent.input(inExitDialog('#lc-contact'), { target: { value: 'anna@example.com' } })
    fireEvent.click(inExitDialog('.submit'))
    await waitFor(() => expect(inExitDialog('.live').textContent).toMatch(/Thanks/))
    await nextPageView(widget, 0)
    exitIntent()
    expect(exitDialog()).toBeNull()
  })

  it('never offers again after the visitor dismissed it on two page views', async () => {
    let widget = await mount(acceptingFetch(), 0)
    exitIntent()
    fireEvent.click(inExitDialog('button.close'))
    expect(exitDialog()).toBeNull()
    widget = await nextPageView(widget, 0)
    exitIntent()
    expect(exitDialog()).not.toBeNull()
    fireEvent.click(inExitDialog('.more'))
    for (let page = 0; page < 2; page++) {
      widget = await nextPageView(widget, 0)
      exitIntent()
      expect(exitDialog()).toBeNull()
    }
  })

  it('interrupts once per page view, even when the widget is mounted again on the same page', async () => {
    let widget = await mount(acceptingFetch(), 0)
    exitIntent()
    expect(exitDialog()).not.toBeNull()
    // Closed by the page, not dismissed by the visitor: no dismissal counts.
    widget.close()
    exitIntent()
    expect(exitDialog()).toBeNull()
    // A single-page app takes the widget off and puts it back: still the same page view.
    widget.destroy()
    widget = await mount(acceptingFetch(), 0)
    exitIntent()
    expect(exitDialog()).toBeNull()
    widget = await nextPageView(widget, 0)
    exitIntent()
    expect(exitDialog()).not.toBeNull()
  })

  it('keeps capPerDays between page views: not again within 3 days, again after', async () => {
    // Forward from the real clock: time on page counts from performance.timeOrigin.
    const t0 = Date.now()
    vi.useFakeTimers({ toFake: ['Date'], now: t0 })
    let widget = await mount(acceptingFetch(), 3)
    exitIntent()
    expect(exitDialog()).not.toBeNull()
    widget.close()
    vi.setSystemTime(t0 + 3 * DAY - 60_000)
    widget = await nextPageView(widget, 3)
    exitIntent()
    expect(exitDialog()).toBeNull()
    vi.setSystemTime(t0 + 3 * DAY)
    widget = await nextPageView(widget, 3)
    exitIntent()
    expect(exitDialog()).not.toBeNull()
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
    expect(options.root.closest('[role="dialog"]')?.getAttribute('aria-labelledby')).toBe('lc-chat-title')
    expect(shadow().getElementById('lc-chat-title')?.textContent).toBe(en.chat)
  })
})
