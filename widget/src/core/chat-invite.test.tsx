// The proactive chat invite in the running widget: after the configured time on the page, within
// the interruption budget it shares with the exit offer, never over an open dialog, and closing it
// counts as a "no, thanks".
import { fireEvent, waitFor } from '@testing-library/preact'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { ChatInviteSettings } from '../../../shared/schemas/widget-settings'
import { STRINGS } from '../view/i18n'
import { INTERRUPTIONS_KEY, resetPageView } from './interruptions'
import type { Widget } from './mount'
import { registerChat } from './panels'
import type { ChatMountOptions } from './panels'
import { ENDPOINT, acceptingFetch, exitIntentSettings, fireExitIntent, mountOnPage, siteConfig } from '../testing'

const en = STRINGS.en
const FLOW = { start: 'hello', nodes: {} }
let widgets: Widget[] = []
let mountChat: ReturnType<typeof vi.fn<(options: ChatMountOptions) => () => void>>

const invite = (overrides: Partial<ChatInviteSettings> = {}): ChatInviteSettings => ({
  enabled: true,
  afterSeconds: 20,
  capPerDays: 1,
  ...overrides,
})

/** A widget on a page the visitor opened `onPageSeconds` ago. */
async function mount(settings: Partial<Parameters<typeof siteConfig>[0]> = {}, onPageSeconds = 0) {
  vi.spyOn(performance, 'timeOrigin', 'get').mockReturnValue(Date.now() - onPageSeconds * 1000)
  const widget = mountOnPage({
    site: 'shop',
    endpoint: ENDPOINT,
    config: siteConfig({ chat: { flow: FLOW }, chatInvite: invite(), ...settings }),
    fetch: acceptingFetch(),
  })
  widgets.push(widget)
  await widget.ready
  return widget
}

const shadow = () => document.querySelector('leadcatcher-widget')?.shadowRoot as ShadowRoot
const bubble = () => shadow().querySelector<HTMLElement>('.invite')
const exitDialog = () => shadow().querySelector('[aria-labelledby="lc-exit-title"]')

beforeEach(() => {
  localStorage.clear()
  resetPageView()
  // Timers move on with real time too, so the mount's own short tasks run; the 20 s are ours.
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'], shouldAdvanceTime: true })
  vi.stubGlobal('matchMedia', () => ({ matches: true }))
  mountChat = vi.fn((_options: ChatMountOptions) => () => {})
  registerChat(async () => ({ mountChat }))
})

afterEach(() => {
  for (const widget of widgets) widget.destroy()
  widgets = []
  vi.useRealTimers()
  vi.unstubAllGlobals()
  vi.restoreAllMocks()
  registerChat(undefined)
})

