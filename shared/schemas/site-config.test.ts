// Tests for the captcha part of the site config: the older `turnstile` form, the one-of rule,
// what reads and the public config show of it.
import * as v from 'valibot'
import { describe, expect, it } from 'vitest'
import { SiteConfigSchema, redactCaptcha, siteCaptcha, toPublicConfig } from './site-config'
import type { SiteConfig } from './site-config'

const BASE = { origins: ['https://shop.example'] }
const TURNSTILE = { siteKey: '1x00000000000000000000AA', secret: '1x0000000000000000000000000000000AA' }
const SMARTCAPTCHA = { provider: 'smartcaptcha', siteKey: 'ysc1_0123456789abcdefghij', secret: 'ysc2_0123456789abcdefghijSECRET' } as const

const parse = (config: object) => v.safeParse(SiteConfigSchema, { ...BASE, ...config })

describe('SiteConfigSchema captcha', () => {
  it('reads the older turnstile form as captcha with provider "turnstile"', () => {
    const parsed = parse({ turnstile: TURNSTILE })
    expect(parsed.success).toBe(true)
    expect(parsed.output).toMatchObject({ captcha: { provider: 'turnstile', ...TURNSTILE } })
    expect(parsed.output).not.toHaveProperty('turnstile')
  })

  it('takes captcha for either provider as given', () => {
    expect(parse({ captcha: SMARTCAPTCHA }).output).toMatchObject({ captcha: SMARTCAPTCHA })
    expect(parse({ captcha: { provider: 'turnstile', ...TURNSTILE } }).output).toMatchObject({ captcha: { provider: 'turnstile', ...TURNSTILE } })
    expect(parse({}).output).not.toHaveProperty('captcha')
  })

  it('refuses both forms at once, naming captcha', () => {
    const parsed = parse({ captcha: SMARTCAPTCHA, turnstile: TURNSTILE })
    expect(parsed.success).toBe(false)
    expect(parsed.issues?.map((issue) => [v.getDotPath(issue), issue.message])).toEqual([['captcha', expect.stringContaining('either captcha or the older turnstile, not both')]])
  })

  it('refuses an unknown provider, a missing secret and a SmartCaptcha server key as the site key', () => {
    const pathOf = (config: object) => parse(config).issues?.map((issue) => v.getDotPath(issue))
    expect(pathOf({ captcha: { ...SMARTCAPTCHA, provider: 'hcaptcha' } })).toEqual(['captcha.provider'])
    expect(pathOf({ captcha: { provider: 'turnstile', siteKey: TURNSTILE.siteKey } })).toEqual(['captcha.secret'])
    expect(pathOf({ captcha: { ...SMARTCAPTCHA, siteKey: SMARTCAPTCHA.secret } })).toEqual(['captcha.siteKey'])
    expect(pathOf({ captcha: { ...SMARTCAPTCHA, extra: 1 } })).toEqual(['captcha.extra'])
  })
})

describe('siteCaptcha', () => {
  it('reads a config stored before captcha existed, which still says turnstile', () => {
    const stored = { ...v.parse(SiteConfigSchema, BASE), turnstile: TURNSTILE } as SiteConfig
    expect(siteCaptcha(stored)).toEqual({ provider: 'turnstile', ...TURNSTILE })
    expect(siteCaptcha(v.parse(SiteConfigSchema, { ...BASE, captcha: SMARTCAPTCHA }))).toEqual(SMARTCAPTCHA)
    expect(siteCaptcha(v.parse(SiteConfigSchema, BASE))).toBeNull()
  })
})

describe('redactCaptcha', () => {
  it('shows the secret by its last four characters only, in either stored form, as captcha', () => {
    const current = v.parse(SiteConfigSchema, { ...BASE, captcha: SMARTCAPTCHA })
    expect(redactCaptcha(current).captcha).toEqual({ ...SMARTCAPTCHA, secret: '•••CRET' })
    const legacy = { ...v.parse(SiteConfigSchema, BASE), turnstile: TURNSTILE } as SiteConfig
    const read = redactCaptcha(legacy)
    expect(read.captcha).toEqual({ provider: 'turnstile', siteKey: TURNSTILE.siteKey, secret: '•••00AA' })
    expect(JSON.stringify(read)).not.toContain(TURNSTILE.secret)
    expect(redactCaptcha(v.parse(SiteConfigSchema, BASE))).not.toHaveProperty('captcha')
  })

  it('gives a secret no config accepts as a secret: the admin API puts the stored one back', () => {
    const read = redactCaptcha(v.parse(SiteConfigSchema, { ...BASE, captcha: SMARTCAPTCHA }))
    const parsed = v.safeParse(SiteConfigSchema, read)
    expect(parsed.success).toBe(false)
    expect(parsed.issues?.map((issue) => [v.getDotPath(issue), issue.message])).toEqual([['captcha.secret', expect.stringContaining('redacted value')]])
  })
})

describe('toPublicConfig', () => {
  it('publishes the provider and site key, never the secret; the Turnstile key also where old widgets look', () => {
    const smart = toPublicConfig('shop', v.parse(SiteConfigSchema, { ...BASE, captcha: SMARTCAPTCHA }))
    expect(smart).toMatchObject({ captcha: { provider: 'smartcaptcha', siteKey: SMARTCAPTCHA.siteKey }, turnstileSiteKey: null })
    expect(JSON.stringify(smart)).not.toContain(SMARTCAPTCHA.secret)
    const turnstile = toPublicConfig('shop', v.parse(SiteConfigSchema, { ...BASE, turnstile: TURNSTILE }))
    expect(turnstile).toMatchObject({ captcha: { provider: 'turnstile', siteKey: TURNSTILE.siteKey }, turnstileSiteKey: TURNSTILE.siteKey })
    expect(JSON.stringify(turnstile)).not.toContain(TURNSTILE.secret)
    expect(toPublicConfig('shop', v.parse(SiteConfigSchema, BASE))).toMatchObject({ captcha: null, turnstileSiteKey: null })
  })
})
