// Property tests: whatever a visitor (or a forged lead) sends, the engine neither throws nor traps.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { fuzzSeed } from '../testing/fuzz-seed'
import { findNode, startFlow, stepFlow } from './engine'
import type { FlowEvent } from './engine'
import { replayFlow } from './replay'
import type { Flow } from './schema'
import { DEMO_FLOWS, demoFlow } from './testing'

/** Every option value of the flow, so random answers often hit real buttons and go deep. */
function optionValues(flow: Flow): string[] {
  const values = flow.nodes.flatMap((n) => (n.type === 'ask' ? (n.options ?? []).map((o) => o.value) : []))
  // fast-check needs at least one constant; a flow of free-text questions has no buttons.
  return values.length ? values : ['yes']
}

function eventArbitrary(flow: Flow): fc.Arbitrary<FlowEvent> {
  const values = optionValues(flow)
  const answer = fc.oneof(
    fc.constantFrom(...values),
    fc.string({ maxLength: 30 }),
    fc.integer({ min: -10, max: 1_000_000 }),
    fc.double(),
    fc.boolean(),
    fc.array(fc.oneof(fc.constantFrom(...values), fc.string({ maxLength: 5 })), { maxLength: 4 }),
  )
  return fc.oneof(
    { weight: 12, arbitrary: answer.map((value): FlowEvent => ({ type: 'answer', value })) },
    {
      weight: 3,
      arbitrary: fc
        .record(
          {
            phone: fc.oneof(fc.constant('+7 912 345-67-89'), fc.string({ maxLength: 20 })),
            email: fc.oneof(fc.constant('a@example.com'), fc.string({ maxLength: 20 })),
            name: fc.string({ maxLength: 10 }),
          },
          { requiredKeys: [] },
        )
        .map((contact): FlowEvent => ({ type: 'contact', ...contact })),
    },
    { weight: 1, arbitrary: fc.constant<FlowEvent>({ type: 'handoff' }) },
  )
}

const INPUT_NODES = new Set(['ask', 'contact', 'faq'])

// The run's seed (vitest.config.ts prints it): a failure replays with FUZZ_SEED=<n>.
fc.configureGlobal({ seed: fuzzSeed() })

describe.each(DEMO_FLOWS)('the %s flow under random input', (name) => {
  const flow = demoFlow(name)
  const runs = 300

  it('never throws and always ends, hands off, or waits at a question', () => {
    fc.assert(
      fc.property(fc.array(eventArbitrary(flow), { maxLength: 40 }), fc.constantFrom('ru', 'en') as fc.Arbitrary<'ru' | 'en'>, (events, locale) => {
        let state = startFlow(flow, { locale })
        for (const event of events) {
          state = stepFlow(flow, state, event, { locale })
          expect(['waiting', 'ended', 'handoff']).toContain(state.status)
          if (state.status === 'waiting') expect(INPUT_NODES.has(findNode(flow, state.at)?.type ?? '')).toBe(true)
          // Every message is text the UI can show; nothing is undefined or empty.
          expect(state.messages.every((m) => typeof m.text === 'string' && m.text.length > 0)).toBe(true)
        }
        // "Call me instead" is one event away from any point of a conversation still running.
        if (state.status === 'waiting') expect(stepFlow(flow, state, { type: 'handoff' }).status).toBe('handoff')
      }),
      { numRuns: runs },
    )
  })

  it('replays any forged answers without throwing, and the score is the sum of its reasons', () => {
    const values = optionValues(flow)
    const answerValue = fc.oneof(fc.constantFrom(...values), fc.string({ maxLength: 20 }), fc.integer(), fc.boolean(), fc.array(fc.constantFrom(...values), { maxLength: 3 }))
    const keys = [...new Set(flow.nodes.map((n) => ('key' in n && n.key) || n.id)), '__proto__', 'constructor']
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom(...keys), answerValue), (answers) => {
        const replay = replayFlow(flow, answers)
        expect(['ended', 'handoff', 'incomplete', 'invalid']).toContain(replay.status)
        expect(replay.score).toBe(replay.reasons.reduce((sum, r) => sum + r.points, 0))
      }),
      { numRuns: runs },
    )
  })
})
