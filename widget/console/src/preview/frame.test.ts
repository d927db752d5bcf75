// The preview frame's script: it says it is ready, mounts widget.js with the site, language and a
// queued open from the console's message, answers the widget's config GET with the draft, hands
// its lead POST to the console and waits for the answer, refuses every other request, and ignores
// messages that are not the console's.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { FromFrame, ToFrame } from './protocol'

const ORIGIN = location.origin
const CONFIG = { site: 'shop', locale: 'ru', country: 'RU', brand: null }
let posted: FromFrame[]
let realFetch: typeof fetch

/** A message from the console: the frame's parent (jsdom's top window is its own parent). */
function fromConsole(data: ToFrame, origin = ORIGIN, source: MessageEventSource | null = window.parent) {
  window.dispatchEvent(new MessageEvent('message', { data, origin, source }))
}

beforeEach(async () => {
  posted = []
  realFetch = window.fetch
  vi.spyOn(window.parent, 'postMessage').mockImplementation((message: unknown) => {
    posted.push(message as FromFrame)
  })
  vi.resetModules()
  await import('./frame')
})

afterEach(() => {
  window.fetch = realFetch
  for (const node of document.querySelectorAll('script[data-site], leadcatcher-widget')) node.remove()
  delete (window as { Leadcatcher?: unknown }).Leadcatcher
  vi.restoreAllMocks()
})

describe('the preview frame', () => {
  it('says it is ready, then mounts widget.js as a site’s tag would, with the open queued', () => {
    expect(posted).toEqual([{ type: 'lc-preview:ready' }])
    fromConsole({ type: 'lc-preview:show', site: 'shop', config: CONFIG, locale: 'en', open: 'callback' })
    const script = document.querySelector<HTMLScriptElement>('script[data-site]')
    expect(script?.src).toBe(`${ORIGIN}/widget.js`)
    expect(script?.dataset).toMatchObject({ site: 'shop', endpoint: ORIGIN, locale: 'en' })
    expect(document.documentElement.lang).toBe('en')
    expect((window as unknown as { Leadcatcher: { q: unknown[][] } }).Leadcatcher.q).toEqual([['open', 'callback']])
    // A new draft replaces the widget: one tag on the page at a time.
    fromConsole({ type: 'lc-preview:show', site: 'shop', config: CONFIG, locale: 'ru', open: null })
    expect(document.querySelectorAll('script[data-site]')).toHaveLength(1)
  })

  it('answers the widget’s config GET with the draft and nothing else from the network', async () => {
    fromConsole({ type: 'lc-preview:show', site: 'shop', config: CONFIG, locale: 'ru', open: null })
    const config = await fetch(`${ORIGIN}/v1/sites/shop/config`)
    expect(config.status).toBe(200)
    await expect(config.json()).resolves.toEqual(CONFIG)
    expect((await fetch(`${ORIGIN}/v1/admin/leads`)).status).toBe(404)
    expect((await fetch('https://elsewhere.example/v1/sites/shop/config')).status).toBe(404)
  })

  it('hands the lead POST to the console and gives the widget the console’s answer', async () => {
    fromConsole({ type: 'lc-preview:show', site: 'shop', config: CONFIG, locale: 'ru', open: null })
    const lead = { id: 'a1', site: 'shop', source: 'callback', contact: { phone: '+79123456789' } }
    const answer = fetch(`${ORIGIN}/v1/leads`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(lead) })
    await vi.waitFor(() => expect(posted.at(-1)).toMatchObject({ type: 'lc-preview:lead', lead }))
    const { id } = posted.at(-1) as { id: number }
    // Another window's answer is not the console's.
    fromConsole({ type: 'lc-preview:answer', id, status: 500, body: {} }, 'https://evil.example')
    fromConsole({ type: 'lc-preview:answer', id, status: 201, body: { id: 'a1', status: 'accepted' } })
    const response = await answer
    expect(response.status).toBe(201)
    await expect(response.json()).resolves.toEqual({ id: 'a1', status: 'accepted' })
  })

  it('ignores a show from a window that is not its parent', () => {
    fromConsole({ type: 'lc-preview:show', site: 'shop', config: CONFIG, locale: 'ru', open: null }, ORIGIN, null)
    expect(document.querySelector('script[data-site]')).toBeNull()
  })
})
