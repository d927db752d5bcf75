// Tests for the interruption budget shared by every proactive UI.
import { beforeEach, describe, expect, it } from 'vitest'
import { canInterrupt, noteConverted, noteDismissed, resetPageView, spendInterruption } from './interruptions'

const DAY = 86_400_000
const T0 = Date.parse('2026-11-23T10:00:00Z')

beforeEach(() => {
  localStorage.clear()
  resetPageView()
})

describe('the interruption budget', () => {
  it('allows one interruption per page view and one per capPerDays', () => {
    expect(canInterrupt(1, T0)).toBe(true)
    spendInterruption(T0)
    expect(canInterrupt(1, T0 + 1)).toBe(false)
    resetPageView()
    expect(canInterrupt(1, T0 + DAY - 1)).toBe(false)
    expect(canInterrupt(1, T0 + DAY)).toBe(true)
    expect(canInterrupt(0, T0 + 1)).toBe(true)
  })

  it('stops for good after two dismissals or a conversion', () => {
    noteDismissed()
    expect(canInterrupt(0, T0)).toBe(true)
    noteDismissed()
    expect(canInterrupt(0, T0)).toBe(false)
    localStorage.clear()
    noteConverted()
    expect(canInterrupt(0, T0)).toBe(false)
  })
})
