// Tests for the one set of "lead" listeners the loader holds and hands to the core.
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createHost } from './host'
import { emitLead, listenTo } from './lead-events'
import type { LeadListener } from './lead-events'
import { mountWidget } from '../core/mount'
import type { Widget } from '../core/mount'
import { ENDPOINT, acceptingFetch, siteConfig, submitCallbackForm } from '../testing'

let widget: Widget | undefined

afterEach(() => {
  widget?.destroy()
  widget = undefined
  vi.restoreAllMocks()
})

describe('listenTo and emitLead', () => {
  it('reach every listener, past one that throws, until it is removed', () => {
    vi.spyOn(console, 'error').mockImplementation(() => {})
    const listeners = new Set<LeadListener>()
    const on = listenTo(listeners)
    const heard: string[] = []
    on('lead', () => {
      throw new Error('broken analytics')
    })
    const off = on('lead', (lead) => heard.push(lead.id))
    emitLead(listeners, { id: 'a', source: 'callback' })
    off()
    emitLead(listeners, { id: 'b', source: 'callback' })
    expect(heard).toEqual(['a'])
    expect(console.error).toHaveBeenCalledWith('[leadcatcher] a "lead" listener threw', expect.any(Error))
  })

  it('refuse an unknown event or a listener that is no function', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const listeners = new Set<LeadListener>()
    const on = listenTo(listeners)
    on('click' as 'lead', () => {})
    on('lead', 'nope' as unknown as LeadListener)
    expect(listeners.size).toBe(0)
    expect(warn).toHaveBeenCalledTimes(2)
  })
})

describe('the listeners handed to the core', () => {
  it("are the ones the core's leads go to, so a listener the loader took before the mount hears them", async () => {
    const listeners = new Set<LeadListener>()
    const heard: string[] = []
    listenTo(listeners)('lead', (lead) => heard.push(lead.source))
    const config = siteConfig()
    const host = createHost(config, 'en', () => {})
    widget = mountWidget({ site: 'shop', endpoint: ENDPOINT, config, locale: 'en', host, fetch: acceptingFetch(), listeners })
    expect(await widget.ready).toBe(true)
    widget.open('callback')
    const shadow = host.shadowRoot
    if (!shadow) throw new Error('the host has no shadow root')
    await vi.waitFor(() => submitCallbackForm(shadow))
    await vi.waitFor(() => expect(heard).toEqual(['callback']))
  })
})
