import { describe, expect, it } from 'vitest'
import { drillDown, groupFilter } from './drill-down'

const range = { site: 'shop', from: '2026-07-01T00:00:00.000Z', to: '2026-08-01T00:00:00.000Z' }

describe('drill-down from the report to the inbox', () => {
  it('asks for the group the row counts', () => {
    expect(groupFilter('utm_source', 'yandex')).toEqual({ utmSource: 'yandex' })
    expect(groupFilter('utm_campaign', 'spring')).toEqual({ campaign: 'spring' })
    expect(groupFilter('source_type', 'chat')).toEqual({ source: 'chat' })
    expect(groupFilter('page', 'https://shop.example/flats')).toEqual({ page: 'https://shop.example/flats' })
    expect(groupFilter('campaign', 'yandex / spring')).toEqual({ utmSource: 'yandex', campaign: 'spring' })
  })

  it('has no link for a row without a value, which no filter can ask for', () => {
    expect(groupFilter('utm_source', null)).toBeNull()
    expect(drillDown('utm_source', { group: null }, 'junk', range)).toBeNull()
    expect(drillDown('utm_source', { group: null }, 'junk:spam', range)).toBeNull()
  })

  it('has no link for a campaign row with a missing half, where leaving it out would count more', () => {
    expect(groupFilter('campaign', '(none) / spring')).toBeNull()
    expect(groupFilter('campaign', 'yandex / (none)')).toBeNull()
  })

  it('asks for the same leads the cell counts, over the report’s range', () => {
    expect(drillDown('utm_campaign', { group: 'spring' }, 'hot', range)).toEqual({ ...range, campaign: 'spring', temperature: 'hot', spam: 'false' })
    expect(drillDown('utm_campaign', { group: 'spring' }, 'qualified', range)).toEqual({ ...range, campaign: 'spring', status: 'qualified,won' })
    expect(drillDown('utm_campaign', { group: 'spring' }, 'junk', range)).toEqual({ ...range, campaign: 'spring', status: 'junk' })
    expect(drillDown('utm_campaign', { group: 'spring' }, 'junk:wrong_number', range)).toEqual({ ...range, campaign: 'spring', status: 'junk', junkReason: 'wrong_number' })
    expect(drillDown('utm_campaign', { group: 'spring' }, 'repeat', range)).toEqual({ ...range, campaign: 'spring', duplicate: 'true', spam: 'false' })
  })
})
