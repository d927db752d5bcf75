import { describe, expect, it } from 'vitest'
import { JUNK_REASONS, LEAD_STATUSES } from './schemas/lead-status'
import { JUNK_REASON_LABELS, STATUS_LABELS, statusText } from './lead-status-labels'
import { LOCALES } from './locales'

describe('status labels', () => {
  it('name every status and reason in every locale', () => {
    for (const locale of LOCALES) {
      for (const status of LEAD_STATUSES) expect(STATUS_LABELS[locale][status]).toBeTruthy()
      for (const reason of JUNK_REASONS) expect(JUNK_REASON_LABELS[locale][reason]).toBeTruthy()
    }
  })

  it('say the reason of a junk lead and nothing else for other statuses', () => {
    expect(statusText('junk', 'wrong_number', 'ru')).toBe('Брак: неверный номер')
    expect(statusText('junk', 'off_target', 'en')).toBe('Junk: off target')
    expect(statusText('won', null, 'en')).toBe('Won')
  })
})
