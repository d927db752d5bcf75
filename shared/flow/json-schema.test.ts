// Keeps the committed JSON Schema (what editors read through `$schema`) in step with the valibot one.
import { describe, expect, it } from 'vitest'
import committed from './flow.schema.json'
import { flowJsonSchema } from './json-schema'

describe('flow.schema.json', () => {
  it('is what the valibot schema generates (run "npm run flow -- schema" after changing it)', () => {
    expect(committed).toEqual(JSON.parse(JSON.stringify(flowJsonSchema())))
  })

  it('describes every node type, so editors complete them', () => {
    const nodes = flowJsonSchema().properties?.nodes
    const variants =
      typeof nodes === 'object' && nodes.items && !Array.isArray(nodes.items) && typeof nodes.items === 'object' ? (nodes.items.oneOf ?? nodes.items.anyOf) : undefined
    const types = (variants ?? []).map((variant) => (typeof variant === 'object' ? (variant.properties?.type as { const?: string } | undefined)?.const : undefined))
    expect(types).toEqual(['message', 'ask', 'contact', 'branch', 'score', 'set', 'faq', 'handoff', 'end'])
  })
})
