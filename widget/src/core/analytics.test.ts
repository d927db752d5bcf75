// Tests for the analytics hooks: dataLayer and Yandex.Metrica, only when present and configured.
import { afterEach, describe, expect, it, vi } from 'vitest'
import { track } from './analytics'

afterEach(() => {
  delete window.dataLayer
  delete window.ym
})

describe('track', () => {
  it('pushes to dataLayer and reaches a Metrica goal per source', () => {
    window.dataLayer = []
    window.ym = vi.fn()
    track({ ymCounter: 42, dataLayer: true }, 'lead_submitted', { source: 'callback' })
    expect(window.dataLayer).toEqual([{ event: 'leadcatcher.lead_submitted', source: 'callback' }])
    expect(window.ym).toHaveBeenCalledWith(42, 'reachGoal', 'leadcatcher_lead_submitted_callback', {
      source: 'callback',
    })
  })

  it('does nothing without a dataLayer or a counter, and survives a throwing ym', () => {
    vi.spyOn(console, 'error').mockImplementation(() => {})
    window.ym = () => {
      throw new Error('blocked')
    }
    expect(() => track(null, 'widget_opened')).not.toThrow()
    expect(() => track({ ymCounter: 1, dataLayer: false }, 'widget_opened')).not.toThrow()
    vi.restoreAllMocks()
  })
})
