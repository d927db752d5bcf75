// Tests for the one "lead" emitter the loader hands to the core.
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createLeadEvents } from './lead-events'
import { mountWidget } from './mount'
import type { Widget } from './mount'
import { ENDPOINT, acceptingFetch, siteConfig, submitCallbackForm } from './testing'

let widget: Widget | undefined

afterEach(() => {
  widget?.destroy()
  widget = undefined
  vi.restoreAllMocks()
})

describe('createLeadEvents', () => {
  it('reaches every listener, past one that throws, until it is removed', () => {
    vi.spyOn(console, 'error').mockImplementation(() => {})
    const events = createLeadEvents()
    const heard: string[] = []
    events.on('lead', () => {
      throw new Error('broken analytics')
    })
    const off = events.on('lead', (lead) => heard.push(lead.id))
    events.emit({ id: 'a', source: 'callback' })
    off()
    events.emit({ id: 'b', source: 'callback' })
    expect(heard).toEqual(['a'])
    expect(console.error).toHaveBeenCalledWith('[leadcatcher] a "lead" listener threw', expect.any(Error))
  })

  it('refuses an unknown event or a listener that is no function', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const events = createLeadEvents()
    events.on('click' as 'lead', () => {})
    events.on('lead', 'nope' as unknown as () => void)
    expect(() => events.emit({ id: 'a', source: 'callback' })).not.toThrow()
    expect(warn).toHaveBeenCalledTimes(2)
  })
})

describe('the emitter handed to the core', () => {
  it("is the one the core's leads go to, so a listener added before the mount hears them", async () => {
    const events = createLeadEvents()
    const heard: string[] = []
    events.on('lead', (lead) => heard.push(lead.source))
    widget = mountWidget({ site: 'shop', endpoint: ENDPOINT, config: siteConfig(), fetch: acceptingFetch(), events })
    expect(await widget.ready).toBe(true)
    widget.open('callback')
    const shadow = document.querySelector('leadcatcher-widget')?.shadowRoot
    if (!shadow) throw new Error('the widget is not mounted')
    await vi.waitFor(() => submitCallbackForm(shadow))
    await vi.waitFor(() => expect(heard).toEqual(['callback']))
  })
})
