// Tests for the visitor memory: first/last touch attribution, visits and pages across page loads.
import * as v from 'valibot'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { LeadContextSchema } from '../../../shared/schemas/lead'
import { collectContext } from '../core/lead-context'
import { VISIT_GAP_MS, recordVisit, visitorContext } from './visitor'

const T0 = Date.parse('2026-11-23T10:00:00Z')

beforeEach(() => localStorage.clear())

describe('recordVisit', () => {
  it('keeps the first touch and moves the last one to each new ad click', () => {
    recordVisit('https://shop.example/?utm_source=yandex&yclid=1', 'https://ya.ru/', T0)
    recordVisit('https://shop.example/sofas', 'https://shop.example/', T0 + 60_000)
    const visitor = recordVisit('https://shop.example/?utm_source=google&gclid=2', '', T0 + 120_000)
    expect(visitor.first).toMatchObject({
      utm: { source: 'yandex' },
      clickIds: { yclid: '1' },
      referrer: 'https://ya.ru/',
      landing: 'https://shop.example/?utm_source=yandex&yclid=1',
    })
    expect(visitor.last).toMatchObject({ utm: { source: 'google' }, clickIds: { gclid: '2' } })
    expect(visitor.pagesViewed).toBe(3)
  })

  it('counts a new visit after 30 minutes away, not for pages in between', () => {
    recordVisit('https://shop.example/', '', T0)
    expect(recordVisit('https://shop.example/a', 'https://shop.example/', T0 + 1000).visits).toBe(1)
    const later = recordVisit('https://shop.example/b', '', T0 + 1000 + VISIT_GAP_MS + 1)
    expect(later).toMatchObject({ visits: 2, pagesViewed: 3 })
  })

  it('counts a reload of the ad’s landing page as the same visit and touch, a new click as a new one', () => {
    const landing = 'https://shop.example/?utm_source=yandex&yclid=1'
    const first = recordVisit(landing, 'https://ya.ru/', T0)
    // The browser keeps both the tags and the referrer on a reload.
    const reload = recordVisit(landing, 'https://ya.ru/', T0 + 60_000)
    expect(reload).toMatchObject({ visits: 1, pagesViewed: 2, last: first.last })
    const again = recordVisit('https://shop.example/?utm_source=yandex&yclid=2', 'https://ya.ru/', T0 + 120_000)
    expect(again).toMatchObject({ visits: 2, pagesViewed: 3, last: { clickIds: { yclid: '2' } } })
    // The same ad an hour later is a new visit all the same.
    const later = recordVisit(landing, 'https://ya.ru/', T0 + 120_000 + VISIT_GAP_MS + 1)
    expect(later).toMatchObject({ visits: 3, pagesViewed: 4 })
  })

  it('works without storage, as a first visit every time', () => {
    vi.spyOn(Storage.prototype, 'getItem').mockImplementation(() => {
      throw new DOMException('SecurityError')
    })
    expect(recordVisit('https://shop.example/', '', T0)).toMatchObject({
      visits: 1,
      pagesViewed: 1,
    })
    vi.restoreAllMocks()
  })
})

describe('visitorContext', () => {
  it('credits the last touch on a later page without tags, with the counters', () => {
    recordVisit('https://shop.example/?utm_source=yandex&yclid=7', 'https://ya.ru/', T0)
    const visitor = recordVisit('https://shop.example/cart', 'https://shop.example/', T0 + 5000)
    const context = visitorContext(visitor, collectContext('https://shop.example/cart', 'https://shop.example/'))
    expect(context).toMatchObject({
      page: 'https://shop.example/cart',
      landing: 'https://shop.example/?utm_source=yandex&yclid=7',
      referrer: 'https://ya.ru/',
      utm: { source: 'yandex' },
      clickIds: { yclid: '7' },
      visits: 1,
      pagesViewed: 2,
    })
    const parsed = v.safeParse(LeadContextSchema, context)
    expect(parsed.success && parsed.output.landing).toBe('https://shop.example/?utm_source=yandex&yclid=7')
  })

  it('sends the first touch next to the last one, which moves with each new ad click', () => {
    recordVisit('https://shop.example/?utm_source=yandex&yclid=7', 'https://ya.ru/', T0)
    const visitor = recordVisit('https://shop.example/sale?utm_source=vk&utm_campaign=winter', '', T0 + VISIT_GAP_MS + 1)
    const context = visitorContext(visitor, collectContext('https://shop.example/sale?utm_source=vk&utm_campaign=winter', ''))
    expect(context).toMatchObject({
      utm: { source: 'vk', campaign: 'winter' },
      visits: 2,
      firstTouch: {
        utm: { source: 'yandex' },
        clickIds: { yclid: '7' },
        referrer: 'https://ya.ru/',
        landing: 'https://shop.example/?utm_source=yandex&yclid=7',
      },
    })
    // The landing page is this page: not repeated.
    expect(context).not.toHaveProperty('landing')
    const parsed = v.safeParse(LeadContextSchema, context)
    expect(parsed.success && parsed.output.firstTouch?.utm?.source).toBe('yandex')
  })
})
