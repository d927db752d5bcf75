// The chatbot flow format: a JSON document of nodes, checked with valibot before anything runs it.
import * as v from 'valibot'

/** Node ids, answer keys and variable names become lead answer keys, so they follow its rules. */
const ID = /^[A-Za-z][A-Za-z0-9_-]{0,47}$/
const IdSchema = v.pipe(v.string(), v.regex(ID, 'ids are a letter then up to 47 letters, digits, "_" or "-"'))

/** A visitor-facing text: one string for every locale, or one per locale (`ru`, `en`). */
export const TextSchema = v.union([
  v.pipe(v.string(), v.minLength(1), v.maxLength(2000)),
  v.pipe(
    v.strictObject({
      ru: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(2000))),
      en: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(2000))),
    }),
    v.check((text) => text.ru !== undefined || text.en !== undefined, 'give at least one of ru, en'),
  ),
])

export const ScalarSchema = v.union([v.pipe(v.string(), v.maxLength(200)), v.pipe(v.number(), v.finite()), v.boolean()])

/**
 * One test on an answer, a variable or the running score. Exactly one subject (`answer`, `var`,
 * `score`) and one operator (`equals`, `in`, `min`/`max` for a range, `regex`).
 */
export const ConditionSchema = v.pipe(
  v.strictObject({
    answer: v.optional(IdSchema),
    var: v.optional(IdSchema),
    score: v.optional(v.literal(true)),
    equals: v.optional(ScalarSchema),
    in: v.optional(v.pipe(v.array(ScalarSchema), v.minLength(1), v.maxLength(50))),
    min: v.optional(v.pipe(v.number(), v.finite())),
    max: v.optional(v.pipe(v.number(), v.finite())),
    regex: v.optional(
      v.pipe(
        v.string(),
        v.maxLength(200),
        v.check((source) => {
          try {
            new RegExp(source, 'iu')
            return true
          } catch {
            return false
          }
        }, 'must be a valid regular expression'),
      ),
    ),
  }),
  v.check((c) => [c.answer, c.var, c.score].filter((s) => s !== undefined).length === 1, 'a condition tests exactly one of answer, var, score'),
  v.check((c) => {
    const range = c.min !== undefined || c.max !== undefined
    return [c.equals !== undefined, c.in !== undefined, range, c.regex !== undefined].filter(Boolean).length === 1
  }, 'a condition has exactly one of equals, in, min/max, regex'),
)

/** A branch case matches one condition, all of several, or any of several (no deeper nesting). */
export const WhenSchema = v.union([
  ConditionSchema,
  v.strictObject({ all: v.pipe(v.array(ConditionSchema), v.minLength(1), v.maxLength(20)) }),
  v.strictObject({ any: v.pipe(v.array(ConditionSchema), v.minLength(1), v.maxLength(20)) }),
])

const base = { id: IdSchema }
const next = IdSchema

export const MessageNodeSchema = v.strictObject({
  ...base,
  type: v.literal('message'),
  text: TextSchema,
  next,
})

export const OptionSchema = v.strictObject({
  value: v.pipe(v.string(), v.regex(/^[A-Za-z0-9_.-]{1,64}$/, 'option values are 1–64 letters, digits, "_", "-" or "."')),
  label: TextSchema,
  /** Where this button leads; the node's `next` otherwise. Only for single-choice buttons. */
  next: v.optional(IdSchema),
})

export const AskNodeSchema = v.pipe(
  v.strictObject({
    ...base,
    type: v.literal('ask'),
    /** The answer key in the lead; the node id when absent. */
    key: v.optional(IdSchema),
    text: TextSchema,
    input: v.picklist(['buttons', 'multi', 'text', 'number']),
    options: v.optional(v.pipe(v.array(OptionSchema), v.minLength(1), v.maxLength(20))),
    /** For `number`: the accepted range. For `text`: the length range. */
    min: v.optional(v.pipe(v.number(), v.finite())),
    max: v.optional(v.pipe(v.number(), v.finite())),
    placeholder: v.optional(TextSchema),
    next,
  }),
  v.check((node) => (node.input === 'buttons' || node.input === 'multi') === (node.options !== undefined), 'buttons and multi need options; text and number take none'),
  v.check((node) => node.input === 'buttons' || !node.options?.some((o) => o.next), 'only buttons options may have their own next'),
)

