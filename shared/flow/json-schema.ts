// The JSON Schema of the flow format, generated from the valibot schema, for editors (`$schema`).
import { toJsonSchema } from '@valibot/to-json-schema'
import type { JsonSchema } from '@valibot/to-json-schema'
import { FlowSchema } from './schema'

/**
 * JSON Schema (draft-07) of a flow document. Checks written as code (`v.check`: one subject per
 * condition, valid regexes, options for buttons) cannot be expressed in it and are left out; the
 * CLI's `check` runs them.
 */
export function flowJsonSchema(): JsonSchema {
  const schema = toJsonSchema(FlowSchema, { errorMode: 'ignore' })
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    ...schema,
    $id: 'https://github.com/leadcatcher/leadcatcher/shared/flow/flow.schema.json',
    title: 'Leadcatcher chatbot flow',
  }
}
