// Tests for the attribution collected with every lead.
import * as v from 'valibot'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { LeadContextSchema } from '../../../shared/schemas/lead'
import { collectContext } from './lead-context'

afterEach(() => {
  vi.restoreAllMocks()
  history.replaceState(null, '', '/')
})

describe('collectContext', () => {
  it('reads UTM tags and click ids from the page URL', () => {
    const context = collectContext(
      'https://shop.example/sale?utm_source=yandex&utm_medium=cpc&utm_campaign=spring&utm_term=sofa&utm_content=ad1&yclid=42&gclid=g-1&fbclid=f-1',
      'https://ya.ru/',
    )
    expect(context).toMatchObject({
      page: 'https://shop.example/sale?utm_source=yandex&utm_medium=cpc&utm_campaign=spring&utm_term=sofa&utm_content=ad1&yclid=42&gclid=g-1&fbclid=f-1',
      referrer: 'https://ya.ru/',
      utm: { source: 'yandex', medium: 'cpc', campaign: 'spring', term: 'sofa', content: 'ad1' },
      clickIds: { yclid: '42', gclid: 'g-1', fbclid: 'f-1' },
    })
    expect(v.safeParse(LeadContextSchema, context).success).toBe(true)
  })

  it('omits the referrer, UTM and click ids when there are none', () => {
    const context = collectContext('https://shop.example/?q=sofa&utm_source=', '')
    expect(context).not.toHaveProperty('referrer')
    expect(context).not.toHaveProperty('utm')
    expect(context).not.toHaveProperty('clickIds')
  })

  it('keeps only the UTM tags that are present', () => {
    expect(collectContext('https://shop.example/?utm_source=vk', '').utm).toEqual({ source: 'vk' })
  })

  it('defaults to the live page, the browser language and its time zone', () => {
    history.replaceState(null, '', '/landing?utm_campaign=may')
    vi.spyOn(navigator, 'language', 'get').mockReturnValue('ru-RU')
    const context = collectContext()
    expect(context.page).toBe(`${location.origin}/landing?utm_campaign=may`)
    expect(context.utm).toEqual({ campaign: 'may' })
    expect(context.locale).toBe('ru-RU')
    expect(context.timezone).toBe(Intl.DateTimeFormat().resolvedOptions().timeZone)
  })
})
