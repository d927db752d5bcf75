import { describe, expect, it } from 'vitest'
import { activeFilterCount, leadsQuery, withFilter, withoutFilters } from './query'

const NOW = Date.parse('2026-11-08T00:00:00Z')

describe('leadsQuery', () => {
  it('passes the filters on as the API names them, with the site', () => {
    const params = new URLSearchParams('status=qualified,won&campaign=spring&spam=false&q=%2B7 912&unknown=1')
    expect(leadsQuery(params, 'shop', NOW)).toEqual({ site: 'shop', status: 'qualified,won', campaign: 'spring', spam: 'false', q: '+7 912' })
  })

  it('passes a junk reason from the report on, and drops it when the status is no longer junk', () => {
    const params = new URLSearchParams('status=junk&junkReason=wrong_number')
    expect(leadsQuery(params, 'shop', NOW)).toEqual({ site: 'shop', status: 'junk', junkReason: 'wrong_number' })
    expect(withFilter(params, 'status', 'new').toString()).toBe('status=new')
    expect(withFilter(params, 'status', '').toString()).toBe('')
    expect(withFilter(params, 'temperature', 'hot').toString()).toBe('status=junk&junkReason=wrong_number&temperature=hot')
  })

  it('turns a period into a window that ends now', () => {
    expect(leadsQuery(new URLSearchParams('period=7'), '', NOW)).toEqual({ site: undefined, from: '2026-11-01T00:00:00.000Z' })
    expect(leadsQuery(new URLSearchParams('period=13'), '', NOW).from).toBeUndefined()
  })

  it('keeps a range from the report over a period', () => {
    const params = new URLSearchParams('period=7&from=2026-07-01T00:00:00.000Z&to=2026-08-01T00:00:00.000Z')
    expect(leadsQuery(params, 'shop', NOW)).toMatchObject({ from: '2026-07-01T00:00:00.000Z', to: '2026-08-01T00:00:00.000Z' })
  })
})

describe('changing filters', () => {
  it('sets and clears one filter; a period replaces a linked range', () => {
    const params = new URLSearchParams('site=shop&from=2026-07-01&to=2026-08-01&status=junk')
    expect(withFilter(params, 'status', '').toString()).toBe('site=shop&from=2026-07-01&to=2026-08-01')
    expect(withFilter(params, 'period', '30').toString()).toBe('site=shop&status=junk&period=30')
  })

  it('keeps only the site when the filters are cleared, and counts what is set', () => {
    const params = new URLSearchParams('site=shop&status=junk&temperature=hot&period=7&q=anna')
    expect(activeFilterCount(params)).toBe(4)
    expect(withoutFilters(params).toString()).toBe('site=shop')
  })
})