export const ContactNodeSchema = v.strictObject({
  ...base,
  type: v.literal('contact'),
  text: TextSchema,
  /** What the visitor may leave; at least one of them is required. */
  channels: v.pipe(v.array(v.picklist(['phone', 'email'])), v.minLength(1), v.maxLength(2)),
  /** Also ask for a name (optional for the visitor). */
  name: v.optional(v.boolean()),
  next,
})

export const BranchNodeSchema = v.strictObject({
  ...base,
  type: v.literal('branch'),
  cases: v.pipe(v.array(v.strictObject({ when: WhenSchema, next: IdSchema })), v.minLength(1), v.maxLength(50)),
  else: IdSchema,
})

export const ScoreNodeSchema = v.strictObject({
  ...base,
  type: v.literal('score'),
  points: v.pipe(v.number(), v.integer(), v.minValue(-100), v.maxValue(100)),
  /**
   * Why, for the manager reading the lead (the reasons list of the score): one string, or one per
   * language, so a Russian card and an English one each read theirs.
   */
  reason: v.union([
    v.pipe(v.string(), v.minLength(1), v.maxLength(200)),
    v.pipe(
      v.strictObject({
        ru: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(200))),
        en: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(200))),
      }),
      v.check((text) => text.ru !== undefined || text.en !== undefined, 'give at least one of ru, en'),
    ),
  ]),
  next,
})

export const SetNodeSchema = v.strictObject({
  ...base,
  type: v.literal('set'),
  var: IdSchema,
  value: ScalarSchema,
  next,
})

export const FaqNodeSchema = v.strictObject({
  ...base,
  type: v.literal('faq'),
  /** Invites a question; the visitor types it. */
  text: TextSchema,
  /** Said when no FAQ entry matches the question. */
  fallback: TextSchema,
  /** The answer key the question is kept under; the node id when absent. */
  key: v.optional(IdSchema),
  next,
})

export const HandoffNodeSchema = v.strictObject({
  ...base,
  type: v.literal('handoff'),
  text: v.optional(TextSchema),
})

export const EndNodeSchema = v.strictObject({ ...base, type: v.literal('end'), text: TextSchema })

export const NodeSchema = v.variant('type', [
  MessageNodeSchema,
  AskNodeSchema,
  ContactNodeSchema,
  BranchNodeSchema,
  ScoreNodeSchema,
  SetNodeSchema,
  FaqNodeSchema,
  HandoffNodeSchema,
  EndNodeSchema,
])

export const FaqEntrySchema = v.strictObject({
  id: IdSchema,
  question: TextSchema,
  answer: TextSchema,
  /** Words that point at this entry; a word matches any visitor word that starts with it. */
  keywords: v.pipe(v.array(v.pipe(v.string(), v.minLength(2), v.maxLength(60))), v.minLength(1), v.maxLength(50)),
})

export const FlowSchema = v.strictObject({
  /** Editors use it to find the JSON Schema; ignored otherwise. */
  $schema: v.optional(v.string()),
  id: IdSchema,
  title: v.optional(v.pipe(v.string(), v.maxLength(200))),
  start: IdSchema,
  nodes: v.pipe(v.array(NodeSchema), v.minLength(1), v.maxLength(200)),
  faq: v.optional(v.pipe(v.array(FaqEntrySchema), v.maxLength(200))),
  /** Each key word also matches its synonyms: `{ "price": ["cost", "стоимость"] }`. */
  synonyms: v.optional(v.record(v.string(), v.pipe(v.array(v.string()), v.maxLength(50)))),
})

export type Text = v.InferOutput<typeof TextSchema>
export type Scalar = v.InferOutput<typeof ScalarSchema>
export type Condition = v.InferOutput<typeof ConditionSchema>
export type When = v.InferOutput<typeof WhenSchema>
export type FlowNode = v.InferOutput<typeof NodeSchema>
export type AskNode = v.InferOutput<typeof AskNodeSchema>
export type ContactNode = v.InferOutput<typeof ContactNodeSchema>
export type FaqEntry = v.InferOutput<typeof FaqEntrySchema>
export type Flow = v.InferOutput<typeof FlowSchema>
export type NodeType = FlowNode['type']
