// Tests for the countdown after an in-hours request: it ticks, then says what happens next.
import { act, cleanup, render, screen } from '@testing-library/preact'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { STRINGS } from '../view/i18n'
import { Countdown, clock } from './countdown'

afterEach(() => {
  cleanup()
  vi.useRealTimers()
})

describe('Countdown', () => {
  it('counts down each second and, at 0:00, says what happens next in a live region', () => {
    vi.useFakeTimers()
    const ru = STRINGS.ru
    render(<Countdown seconds={2} strings={ru} />)
    expect(screen.getByText('Уже звоним вам: 0:02')).toBeTruthy()
    expect(screen.getByRole('status').textContent).toBe('')
    act(() => {
      vi.advanceTimersByTime(1000)
    })
    expect(screen.getByText('Уже звоним вам: 0:01')).toBeTruthy()
    act(() => {
      vi.advanceTimersByTime(1000)
    })
    expect(screen.queryByText(/Уже звоним вам/)).toBeNull()
    expect(screen.getByRole('status').textContent).toBe(ru.callingOver)
    act(() => {
      vi.advanceTimersByTime(60_000)
    })
    expect(screen.getByRole('status').textContent).toBe(ru.callingOver)
  })

  it('writes minutes and seconds', () => {
    expect(clock(90)).toBe('1:30')
    expect(clock(7)).toBe('0:07')
  })
})
