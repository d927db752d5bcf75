// Tests for analytics in the running widget: what a mounted widget pushes to the page's dataLayer
// and which Metrica goals it reaches when the visitor opens it and leaves a lead.
import { fireEvent, waitFor } from '@testing-library/preact'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { AnalyticsSettings } from '../../../shared/schemas/widget-settings'
import type { WidgetConfig } from './api'
import { resetPageView } from './interruptions'
import type { Widget } from './mount'
import { ENDPOINT, acceptingFetch, exitIntentSettings, fireExitIntent, mountOnPage, sentBody, siteConfig, submitCallbackForm } from '../testing'

const COUNTER = 98_765_432
let widgets: Widget[] = []
let ym: ReturnType<typeof vi.fn<NonNullable<Window['ym']>>>

async function mount(analytics: AnalyticsSettings | null, overrides: Partial<WidgetConfig> = {}, fetchMock = acceptingFetch()) {
  const widget = mountOnPage({
    site: 'shop',
    endpoint: ENDPOINT,
    config: siteConfig({ analytics, ...overrides }),
    fetch: fetchMock,
  })
  widgets.push(widget)
  await widget.ready
  return widget
}

const shadow = () => document.querySelector('leadcatcher-widget')?.shadowRoot as ShadowRoot
const launcher = () => shadow().querySelector('button.launcher') as HTMLElement
const accepted = () => waitFor(() => expect(shadow().querySelector('.live')?.textContent).toMatch(/Thanks/))

beforeEach(() => {
  localStorage.clear()
  resetPageView()
  window.dataLayer = []
  ym = vi.fn<NonNullable<Window['ym']>>()
  window.ym = ym
  // A desktop with a mouse; jsdom has no matchMedia.
  vi.stubGlobal('matchMedia', () => ({ matches: true }))
})

afterEach(() => {
  for (const widget of widgets) widget.destroy()
  widgets = []
  delete window.dataLayer
  delete window.ym
  vi.unstubAllGlobals()
  vi.restoreAllMocks()
})

describe('analytics in the mounted widget', () => {
  it('reports the opened panel and the accepted callback lead to dataLayer and Metrica', async () => {
    await mount({ ymCounter: COUNTER, dataLayer: true })
    fireEvent.click(launcher())
    expect(window.dataLayer).toEqual([{ event: 'leadcatcher.widget_opened', panel: 'callback' }])
    expect(ym).toHaveBeenCalledWith(COUNTER, 'reachGoal', 'leadcatcher_widget_opened', {
      panel: 'callback',
    })
    submitCallbackForm(shadow())
    await accepted()
    expect(window.dataLayer).toEqual([
      { event: 'leadcatcher.widget_opened', panel: 'callback' },
      { event: 'leadcatcher.lead_submitted', source: 'callback' },
    ])
    expect(ym.mock.calls).toEqual([
      [COUNTER, 'reachGoal', 'leadcatcher_widget_opened', { panel: 'callback' }],
      [COUNTER, 'reachGoal', 'leadcatcher_lead_submitted_callback', { source: 'callback' }],
    ])
  })

  it('counts an open once: opening the panel already open reports nothing more', async () => {
    const widget = await mount({ ymCounter: COUNTER, dataLayer: true })
    widget.open('callback')
    widget.open('callback')
    expect(window.dataLayer).toHaveLength(1)
    expect(ym).toHaveBeenCalledTimes(1)
  })

  it('reports the exit offer shown and its lead with source exit_intent', async () => {
    const fetchMock = acceptingFetch()
    await mount({ ymCounter: COUNTER, dataLayer: true }, { exitIntent: exitIntentSettings() }, fetchMock)
    fireExitIntent()
    expect(window.dataLayer).toEqual([{ event: 'leadcatcher.exit_intent_shown' }])
    const field = shadow().getElementById('lc-contact') as HTMLInputElement
    fireEvent.input(field, { target: { value: 'anna@example.com' } })
    fireEvent.click(field.closest('form')?.querySelector('.submit') as Element)
    await waitFor(() => expect(window.dataLayer).toHaveLength(2))
    expect(sentBody(fetchMock).source).toBe('exit_intent')
    expect(window.dataLayer?.[1]).toEqual({
      event: 'leadcatcher.lead_submitted',
      source: 'exit_intent',
    })
    expect(ym.mock.calls).toEqual([
      [COUNTER, 'reachGoal', 'leadcatcher_exit_intent_shown', {}],
      [COUNTER, 'reachGoal', 'leadcatcher_lead_submitted_exit_intent', { source: 'exit_intent' }],
    ])
  })

  it('still reaches the Metrica goals, without an error, on a page with no dataLayer', async () => {
    delete window.dataLayer
    const error = vi.spyOn(console, 'error')
    await mount({ ymCounter: COUNTER, dataLayer: true })
    fireEvent.click(launcher())
    submitCallbackForm(shadow())
    await accepted()
    expect(ym.mock.calls.map(([, , goal]) => goal)).toEqual(['leadcatcher_widget_opened', 'leadcatcher_lead_submitted_callback'])
    expect(window.dataLayer).toBeUndefined()
    expect(error).not.toHaveBeenCalled()
  })

  it('reports nothing when the site turned dataLayer off and set no counter', async () => {
    await mount({ dataLayer: false })
    fireEvent.click(launcher())
    submitCallbackForm(shadow())
    await accepted()
    expect(window.dataLayer).toEqual([])
    expect(ym).not.toHaveBeenCalled()
  })

  it('reaches no Metrica goal without a counter, and pushes to dataLayer by default', async () => {
    // No analytics settings at all: the schema's default `dataLayer: true` applies.
    await mount(null)
    fireEvent.click(launcher())
    submitCallbackForm(shadow())
    await accepted()
    expect(window.dataLayer).toEqual([
      { event: 'leadcatcher.widget_opened', panel: 'callback' },
      { event: 'leadcatcher.lead_submitted', source: 'callback' },
    ])
    expect(ym).not.toHaveBeenCalled()
  })
})
