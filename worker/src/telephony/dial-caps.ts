// The deployment's per-number dial caps from its settings (Worker vars or the Node environment):
// AUTODIAL_NUMBER_INTERVAL_MINUTES (default 30) and AUTODIAL_NUMBER_PER_DAY (default 3).
import type { DialCaps } from './call-store'

export type NumberCaps = Pick<DialCaps, 'numberIntervalMs' | 'numberPerDay'>

export const DEFAULT_NUMBER_CAPS: NumberCaps = { numberIntervalMs: 30 * 60_000, numberPerDay: 3 }

function positiveInteger(value: string | undefined): number | null {
  if (value === undefined || !/^\d{1,6}$/.test(value.trim())) return null
  const n = Number(value)
  return n >= 1 ? n : null
}

/** Unset or malformed values keep the defaults: a typo must never lift the caps. */
export function numberCapsFrom(vars: { AUTODIAL_NUMBER_INTERVAL_MINUTES?: string | undefined; AUTODIAL_NUMBER_PER_DAY?: string | undefined }): NumberCaps {
  const minutes = positiveInteger(vars.AUTODIAL_NUMBER_INTERVAL_MINUTES)
  const perDay = positiveInteger(vars.AUTODIAL_NUMBER_PER_DAY)
  return {
    numberIntervalMs: minutes === null ? DEFAULT_NUMBER_CAPS.numberIntervalMs : minutes * 60_000,
    numberPerDay: perDay ?? DEFAULT_NUMBER_CAPS.numberPerDay,
  }
}
