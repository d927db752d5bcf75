// `open('exit')` and `open('invite')`: the exit offer and the chat invite on demand (the console's
// live preview opens them this way), only where the site has them on, and outside the
// interruption budget the proactive prompts share.
import { waitFor } from '@testing-library/preact'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { INTERRUPTIONS_KEY, resetPageView } from './interruptions'
import type { Widget } from './mount'
import { registerChat } from './panels'
import { ENDPOINT, acceptingFetch, exitIntentSettings, mountOnPage, siteConfig } from '../testing'

const FLOW = { start: 'hello', nodes: {} }
const INVITE = { enabled: true, afterSeconds: 600, capPerDays: 1, text: 'Questions? Ask us' } as const
let widgets: Widget[] = []

async function mount(settings: Partial<Parameters<typeof siteConfig>[0]> = {}): Promise<Widget> {
  const widget = mountOnPage({ site: 'shop', endpoint: ENDPOINT, config: siteConfig(settings), fetch: acceptingFetch() })
  widgets.push(widget)
  await expect(widget.ready).resolves.toBe(true)
  return widget
}

const shadow = () => document.querySelector('leadcatcher-widget')?.shadowRoot as ShadowRoot
const exitTitle = () => shadow().getElementById('lc-exit-title')
const bubble = () => shadow().querySelector<HTMLElement>('.invite')

beforeEach(() => {
  localStorage.clear()
  resetPageView()
  vi.stubGlobal('matchMedia', () => ({ matches: true }))
  registerChat(async () => ({ mountChat: () => () => {} }))
})

afterEach(() => {
  for (const widget of widgets) widget.destroy()
  widgets = []
  vi.unstubAllGlobals()
  vi.restoreAllMocks()
  registerChat(undefined)
})

describe('opening the exit offer and the chat invite on demand', () => {
  it('shows the exit offer without an exit gesture, even with the budget spent', async () => {
    // Shown a minute ago on another page: exit intent itself would stay quiet for a day.
    localStorage.setItem(INTERRUPTIONS_KEY, JSON.stringify({ lastShown: Date.now() - 60_000, dismissals: 0, converted: false }))
    const widget = await mount({ exitIntent: exitIntentSettings({ minSecondsOnPage: 600 }) })
    widget.open('exit')
    await waitFor(() => expect(exitTitle()?.textContent).toBe('Wait! Take the price list'))
  })

  it('refuses the exit offer on a site that has it off, as an unknown panel', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const widget = await mount({ exitIntent: exitIntentSettings({ enabled: false }) })
    widget.open('exit')
    expect(exitTitle()).toBeNull()
    expect(warn).toHaveBeenCalledWith('[leadcatcher] unknown panel "exit"')
  })

  it('shows the chat invite’s bubble at once, long before its time on the page', async () => {
    const widget = await mount({ chat: { flow: FLOW }, chatInvite: INVITE })
    expect(bubble()).toBeNull()
    widget.open('invite')
    expect(bubble()?.textContent).toContain('Questions? Ask us')
  })

  it('shows no invite on a site without one, nor over an open dialog', async () => {
    const without = await mount({ chat: { flow: FLOW } })
    without.open('invite')
    expect(bubble()).toBeNull()
    without.destroy()
    const widget = await mount({ chat: { flow: FLOW }, chatInvite: INVITE })
    widget.open('callback')
    widget.open('invite')
    expect(bubble()).toBeNull()
  })
})
