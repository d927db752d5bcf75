import { describe, expect, it } from 'vitest'
import { detectSpam, gibberishReason, linkInName } from './spam-rules'

const codes = (input: Parameters<typeof detectSpam>[0], options?: Parameters<typeof detectSpam>[1]) => detectSpam(input, options).map((f) => f.code)

describe('detectSpam', () => {
  it('passes an ordinary human submission', () => {
    expect(codes({ hp: '', elapsedMs: 8000, name: 'Анна Петрова', email: 'anna@mail.ru', phoneType: 'MOBILE' })).toEqual([])
  })

  it('catches a filled honeypot', () => {
    expect(codes({ hp: 'http://spam.example' })).toEqual(['honeypot'])
  })

  it('catches submissions faster than the site minimum, and leaves out ones without timing', () => {
    expect(codes({ elapsedMs: 300 })).toEqual(['too_fast'])
    expect(codes({ elapsedMs: 1500 }, { minFillMs: 1000 })).toEqual([])
    expect(codes({})).toEqual([])
  })

  it('catches disposable email domains and their sub-domains', () => {
    expect(codes({ email: 'x@mailinator.com' })).toEqual(['disposable_email'])
    expect(codes({ email: 'x@eu.mailinator.com' })).toEqual(['disposable_email'])
    expect(codes({ email: 'x@yandex.ru' })).toEqual([])
  })

  it('flags a refused or missing captcha token of either provider, and never a check that could not run', () => {
    for (const provider of ['turnstile', 'smartcaptcha'] as const) {
      expect(codes({ captcha: { provider, verdict: 'failed' } })).toEqual(['turnstile_failed'])
      expect(codes({ captcha: { provider, verdict: 'missing' } })).toEqual(['turnstile_failed'])
      expect(codes({ captcha: { provider, verdict: 'passed' } })).toEqual([])
      expect(codes({ captcha: { provider, verdict: 'unavailable' } })).toEqual([])
    }
    expect(detectSpam({ captcha: { provider: 'smartcaptcha', verdict: 'missing' } })[0]?.detail).toBe('no SmartCaptcha token was sent')
    expect(detectSpam({ captcha: { provider: 'turnstile', verdict: 'failed' } })[0]?.detail).toBe('the Turnstile token was refused')
  })

  it('catches premium-rate and shared-cost numbers', () => {
    expect(codes({ phoneType: 'PREMIUM_RATE' })).toEqual(['premium_number'])
    expect(codes({ phoneType: 'SHARED_COST' })).toEqual(['premium_number'])
    expect(codes({ phoneType: 'FIXED_LINE_OR_MOBILE' })).toEqual([])
  })

  it('catches links in names', () => {
    expect(codes({ name: 'Cheap loans https://x.example' })).toEqual(['link_in_name'])
    expect(codes({ name: 'visit casino.xyz now' })).toEqual(['link_in_name'])
    expect(codes({ name: 'www.spam' })).toEqual(['link_in_name'])
  })

  it.each([
    'Visit evil.click now',
    'evil.CLICK',
    'bit.ly/x',
    'Анна t.me/promo',
    'пример.рф',
    'xn--e1afmkfd.xn--p1ai',
    'casino.bet',
    'go.shop.online',
    'win。click',
    'tg://resolve?domain=x',
    '<a href=x>Анна</a>',
  ])('finds the link in the name %s, whatever its top-level domain', (name) => {
    expect(linkInName(name)).not.toBeNull()
    expect(codes({ name })).toEqual(['link_in_name'])
  })

  it.each(['Анна', 'А.С. Пушкин', 'J.R.R. Tolkien', 'Dr. Smith', 'Иванов И.И.', 'Mr.Brown', 'Ivan.Ivanov', 'Анна-Мария', 'St. John', 'Иван 2'])(
    'leaves the name %s alone: initials and dotted words are not links',
    (name) => {
      expect(linkInName(name)).toBeNull()
    },
  )
})

describe('gibberishReason', () => {
  it.each(['Анна', 'Иван Петров', 'Мкртчян', 'Mkrtchyan', 'Ng', 'Xu Li', "O'Brien", 'Jean-Luc', 'Гвишиани', 'Ёжик', 'Анна-Мария', 'Dr. Smith', 'Иван 2'])(
    'lets the real name %s through',
    (name) => {
      expect(gibberishReason(name)).toBeNull()
    },
  )

  it.each([
    ['qwerty', 'keyboard'],
    ['фывапр', 'keyboard'],
    ['asdfgh jkl', 'keyboard'],
    ['xkcdqzt', 'no vowels'],
    ['Иvан', 'mixes'],
    ['aaaaaa', 'repeats'],
    ['123456', 'digits'],
  ])('flags %s', (name, why) => {
    expect(gibberishReason(name)).toContain(why)
  })
})
