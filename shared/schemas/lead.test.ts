import * as v from 'valibot'
import { describe, expect, it } from 'vitest'
import { LeadSchema } from './lead'

const base = {
  id: '6f1c1a52-3c5e-4b43-9a57-1d1a0e1d2c3b',
  site: 'demo',
  source: 'callback',
  contact: { phone: '+79123456789' },
}

describe('LeadSchema', () => {
  it('accepts the minimal contract body', () => {
    expect(v.safeParse(LeadSchema, base).success).toBe(true)
  })

  it('turns empty optional strings into absent values, so an untouched name field is no name', () => {
    const parsed = v.parse(LeadSchema, { ...base, contact: { phone: ' +79123456789 ', name: '  ', email: '' } })
    expect(parsed.contact).toEqual({ phone: '+79123456789', name: undefined, email: undefined })
  })

  it('strips unknown top-level keys instead of rejecting a newer widget', () => {
    const parsed = v.parse(LeadSchema, { ...base, fromTheFuture: [] })
    expect('fromTheFuture' in parsed).toBe(false)
  })

  it('never carries prototype-polluting answer ids into the output', () => {
    const answers = JSON.parse('{"__proto__": {"polluted": true}, "constructor": "x", "ok": "y"}') as Record<string, unknown>
    const parsed = v.parse(LeadSchema, { ...base, answers })
    expect(Object.keys(parsed.answers ?? {})).toEqual(['ok'])
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })

  it('takes the captcha token as captchaToken, and as turnstileToken from widgets cached before it', () => {
    expect(v.parse(LeadSchema, { ...base, captchaToken: 'ysc-token' }).captchaToken).toBe('ysc-token')
    expect(v.parse(LeadSchema, { ...base, turnstileToken: 'cf-token' }).turnstileToken).toBe('cf-token')
    expect(v.safeParse(LeadSchema, { ...base, captchaToken: 'x'.repeat(4097) }).success).toBe(false)
  })

  it('requires a time zone in callbackAt', () => {
    expect(v.safeParse(LeadSchema, { ...base, callbackAt: '2026-11-24T10:00:00+03:00' }).success).toBe(true)
    expect(v.safeParse(LeadSchema, { ...base, callbackAt: 'tomorrow' }).success).toBe(false)
  })

  it('takes the language the visitor saw as a supported locale and drops any other, keeping the lead', () => {
    expect(v.parse(LeadSchema, { ...base, locale: 'en' }).locale).toBe('en')
    expect(v.parse(LeadSchema, base).locale).toBeUndefined()
    for (const locale of ['de', 'en-GB', 'EN', '', 7]) {
      const parsed = v.safeParse(LeadSchema, { ...base, locale })
      expect(parsed.success, String(locale)).toBe(true)
      expect(parsed.output).not.toHaveProperty('locale', locale)
      expect(parsed.success && parsed.output.id).toBe(base.id)
    }
  })

  it('keeps valid attribution and drops malformed pieces', () => {
    const parsed = v.parse(LeadSchema, {
      ...base,
      context: { page: 'https://a.example/?utm_source=x', referrer: 'javascript', utm: { source: 'x', medium: 7 }, clickIds: 'nope' },
    })
    expect(parsed.context).toEqual({
      page: 'https://a.example/?utm_source=x',
      referrer: undefined,
      utm: { source: 'x', medium: undefined, campaign: undefined, term: undefined, content: undefined },
      clickIds: undefined,
      locale: undefined,
      timezone: undefined,
      visits: undefined,
      pagesViewed: undefined,
      firstTouch: undefined,
    })
  })

  it('drops page, landing and referrer URLs that are not http(s), first touch included, keeping the lead', () => {
    const hostile = ['javascript:alert(document.cookie)', 'data:text/html;base64,PHNjcmlwdD4=', 'JAVASCRIPT:alert(1)', 'file:///etc/passwd', 'vbscript:msgbox(1)']
    for (const url of hostile) {
      const parsed = v.parse(LeadSchema, {
        ...base,
        context: { page: url, landing: url, referrer: url, firstTouch: { landing: url, referrer: url } },
      })
      expect(parsed.contact.phone).toBe('+79123456789')
      expect([parsed.context?.page, parsed.context?.landing, parsed.context?.referrer], url).toEqual([undefined, undefined, undefined])
      expect([parsed.context?.firstTouch?.landing, parsed.context?.firstTouch?.referrer], url).toEqual([undefined, undefined])
    }
    const kept = v.parse(LeadSchema, { ...base, context: { page: 'HTTPS://a.example/x', referrer: 'http://b.example/' } })
    expect([kept.context?.page, kept.context?.referrer]).toEqual(['HTTPS://a.example/x', 'http://b.example/'])
  })
})
