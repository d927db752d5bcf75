// The editor's rules: a problem's place in the text (a missing key falls back to its node), problems
// grouped by node in the draft's order, server issue paths read back, the replacing merge patch, and
// the steps of a draft that is not yet a valid flow.
import { describe, expect, it } from 'vitest'
import { groupProblems, readDraft, replacingPatch, serverIssueTarget, targetRange } from './flow-draft'
import { describeWhen, stepsOf } from './flow-steps'

const TEXT = `{
  "id": "f",
  "start": "a",
  "nodes": [
    { "id": "a", "type": "message", "text": "Hi" },
    { "id": "b", "type": "end", "text": "Bye" }
  ]
}`

describe('the flow draft', () => {
  it('places a problem at its path, at the nearest enclosing value when the key is missing, else at its node', () => {
    const draft = readDraft(TEXT)
    if (draft.kind !== 'invalid') throw new Error(`expected problems, got ${draft.kind}`)
    const slice = (target: Parameters<typeof targetRange>[0]) => {
      const range = targetRange(target, draft.value, draft.ranges)
      return range && TEXT.slice(range.start, range.end)
    }
    expect(slice({ path: 'start' })).toBe('"a"')
    // Node a has no next: the schema names nodes.0.next, which is not in the text.
    expect(draft.problems).toContainEqual(expect.objectContaining({ code: 'schema', node: 'a', path: 'nodes.0.next' }))
    expect(slice({ node: 'a', path: 'nodes.0.next' })).toBe('{ "id": "a", "type": "message", "text": "Hi" }')
    expect(slice({ node: 'b' })).toBe('{ "id": "b", "type": "end", "text": "Bye" }')
    expect(slice({ node: 'zzz' })).toBeNull()
  })

  it('groups problems by node in the draft’s order, the whole flow’s first', () => {
    const value = { nodes: [{ id: 'x' }, { id: 'y' }] }
    const groups = groupProblems(
      [
        { code: 'unreachable', node: 'y', message: 'y1' },
        { code: 'unknown_node', node: 'x', message: 'x1' },
        { code: 'unknown_node', path: 'start', message: 'start' },
        { code: 'unknown_var', node: 'y', message: 'y2' },
      ],
      value,
    )
    expect(groups.map((g) => [g.node, g.problems.map((p) => p.message)])).toEqual([
      [null, ['start']],
      ['x', ['x1']],
      ['y', ['y1', 'y2']],
    ])
  })

  it('reads the server’s issue paths back into the draft', () => {
    expect(serverIssueTarget('chat.flow.nodes[ask-1]')).toEqual({ node: 'ask-1' })
    expect(serverIssueTarget('chat.flow.nodes.3.next')).toEqual({ path: 'nodes.3.next' })
    expect(serverIssueTarget('targets.0.url')).toBeNull()
  })

  it('makes a merge patch that replaces, nulling what the draft dropped at every object level', () => {
    const before = { id: 'a', faq: [{ id: 'q' }], synonyms: { price: ['cost'], when: ['date'] }, nodes: [1, 2] }
    const after = { id: 'b', synonyms: { price: ['cost', 'fee'] }, nodes: [3] }
    expect(replacingPatch(before, after)).toEqual({ id: 'b', faq: null, synonyms: { when: null, price: ['cost', 'fee'] }, nodes: [3] })
  })
})

describe('the steps view', () => {
  it('shows a broken draft’s nodes, where each button and case leads, and the missing ones', () => {
    const steps = stepsOf(
      {
        nodes: [
          {
            id: 'q',
            type: 'ask',
            input: 'buttons',
            text: { ru: 'Да?', en: 'Yes?' },
            options: [
              { value: 'y', label: { en: 'Yes' }, next: 'r' },
              { value: 'n', label: 'No' },
            ],
            next: 'gone',
          },
          {
            id: 'r',
            type: 'branch',
            cases: [
              {
                when: {
                  all: [
                    { answer: 'q', equals: 'y' },
                    { score: true, min: 40 },
                  ],
                },
                next: 'q',
              },
            ],
            else: 'q',
          },
          'not a node',
          { id: 's', type: 'score', points: 15, reason: { ru: 'быстро' }, next: 'q' },
        ],
      },
      'en',
    )
    expect(steps.map((s) => [s.id, s.type, s.text, s.detail])).toEqual([
      ['q', 'ask', 'Yes?', 'buttons'],
      ['r', 'branch', '', ''],
      ['s', 'score', 'быстро', '+15'],
    ])
    expect(steps[0]!.links).toEqual([
      { kind: 'option', label: 'Yes', to: 'r', missing: false },
      { kind: 'option', label: 'No', to: 'gone', missing: true },
    ])
    expect(steps[1]!.links.map((l) => `${l.kind} ${l.label} → ${l.to}`)).toEqual(['case q = "y" & score ≥ 40 → q', 'else  → q'])
  })

  it('words every kind of branch condition', () => {
    expect(describeWhen({ answer: 'budget', in: ['5_10m', '10m_plus'] })).toBe('budget ∈ "5_10m", "10m_plus"')
    expect(describeWhen({ var: 'route', regex: '^sen' })).toBe('var.route ~ /^sen/')
    expect(
      describeWhen({
        any: [
          { answer: 'n', max: 3 },
          { answer: 'n', min: 1, max: 2 },
        ],
      }),
    ).toBe('n ≤ 3 | n ≥ 1, ≤ 2')
  })
})
