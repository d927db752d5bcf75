// Tests for the callback form's DOM-free rules: checking input, building leads, reading replies.
import * as v from 'valibot'
import { describe, expect, it } from 'vitest'
import { LeadSchema } from '../../../shared/schemas/lead'
import { STRINGS } from '../view/i18n'
import { acceptedBody } from '../testing'
import { buildCallbackLead, checkCallback, describeResult } from './rules'
import type { CallbackValues } from './rules'

const en = STRINGS.en
const VALUES: CallbackValues = { phone: '+7 912 345-67-89', name: 'Anna', consent: true, hp: '' }
const ID = '3d0c6c4e-5b7a-4f43-8e0a-9f3b1c2d4e5f'

describe('checkCallback', () => {
  it('accepts a phone with enough digits', () => {
    expect(checkCallback(VALUES, false, en)).toBeNull()
  })

  it('asks for a phone when there is none and flags one with too few digits', () => {
    expect(checkCallback({ ...VALUES, phone: '  ' }, false, en)).toEqual({ phone: en.phoneMissing })
    expect(checkCallback({ ...VALUES, phone: '+7 (9' }, false, en)).toEqual({
      phone: en.phoneInvalid,
    })
  })

  it('requires the consent box only when the site requires consent', () => {
    const unticked = { ...VALUES, consent: false }
    expect(checkCallback(unticked, false, en)).toBeNull()
    expect(checkCallback(unticked, true, en)).toEqual({ consent: en.consentMissing })
  })
})

describe('buildCallbackLead', () => {
  const context = { page: 'https://shop.example/', locale: 'en-GB', timezone: 'Europe/London' }

  it('builds a body the shared LeadSchema accepts', () => {
    const lead = buildCallbackLead({
      id: ID,
      site: 'shop',
      values: VALUES,
      context,
      elapsedMs: 5400,
    })
    expect(v.safeParse(LeadSchema, lead).success).toBe(true)
    expect(lead).toEqual({
      id: ID,
      site: 'shop',
      source: 'callback',
      contact: { phone: '+7 912 345-67-89', name: 'Anna' },
      context,
      hp: '',
      elapsedMs: 5400,
    })
  })

  it('leaves out an empty name and adds consent only when a consent box was shown', () => {
    const values = { ...VALUES, name: ' ' }
    const without = buildCallbackLead({ id: ID, site: 'shop', values, context, elapsedMs: 1 })
    expect(without.contact).toEqual({ phone: '+7 912 345-67-89' })
    expect(without).not.toHaveProperty('consent')
    const withConsent = buildCallbackLead({
      id: ID,
      site: 'shop',
      values,
      consentText: 'I agree',
      context,
      elapsedMs: 1,
    })
    expect(withConsent.consent).toEqual({ given: true, text: 'I agree' })
  })
})

describe('describeResult', () => {
  const shown = ['phone', 'name'] as const

  it('shows the reply of an accepted lead', () => {
    const body = acceptedBody(ID, 'Thanks!')
    expect(describeResult({ kind: 'accepted', status: 201, body }, en, shown)).toEqual({
      fields: {},
      message: 'Thanks!',
      accepted: true,
    })
  })

  it('puts an issue next to the field its path names', () => {
    const error = {
      code: 'validation_failed' as const,
      message: 'Some fields are not filled in correctly.',
      issues: [{ path: 'contact.name', message: 'must be at most 200 characters' }],
    }
    expect(describeResult({ kind: 'rejected', status: 400, error }, en, shown)).toEqual({
      fields: { name: 'must be at most 200 characters' },
      message: '',
      accepted: false,
    })
  })

  it('maps error codes without issues to their field', () => {
    const error = { code: 'consent_required' as const, message: 'Please agree.' }
    const result = describeResult({ kind: 'rejected', status: 400, error }, en, [...shown, 'consent'])
    expect(result.fields).toEqual({ consent: 'Please agree.' })
  })

  it('says it in the live region when the field is not on this form', () => {
    const error = {
      code: 'invalid_email' as const,
      message: 'This email address does not look right.',
      issues: [{ path: 'contact.email', message: 'This email address does not look right.' }],
    }
    expect(describeResult({ kind: 'rejected', status: 400, error }, en, shown)).toEqual({
      fields: {},
      message: 'This email address does not look right.',
      accepted: false,
    })
  })

  it('asks to wait a minute on 429, with or without an error body', () => {
    expect(describeResult({ kind: 'rejected', status: 429, error: null }, en, shown).message).toBe(en.rateLimited)
  })

  it('tells an offline visitor to check the connection, and a failing worker to try later', () => {
    expect(describeResult({ kind: 'failed', status: 0 }, en, shown).message).toBe(en.offline)
    expect(describeResult({ kind: 'failed', status: 502 }, en, shown).message).toBe(en.failed)
  })
})
