// Test helpers for flows: loading the demo flows and fixtures, and walking a flow with answers.
import { startFlow, stepFlow } from './engine'
import type { EngineOptions, FlowEvent, FlowState } from './engine'
import type { Flow } from './schema'
import { checkFlow } from './validate'
import englishSchool from '../../demo/flows/english-school.json'
import realty from '../../demo/flows/realty.json'
import travel from '../../demo/flows/travel.json'

/** The documents as they are on disk; JSON imports keep this file free of Node APIs. */
export const DEMO_JSON: Record<'realty' | 'english-school' | 'travel', unknown> = {
  realty,
  'english-school': englishSchool,
  travel,
}
export const DEMO_FLOWS = ['realty', 'english-school', 'travel'] as const

/** A demo flow from demo/flows/, validated: a broken demo fails the test that loads it. */
export function demoFlow(name: (typeof DEMO_FLOWS)[number]): Flow {
  const result = checkFlow(DEMO_JSON[name])
  if (!result.ok) throw new Error(result.problems.map((p) => p.message).join('\n'))
  return result.flow
}

export type WalkInput = string | number | readonly string[] | FlowEvent

/** Plain values are answers; objects are events (contact, handoff). Stops at the first refusal. */
export function walk(flow: Flow, inputs: readonly WalkInput[], options: EngineOptions = { locale: 'en' }): FlowState {
  let state = startFlow(flow, options)
  for (const input of inputs) {
    const event: FlowEvent = typeof input === 'object' && 'type' in input ? input : { type: 'answer', value: typeof input === 'object' ? [...input] : input }
    state = stepFlow(flow, state, event, options)
    if (state.error) throw new Error(`node "${state.at}" refused ${JSON.stringify(input)}: ${state.error}`)
  }
  return state
}

export const PHONE: FlowEvent = { type: 'contact', phone: '+7 912 345-67-89', name: 'Anna' }
