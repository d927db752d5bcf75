// Validation problems in plain words, with a code and the path, never valibot's own phrasing.
import * as v from 'valibot'
import { describe, expect, it } from 'vitest'
import { ApiError } from './api-error'
import { parseOrReject } from './valibot-issues'

const Schema = v.strictObject({
  name: v.string(),
  count: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(9)),
  tags: v.pipe(v.array(v.string()), v.maxLength(2)),
  locale: v.picklist(['ru', 'en']),
  target: v.variant('type', [
    v.strictObject({ type: v.literal('webhook'), url: v.pipe(v.string(), v.url()) }),
    v.strictObject({ type: v.literal('telegram'), chatId: v.number() }),
  ]),
})

function issuesOf(value: unknown) {
  try {
    parseOrReject(Schema, value, 'Invalid.')
  } catch (error) {
    if (error instanceof ApiError) return error.issues
    throw error
  }
  throw new Error('parsed')
}

describe('parseOrReject', () => {
  it('names each problem in words, with its code and path', () => {
    const issues = issuesOf({ count: 2.5, tags: ['a', 'b', 'c'], locale: 'de', target: { type: 'telegram', chatId: 1, url: 'x' }, extra: true })
    expect(issues).toEqual([
      { path: 'name', code: 'required', message: 'is required' },
      { path: 'count', code: 'invalid', message: 'must be a whole number' },
      { path: 'tags', code: 'too_long', message: 'must have at most 2 items' },
      { path: 'locale', code: 'unknown_value', message: 'unknown value "de"; use ru, en' },
      { path: 'target.url', code: 'unknown_field', message: 'unknown field "url"; use type, chatId' },
      { path: 'extra', code: 'unknown_field', message: 'unknown field "extra"; use name, count, tags, locale, target' },
    ])
    expect(JSON.stringify(issues)).not.toMatch(/Expected|Received|never/)
  })

  it('says which types are wanted and which variants exist', () => {
    expect(issuesOf({ name: 1, count: 0, tags: 'a', locale: 'ru', target: { type: 'fax' } })).toEqual([
      { path: 'name', code: 'wrong_type', message: 'must be text' },
      { path: 'count', code: 'too_small', message: 'must be at least 1' },
      { path: 'tags', code: 'wrong_type', message: 'must be a list ([…])' },
      { path: 'target.type', code: 'unknown_value', message: 'unknown value "fax"; use webhook, telegram' },
    ])
  })
})
