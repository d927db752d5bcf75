// Tests for the dictionaries: both languages complete, and how a locale is chosen.
import { afterEach, describe, expect, it } from 'vitest'
import { LAUNCHER, STRINGS, pageLocale, toLocale } from './i18n'

afterEach(() => {
  document.documentElement.lang = ''
})

describe('the dictionaries', () => {
  it('have the same keys in every language and no empty text', () => {
    const keys = Object.keys(STRINGS.en).sort()
    expect(Object.keys(STRINGS.ru).sort()).toEqual(keys)
    for (const strings of Object.values(STRINGS)) {
      for (const value of Object.values(strings)) {
        const text = typeof value === 'function' ? value(27) : value
        expect(text.trim()).not.toBe('')
      }
    }
  })

  it('keep the launcher text in one place for the first load and the app', () => {
    expect(STRINGS.ru.launcher).toBe(LAUNCHER.ru)
    expect(STRINGS.en.launcher).toBe(LAUNCHER.en)
  })
})

describe('choosing a locale', () => {
  it('reads ru, ru-RU and EN, and nothing it has no strings for', () => {
    expect(toLocale('ru-RU')).toBe('ru')
    expect(toLocale('EN')).toBe('en')
    expect(toLocale('de')).toBeUndefined()
    expect(toLocale('constructor')).toBeUndefined()
    expect(toLocale(undefined)).toBeUndefined()
  })

  it('follows the page’s lang attribute', () => {
    document.documentElement.lang = 'en-GB'
    expect(pageLocale()).toBe('en')
    document.documentElement.lang = ''
    expect(pageLocale()).toBeUndefined()
  })
})

describe('numbers in the promise', () => {
  it('agrees the Russian and English word for seconds with the number', () => {
    expect(STRINGS.ru.callWithin(30)).toBe('Перезвоним в течение 30 секунд.')
    expect(STRINGS.ru.callWithin(21)).toBe('Перезвоним в течение 21 секунды.')
    expect(STRINGS.ru.callWithin(11)).toBe('Перезвоним в течение 11 секунд.')
    expect(STRINGS.ru.callWithin(45)).toBe('Перезвоним в течение 45 секунд.')
    expect(STRINGS.en.callWithin(1)).toBe('We will call you back within 1 second.')
    expect(STRINGS.en.callWithin(30)).toBe('We will call you back within 30 seconds.')
  })
})
