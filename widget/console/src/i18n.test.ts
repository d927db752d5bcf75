import { describe, expect, it } from 'vitest'
import { STRINGS, pickLanguage } from './i18n'

describe('the console’s language', () => {
  it('is the one chosen before, else the browser’s first of Russian and English, else English', () => {
    expect(pickLanguage(['de-DE', 'ru-RU', 'en'], null)).toBe('ru')
    expect(pickLanguage(['en-GB', 'ru'], null)).toBe('en')
    expect(pickLanguage(['ru'], 'en')).toBe('en')
    expect(pickLanguage(['fr'], 'xx')).toBe('en')
  })

  it('counts in Russian', () => {
    expect([1, 2, 5, 11, 21, 22, 112].map((n) => STRINGS.ru.newLeads(n))).toEqual([
      '1 новая заявка',
      '2 новые заявки',
      '5 новых заявок',
      '11 новых заявок',
      '21 новая заявка',
      '22 новые заявки',
      '112 новых заявок',
    ])
  })
})
