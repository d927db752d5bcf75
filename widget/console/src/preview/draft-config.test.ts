// The preview's config: the stored config with the whole form merged in, checked by the API's
// schema and shaped by the public-config route's function; secrets and targets never reach it.
import { describe, expect, it } from 'vitest'
import * as v from 'valibot'
import { SiteConfigSchema, toPublicConfig } from '../../../../shared/schemas/site-config'
import { formFromConfig } from '../settings/settings-form'
import { draftOf, previewConfig } from './draft-config'

const STORED = {
  origins: ['https://shop.example'],
  locale: 'ru',
  country: 'RU',
  consent: { required: true, text: 'Согласен на звонок.' },
  brand: { accent: '#0b57d0', launcher: { text: 'Позвоните мне' } },
  chat: { flow: { start: 'hello', nodes: { hello: { type: 'message', text: 'Привет', end: true } } } },
  captcha: { provider: 'turnstile', siteKey: '0x4AAAAAAA', secret: '•••0AA' },
  targets: [{ type: 'webhook', url: 'https://crm.example/hook', secret: '•••abcd' }],
}

describe('the preview’s config', () => {
  it('is what the public-config route would answer for the draft, with the form’s unsaved text', () => {
    const form = { ...formFromConfig(STORED), 'brand.launcher.text': 'Жду звонка' }
    const preview = previewConfig('shop', draftOf(STORED, form))
    expect(preview.ok).toBe(true)
    if (!preview.ok) return
    const { captcha: _captcha, ...stored } = STORED
    const saved = v.parse(SiteConfigSchema, { ...stored, brand: { ...STORED.brand, launcher: { text: 'Жду звонка' } }, targets: [] })
    expect(preview.publicConfig).toEqual(toPublicConfig('shop', saved))
    expect(preview.publicConfig.brand?.launcherText).toBe('Жду звонка')
    // What the form does not show comes from the stored config.
    expect(preview.publicConfig.chat).toEqual({ flow: STORED.chat.flow })
    expect(preview.publicConfig.locale).toBe('ru')
  })

  it('never carries targets, the captcha or a redacted secret', () => {
    const preview = previewConfig('shop', draftOf(STORED, formFromConfig(STORED)))
    expect(preview.ok).toBe(true)
    if (!preview.ok) return
    expect(preview.config.targets).toEqual([])
    expect(preview.publicConfig.captcha).toBeNull()
    expect(JSON.stringify(preview.publicConfig)).not.toContain('•')
  })

  it('a cleared section leaves the draft, as the merge patch of the save would remove it', () => {
    const form = { ...formFromConfig(STORED), 'consent.required': false, 'consent.text': '' }
    const preview = previewConfig('shop', draftOf(STORED, form))
    expect(preview.ok && preview.publicConfig.consent).toBeNull()
  })

  it('names the fields of a draft the API would refuse', () => {
    const form = { ...formFromConfig(STORED), 'brand.accent': 'blue' }
    expect(previewConfig('shop', draftOf(STORED, form))).toEqual({ ok: false, paths: ['brand.accent'] })
  })
})
