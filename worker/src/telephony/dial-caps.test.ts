import { expect, it } from 'vitest'
import { numberCapsFrom } from './dial-caps'

it('reads the per-number caps from the settings and keeps the defaults for anything malformed', () => {
  expect(numberCapsFrom({})).toEqual({ numberIntervalMs: 30 * 60_000, numberPerDay: 3 })
  expect(numberCapsFrom({ AUTODIAL_NUMBER_INTERVAL_MINUTES: '60', AUTODIAL_NUMBER_PER_DAY: '1' })).toEqual({ numberIntervalMs: 3_600_000, numberPerDay: 1 })
  expect(numberCapsFrom({ AUTODIAL_NUMBER_INTERVAL_MINUTES: '0', AUTODIAL_NUMBER_PER_DAY: 'lots' })).toEqual({ numberIntervalMs: 30 * 60_000, numberPerDay: 3 })
})