describe('the chat invite', () => {
  it('appears after the configured time on the page, in a status region, without taking focus', async () => {
    const dataLayer: unknown[] = []
    vi.stubGlobal('dataLayer', dataLayer)
    await mount()
    vi.advanceTimersByTime(19_500)
    expect(bubble()).toBeNull()
    vi.advanceTimersByTime(500)
    expect(bubble()?.textContent).toContain(en.chatInvite)
    expect(bubble()?.closest('[role="status"]')).not.toBeNull()
    expect(shadow().activeElement).toBeNull()
    expect(dataLayer).toContainEqual({ event: 'leadcatcher.chat_invite_shown' })
  })

  it('counts the time from the page’s start, not from when the widget arrived', async () => {
    await mount({}, 15)
    vi.advanceTimersByTime(5_000)
    expect(bubble()).not.toBeNull()
  })

  it('shows the site’s own text, as text', async () => {
    await mount({ chatInvite: invite({ text: '<b>Ask</b> us about mortgages' }) })
    vi.advanceTimersByTime(20_000)
    expect(bubble()?.querySelector('p')?.textContent).toBe('<b>Ask</b> us about mortgages')
    expect(bubble()?.querySelector('b')).toBeNull()
  })

  it('opens the chat from its button and goes away', async () => {
    await mount()
    vi.advanceTimersByTime(20_000)
    fireEvent.click(bubble()?.querySelector('.invite-open') as HTMLElement)
    vi.useRealTimers()
    await waitFor(() => expect(mountChat).toHaveBeenCalledTimes(1))
    expect(bubble()).toBeNull()
    expect(shadow().querySelector('[aria-labelledby="lc-chat-title"]')?.closest('[hidden]')).toBeNull()
  })

  it('closing it is a "no, thanks": two of them and it never comes back', async () => {
    for (let page = 0; page < 3; page++) {
      if (page > 0) {
        widgets.pop()?.destroy()
        resetPageView()
      }
      await mount({ chatInvite: invite({ capPerDays: 0 }) })
      vi.advanceTimersByTime(20_000)
      if (page === 2) break
      fireEvent.click(bubble()?.querySelector('.close') as HTMLElement)
      expect(bubble()).toBeNull()
    }
    expect(bubble()).toBeNull()
    expect(JSON.parse(localStorage.getItem(INTERRUPTIONS_KEY) ?? '{}')).toMatchObject({ dismissals: 2 })
  })

  it('goes away on Escape, wherever focus is, and that counts as a "no, thanks"', async () => {
    await mount()
    vi.advanceTimersByTime(20_000)
    expect(bubble()).not.toBeNull()
    fireEvent.keyDown(document.body, { key: 'Enter' })
    expect(bubble()).not.toBeNull()
    fireEvent.keyDown(document.body, { key: 'Escape' })
    expect(bubble()).toBeNull()
    expect(JSON.parse(localStorage.getItem(INTERRUPTIONS_KEY) ?? '{}')).toMatchObject({ dismissals: 1 })
    // Gone means gone: a later Escape (closing something of the page's own) counts nothing more.
    fireEvent.keyDown(document.body, { key: 'Escape' })
    expect(JSON.parse(localStorage.getItem(INTERRUPTIONS_KEY) ?? '{}')).toMatchObject({ dismissals: 1 })
  })

  it('gives focus to the launcher when its focused × takes it away', async () => {
    await mount()
    vi.advanceTimersByTime(20_000)
    const close = bubble()?.querySelector<HTMLElement>('.close') as HTMLElement
    close.focus()
    fireEvent.click(close)
    expect(bubble()).toBeNull()
    expect(shadow().activeElement?.classList.contains('launcher')).toBe(true)
  })

  it('does not come over a dialog the visitor opened', async () => {
    const widget = await mount()
    widget.open('callback')
    vi.advanceTimersByTime(20_000)
    expect(bubble()).toBeNull()
    widget.close()
    expect(bubble()).toBeNull()
  })

  it('shares one budget with the exit offer: one proactive interruption per page view', async () => {
    await mount({ exitIntent: exitIntentSettings({ capPerDays: 0 }), chatInvite: invite({ capPerDays: 0 }) })
    vi.advanceTimersByTime(20_000)
    expect(bubble()).not.toBeNull()
    fireExitIntent()
    expect(exitDialog()).toBeNull()
  })

  it('is not shown after the exit offer took this page view’s interruption', async () => {
    await mount({ exitIntent: exitIntentSettings({ capPerDays: 0 }), chatInvite: invite({ capPerDays: 0 }) })
    fireExitIntent()
    expect(exitDialog()).not.toBeNull()
    fireEvent.click(exitDialog()?.querySelector('.close') as HTMLElement)
    vi.advanceTimersByTime(20_000)
    expect(bubble()).toBeNull()
  })

  it('stays away on a site without a chat, or with the invite off', async () => {
    await mount({ chat: null })
    vi.advanceTimersByTime(60_000)
    expect(bubble()).toBeNull()
    widgets.pop()?.destroy()
    resetPageView()
    await mount({ chatInvite: invite({ enabled: false }) })
    vi.advanceTimersByTime(60_000)
    expect(bubble()).toBeNull()
  })
})
