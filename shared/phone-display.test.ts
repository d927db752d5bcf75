import { describe, expect, it } from 'vitest'
import { formatPhoneForDisplay, telHref } from './phone-display'

describe('formatPhoneForDisplay', () => {
  it('groups a +7 number the Russian way', () => {
    expect(formatPhoneForDisplay('+79123456789')).toBe('+7 912 345-67-89')
  })

  it('shows any other number as stored', () => {
    expect(formatPhoneForDisplay('+4930123456')).toBe('+4930123456')
    expect(formatPhoneForDisplay('+7912')).toBe('+7912')
  })
})

describe('telHref', () => {
  it('keeps only the plus and the digits', () => {
    expect(telHref('+7 (912) 345-67-89')).toBe('tel:+79123456789')
    expect(telHref('javascript:alert(1)')).toBe('tel:1')
  })
})
