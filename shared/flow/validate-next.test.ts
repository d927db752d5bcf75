// One mistyped `next` is one problem: the checker guesses the node meant and does not report
// everything behind the broken reference as unreachable.
import { describe, expect, it } from 'vitest'
import { DEMO_JSON } from './testing'
import { checkFlow } from './validate'
import type { FlowProblem } from './validate'

function problemsOf(input: unknown): FlowProblem[] {
  const result = checkFlow(input)
  return result.ok ? [] : result.problems
}

/** The real-estate demo flow with its first node's `next` replaced. */
function realtyWithFirstNext(next: string) {
  const flow = structuredClone(DEMO_JSON.realty) as { nodes: { id: string; next?: string }[] }
  flow.nodes[0]!.next = next
  return flow
}

describe('a mistyped next', () => {
  it('is one problem that names the node it probably meant', () => {
    for (const typo of ['intentx', 'itnent', 'Intent', 'inten']) {
      const problems = problemsOf(realtyWithFirstNext(typo))
      expect(problems, typo).toEqual([
        {
          code: 'unknown_node',
          node: 'hello',
          message: `node "hello": goes to "${typo}", which does not exist (did you mean "intent"?)`,
        },
      ])
    }
  })

  it('without a likely guess, names only the first node cut off, not the 20 behind it', () => {
    const problems = problemsOf(realtyWithFirstNext('zzzzzz'))
    expect(problems.map((p) => [p.code, p.node])).toEqual([
      ['unknown_node', 'hello'],
      ['unreachable', 'intent'],
    ])
  })

  it('offers no guess when two nodes are equally close', () => {
    const flow = {
      id: 'tie',
      start: 'q',
      nodes: [
        { id: 'q', type: 'ask', text: 'Q?', input: 'text', next: 'ab' },
        { id: 'aa', type: 'contact', text: 'Phone?', channels: ['phone'], next: 'end' },
        { id: 'bb', type: 'contact', text: 'Phone?', channels: ['phone'], next: 'end' },
        { id: 'end', type: 'end', text: 'Thanks' },
      ],
    }
    const unknown = problemsOf(flow).filter((p) => p.code === 'unknown_node')
    expect(unknown).toEqual([{ code: 'unknown_node', node: 'q', message: 'node "q": goes to "ab", which does not exist' }])
  })
})
