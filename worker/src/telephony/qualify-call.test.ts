// Which leads get an automatic call, and when.
import * as v from 'valibot'
import { describe, expect, it } from 'vitest'
import { SiteConfigSchema } from '../../../shared/schemas/site-config'
import { TwilioTargetSchema } from '../../../shared/schemas/targets/telephony'
import type { LeadPayload } from '../model/lead'
import { planCall } from './qualify-call'

const NOW = Date.parse('2026-12-02T09:00:00Z') // Wednesday, 12:00 in Moscow
const config = v.parse(SiteConfigSchema, { origins: ['https://shop.example'], country: 'RU' })
const target = v.parse(TwilioTargetSchema, {
  type: 'twilio',
  accountSid: `AC${'0'.repeat(32)}`,
  authToken: 'twilio_token_0123456789',
  from: '+15005550006',
  publicUrl: 'https://leads.example',
  operators: [{ manager: 'olga', number: '+79001110001' }],
})

function lead(overrides: Partial<LeadPayload> = {}): LeadPayload {
  return {
    id: 'x',
    site: 'shop',
    source: 'callback',
    contact: { phone: '+79123456789' },
    createdAt: new Date(NOW).toISOString(),
    duplicate: false,
    score: 50,
    temperature: 'warm',
    reasons: [],
    ...overrides,
  }
}

describe('planCall', () => {
  it('dials a callback with a valid mobile of the site’s country now', () => {
    expect(planCall(config, target, lead(), NOW)).toEqual({ dial: true, at: NOW })
  })

  it('leaves other leads to the managers, and says why', () => {
    expect(planCall(config, target, lead({ source: 'chat' }), NOW)).toEqual({ dial: false, reason: 'a chat lead, not a callback' })
    expect(planCall(config, target, lead({ contact: { email: 'a@b.ru' } }), NOW)).toMatchObject({ dial: false, reason: 'no phone number' })
    expect(planCall(config, target, lead({ duplicate: true }), NOW)).toMatchObject({ dial: false, reason: 'a repeat of an earlier lead' })
    expect(planCall(config, { ...target, allowRepeats: true }, lead({ duplicate: true }), NOW)).toMatchObject({ dial: true })
    expect(planCall(config, target, lead({ contact: { phone: '+442079460958' } }), NOW)).toMatchObject({ dial: false, reason: 'a number of GB, outside RU' })
  })

  it('never dials premium-rate or shared-cost numbers, even of an allowed country', () => {
    const abroad = { ...target, countries: ['GB', 'FR'] }
    expect(planCall(config, abroad, lead({ contact: { phone: '+449098790000' } }), NOW)).toMatchObject({ dial: false, reason: 'a premium-rate number' })
    expect(planCall(config, abroad, lead({ contact: { phone: '+33810123456' } }), NOW)).toMatchObject({ dial: false, reason: 'a shared-cost number' })
    expect(planCall(config, target, lead({ contact: { phone: '+78091234567' } }), NOW)).toMatchObject({ dial: false, reason: 'a premium-rate number' })
    expect(planCall(config, abroad, lead({ contact: { phone: '+447400123456' } }), NOW)).toEqual({ dial: true, at: NOW })
  })

  it('calls at the chosen callbackAt, or at the next opening outside working hours', () => {
    const later = '2026-12-02T15:30:00.000Z'
    expect(planCall(config, target, lead({ callbackAt: later }), NOW)).toEqual({ dial: true, at: Date.parse(later) })
    const hours = v.parse(SiteConfigSchema, { origins: ['https://shop.example'], hours: { timezone: 'Europe/Moscow', week: { thu: [['09:00', '18:00']] } } })
    // Wednesday noon in Moscow: closed until Thursday 09:00 (06:00 UTC).
    expect(planCall(hours, target, lead(), NOW)).toEqual({ dial: true, at: Date.parse('2026-12-03T06:00:00Z') })
  })
})
