import { describe, expect, it } from 'vitest'
import { smsDestinationRefusal } from './auto-reply-gate'

describe('smsDestinationRefusal', () => {
  it('lets a mobile of an allowed country through', () => {
    expect(smsDestinationRefusal('+79123456789', ['RU'])).toBeNull()
    expect(smsDestinationRefusal('+4915123456789', ['RU', 'DE'])).toBeNull()
  })

  it('takes numbers where the plan cannot tell mobiles from landlines (US, CA)', () => {
    expect(smsDestinationRefusal('+12025550123', ['US'])).toBeNull()
  })

  it('refuses landlines, foreign numbers and satellite networks even when the country is listed', () => {
    expect(smsDestinationRefusal('+493012345678', ['DE'])).toBe('not a mobile number (fixed line): SMS go to mobiles only')
    expect(smsDestinationRefusal('+4915123456789', ['RU'])).toBe('a number of DE: SMS go only to RU (sms.countries)')
    expect(smsDestinationRefusal('+881612345678', ['RU'])).toMatch(/^\+881 is a satellite/)
    expect(smsDestinationRefusal('+870773111632', ['RU'])).toMatch(/^\+870 is a satellite/)
    expect(smsDestinationRefusal('+7000', ['RU'])).toBe('not a valid phone number: no SMS')
  })
})
