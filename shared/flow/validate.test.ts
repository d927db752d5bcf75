// Tests for flow validation: the demo flows pass, and each kind of broken flow is named by node.
import { describe, expect, it } from 'vitest'
import badSchema from './fixtures/bad-schema.json'
import broken from './fixtures/broken.json'
import { DEMO_FLOWS, DEMO_JSON } from './testing'
import { checkFlow } from './validate'
import type { FlowProblem } from './validate'

function problemsOf(input: unknown): FlowProblem[] {
  const result = checkFlow(input)
  return result.ok ? [] : result.problems
}

const codes = (input: unknown) => problemsOf(input).map((p) => [p.code, p.node])

/** A minimal valid flow to break one thing at a time. */
function small(nodes: unknown[], start = 'q') {
  return { id: 'small', start, nodes }
}
const ask = (id: string, next: string, extra: object = {}) => ({
  id,
  type: 'ask',
  text: 'Question?',
  input: 'text',
  next,
  ...extra,
})
const contact = { id: 'contact', type: 'contact', text: 'Phone?', channels: ['phone'], next: 'end' }
const end = { id: 'end', type: 'end', text: 'Thanks' }

describe('checkFlow', () => {
  it.each(DEMO_FLOWS)('accepts the %s demo flow', (name) => {
    expect(problemsOf(DEMO_JSON[name])).toEqual([])
  })

  it('accepts a minimal flow', () => {
    expect(checkFlow(small([ask('q', 'contact'), contact, end])).ok).toBe(true)
  })

  it('finds every graph problem of the broken fixture and names its node', () => {
    expect(codes(broken)).toEqual([
      ['duplicate_id', 'end'],
      ['unknown_node', 'hello'],
      ['end_without_contact', 'quick_end'],
      ['unreachable', 'orphan'],
      ['cycle_without_exit', 'again'],
    ])
    const messages = problemsOf(broken).map((p) => p.message)
    expect(messages).toContain('node "hello": goes to "nowhere", which does not exist')
    expect(messages).toContain('node "again": the loop again → echo has no way out')
  })

  it('reports schema problems with the node id and the JSON path', () => {
    const problems = problemsOf(badSchema)
    expect(problems.map((p) => [p.code, p.node, p.path])).toEqual([
      ['schema', 'size', 'nodes.0'],
      ['schema', 'contact', 'nodes.1.channels.0'],
    ])
    expect(problems[0]?.message).toBe('node "size" (nodes.0): buttons and multi need options; text and number take none')
  })

  it('refuses a start that does not exist', () => {
    expect(codes(small([ask('q', 'contact'), contact, end], 'nope'))).toEqual([['unknown_node', undefined]])
  })

  it('refuses a loop of automatic nodes that never waits for the visitor', () => {
    const flow = small(
      [
        ask('q', 'spin'),
        {
          id: 'spin',
          type: 'branch',
          cases: [{ when: { var: 'done', equals: true }, next: 'contact' }],
          else: 'again',
        },
        { id: 'again', type: 'set', var: 'done', value: false, next: 'spin' },
        contact,
        end,
      ],
      'q',
    )
    expect(codes(flow)).toEqual([['cycle_without_input', 'spin']])
  })

  it('accepts a loop that waits for the visitor and has a way out', () => {
    const flow = small([
      ask('q', 'more'),
      {
        id: 'more',
        type: 'ask',
        text: 'More?',
        input: 'buttons',
        options: [
          { value: 'yes', label: 'Yes', next: 'q' },
          { value: 'no', label: 'No', next: 'contact' },
        ],
        next: 'contact',
      },
      contact,
      end,
    ])
    expect(codes(flow)).toEqual([])
  })

  it('accepts an ending without a contact when it hands off to the callback form', () => {
    const flow = small([ask('q', 'call'), { id: 'call', type: 'handoff' }])
    expect(codes(flow)).toEqual([])
  })

  it('refuses branches on answers nobody asks and variables nobody sets', () => {
    const flow = small([
      ask('q', 'b'),
      {
        id: 'b',
        type: 'branch',
        cases: [
          { when: { answer: 'budget', min: 1 }, next: 'contact' },
          {
            when: {
              all: [
                { var: 'route', equals: 'senior' },
                { answer: 'q', regex: 'x' },
              ],
            },
            next: 'contact',
          },
        ],
        else: 'contact',
      },
      contact,
      end,
    ])
    expect(codes(flow)).toEqual([
      ['unknown_answer', 'b'],
      ['unknown_var', 'b'],
    ])
  })

  it('refuses duplicate button values, conditions with two operators and bad regexes', () => {
    const buttons = {
      id: 'q',
      type: 'ask',
      text: 'Pick',
      input: 'buttons',
      options: [
        { value: 'a', label: 'A' },
        { value: 'a', label: 'A again' },
      ],
      next: 'contact',
    }
    expect(codes(small([buttons, contact, end]))).toEqual([['duplicate_option', 'q']])
    const twoOps = {
      id: 'b',
      type: 'branch',
      cases: [{ when: { answer: 'q', equals: 1, min: 0 }, next: 'contact' }],
      else: 'contact',
    }
    expect(codes(small([ask('q', 'b'), twoOps, contact, end]))[0]).toEqual(['schema', 'b'])
    const badRegex = {
      id: 'b',
      type: 'branch',
      cases: [{ when: { answer: 'q', regex: '(' }, next: 'contact' }],
      else: 'contact',
    }
    expect(problemsOf(small([ask('q', 'b'), badRegex, contact, end]))[0]?.message).toMatch(/valid regular expression/)
  })

  it('refuses a faq node in a flow without faq entries', () => {
    const faq = { id: 'q', type: 'faq', text: 'Ask', fallback: 'We will answer', next: 'contact' }
    expect(codes(small([faq, contact, end]))).toEqual([['no_faq_entries', 'q']])
  })

  it('refuses what is not a flow at all', () => {
    expect(codes(null)).toEqual([['schema', undefined]])
    expect(codes({ id: 'x', start: 'a', nodes: [], extra: 1 }).length).toBeGreaterThan(0)
  })
})
