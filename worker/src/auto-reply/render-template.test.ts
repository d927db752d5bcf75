// Template rendering: placeholders, HTML escaping of values and template text, locale choice.
import { describe, expect, it } from 'vitest'
import { formatCallbackAt, pickLocale, renderHtml, renderText, templateValues } from './render-template'
import type { LeadPayload } from '../model/lead'

const lead = {
  id: 'l1',
  site: 's',
  source: 'callback',
  contact: { name: 'Анна' },
  createdAt: '2026-11-23T11:31:13.000Z',
  duplicate: false,
  score: 50,
  temperature: 'warm',
  reasons: [],
  callbackAt: '2026-11-24T10:00:00+03:00',
  context: { locale: 'en-GB', timezone: 'Europe/Moscow' },
} satisfies LeadPayload

const values = {
  name: '<script>alert("x")</script> & Co',
  callbackAt: '10:00',
  company: 'Кухни "Уют"',
}

describe('renderText', () => {
  it('fills {name}, {callbackAt} and {company} and leaves unknown placeholders visible', () => {
    expect(
      renderText('Hi {name}, {company} calls at {callbackAt}. {unknown}', {
        name: 'Ann',
        callbackAt: '10:00',
        company: 'Acme',
      }),
    ).toBe('Hi Ann, Acme calls at 10:00. {unknown}')
  })
})

describe('renderText with an empty value', () => {
  const noName = { name: '', callbackAt: 'в ближайшее время', company: 'Демо' }

  it('drops the name clause cleanly in Russian and English, wherever the name stands', () => {
    const cases = [
      ['Здравствуйте, {name}!\n\n{company} ответит вам.', 'Здравствуйте!\n\nДемо ответит вам.'],
      ['{name}, мы получили заявку', 'Мы получили заявку'],
      ['Спасибо, {name}, за заявку!', 'Спасибо за заявку!'],
      ['Здравствуйте {name}.', 'Здравствуйте.'],
      ['Hi {name},\nthanks for your request.', 'Hi,\nthanks for your request.'],
      ['Hi {name}', 'Hi'],
      ['Hello! {name}, your request is in.', 'Hello! Your request is in.'],
      ['Thank you, {name}, for your request.', 'Thank you for your request.'],
    ] as const
    for (const [template, text] of cases) expect(renderText(template, noName), template).toBe(text)
  })

  it('keeps the clause when the value is there, and unknown placeholders either way', () => {
    expect(renderText('Здравствуйте, {name}! {unknown}', { ...noName, name: 'Анна' })).toBe('Здравствуйте, Анна! {unknown}')
    expect(renderText('{unknown}, {name}!', noName)).toBe('{unknown}!')
  })
})

describe('renderHtml', () => {
  it("escapes every value, so a visitor's name can never inject markup", () => {
    const html = renderHtml('Здравствуйте, {name}! {company}', values)
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co')
    expect(html).toContain('Кухни &quot;Уют&quot;')
    expect(html).not.toContain('<script>')
  })

  it('treats the template as text too and turns blank lines into paragraphs and newlines into <br>', () => {
    expect(renderHtml('a < b\nc\n\nd', values)).toBe('<!doctype html><html><body><p>a &lt; b<br>c</p><p>d</p></body></html>')
  })
})

describe('locale and values', () => {
  it("answers in the visitor's browser language when a template exists for it, else the default", () => {
    expect(pickLocale(lead, { ru: 1, en: 1 }, 'ru')).toBe('en')
    expect(pickLocale(lead, { ru: 1 }, 'en')).toBe('ru')
    expect(pickLocale({ ...lead, context: {} }, { ru: 1, en: 1 }, 'ru')).toBe('ru')
  })

  it('prefers the language the visitor saw the widget in over the browser’s', () => {
    // The browser says English (the lead's context), the widget was shown in Russian.
    expect(pickLocale({ ...lead, locale: 'ru' }, { ru: 1, en: 1 }, 'en')).toBe('ru')
    expect(pickLocale({ ...lead, locale: 'ru' }, { en: 1 }, 'en')).toBe('en')
  })

  it('formats the callback time in the visitor\'s time zone, and says "shortly" without one', () => {
    expect(formatCallbackAt(lead, 'en')).toMatch(/Nov 24, 2026.*10:00/)
    expect(formatCallbackAt({ ...lead, callbackAt: undefined }, 'ru')).toBe('в ближайшее время')
    expect(templateValues({ ...lead, contact: {} }, 'Acme', 'en')).toMatchObject({
      name: '',
      company: 'Acme',
    })
  })
})
