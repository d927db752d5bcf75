// Flow regexes: the catastrophic shapes are refused by the checker and never run by the engine,
// the safe ones pass, and regex conditions see a capped answer.
import { describe, expect, it } from 'vitest'
import { testWhen } from './engine'
import type { FlowState } from './engine'
import { MAX_MATCHED_LENGTH, unsafeRegexReason } from './regex-safety'
import { checkFlow } from './validate'

/** Patterns that backtrack exponentially on a near-miss like "aaaa…!" in V8. */
const CATASTROPHIC = [
  '^(a+)+$',
  '(a*)*b',
  '^(\\w+\\s?)*$',
  '(a{2,})+x',
  '((ab)*c)+d',
  '^(a|a)+$',
  '^(a|ab)*$',
  '(x+x+)+y',
  '^([a-z]+)*@',
  '(?:a+)+$',
  '(?<word>a+)+$',
  '(a)\\1+',
  '(?<x>a)\\k<x>+',
]

const SAFE = ['^(intermediate|advanced)$', '\\d', '^\\+?\\d{10,15}$', '^[a-z]+(\\.[a-z]+)?$', '(да|yes)', '^(a+)$', '^[(+]+$', '\\(a+\\)+', '^(ab){2}$', '(a+?)?b', '^.*?$']

describe('unsafeRegexReason', () => {
  it.each(CATASTROPHIC)('refuses %s', (source) => {
    expect(unsafeRegexReason(source)).not.toBeNull()
  })

  it.each(SAFE)('accepts %s', (source) => {
    expect(unsafeRegexReason(source)).toBeNull()
  })

  it('names the group that repeats', () => {
    expect(unsafeRegexReason('^(a+)+$')).toBe('the group "(a+)" is repeated and repeats something inside it')
    expect(unsafeRegexReason('^(a|ab)*$')).toBe('the group "(a|ab)" is repeated and has alternatives inside it')
  })

  it('accepts every safe pattern quickly on a long near-miss (a control for the refused ones)', () => {
    const nearMiss = `${'a'.repeat(MAX_MATCHED_LENGTH - 1)}!`
    for (const source of SAFE) {
      const started = performance.now()
      new RegExp(source, 'iu').test(nearMiss)
      expect(performance.now() - started, source).toBeLessThan(50)
    }
    // The shape the probe found really is slow: 24 characters already take well over the budget.
    const started = performance.now()
    expect(/^(a+)+$/iu.test(`${'a'.repeat(24)}!`)).toBe(false)
    expect(performance.now() - started).toBeGreaterThan(50)
  })
})

const flow = (regex: string) => ({
  id: 'small',
  start: 'q',
  nodes: [
    { id: 'q', type: 'ask', text: 'Question?', input: 'text', next: 'b' },
    { id: 'b', type: 'branch', cases: [{ when: { answer: 'q', regex }, next: 'contact' }], else: 'contact' },
    { id: 'contact', type: 'contact', text: 'Phone?', channels: ['phone'], next: 'end' },
    { id: 'end', type: 'end', text: 'Thanks' },
  ],
})

describe('the flow checker and the engine', () => {
  it('refuses a flow with a catastrophic regex, naming the node and the pattern', () => {
    const result = checkFlow(flow('^(a+)+$'))
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(result.problems).toEqual([
      {
        code: 'unsafe_regex',
        node: 'b',
        message:
          'node "b": the regex "^(a+)+$" can take exponential time on some answers (the group "(a+)" is repeated and repeats ' +
          'something inside it); write it without repeating such a group, e.g. ^a+$ instead of ^(a+)+$',
      },
    ])
    expect(checkFlow(flow('^a+$')).ok).toBe(true)
  })

  it('never runs a catastrophic regex, and matches safe ones on the first 200 characters only', () => {
    const state = (answer: string): FlowState => ({
      flow: 'small',
      at: 'b',
      status: 'waiting',
      answers: { q: answer },
      vars: {},
      contact: {},
      score: 0,
      reasons: [],
      messages: [],
      error: null,
      path: [],
    })
    // 26 characters: about half a second if the pattern ran (it doubles with each one more).
    const started = performance.now()
    expect(testWhen({ answer: 'q', regex: '^(a+)+$' }, state(`${'a'.repeat(26)}!`))).toBe(false)
    expect(performance.now() - started).toBeLessThan(50)
    expect(testWhen({ answer: 'q', regex: '^a+$' }, state('a'.repeat(MAX_MATCHED_LENGTH)))).toBe(true)
    expect(testWhen({ answer: 'q', regex: 'x$' }, state(`${'a'.repeat(MAX_MATCHED_LENGTH)}x`))).toBe(false)
  })
})
