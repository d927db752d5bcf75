// Turns valibot issues into the API's `[{ path, code, message }]` in plain words (never the
// validator's "Expected never but received …"), one entry per problem. Shared so the console's
// forms check a draft with the API's own schema and get the API's own paths and words.
import type { BaseIssue, GenericSchema } from 'valibot'
import type { FieldIssue } from './api'

type Issue = BaseIssue<unknown>

/** A received value as the message quotes it: short, so a long value (or a secret) is not echoed whole. */
function quoted(value: unknown): string {
  const text = typeof value === 'string' ? JSON.stringify(value) : String(value)
  return text.length > 42 ? `${text.slice(0, 40)}…"` : text
}

/** `("a" | "b")` → `a, b`, as a list of what is allowed. */
function allowed(expected: string | null): string {
  return (expected ?? '')
    .replace(/^\(|\)$/g, '')
    .split(' | ')
    .map((option) => option.replace(/^"(.*)"$/, '$1'))
    .join(', ')
}

const TYPE_WORDS: Record<string, string> = {
  string: 'must be text',
  number: 'must be a number',
  boolean: 'must be true or false',
  array: 'must be a list ([…])',
  object: 'must be an object ({…})',
  strict_object: 'must be an object ({…})',
  loose_object: 'must be an object ({…})',
  literal: 'must be',
}

const CODES: Record<string, string> = {
  picklist: 'unknown_value',
  variant: 'unknown_value',
  literal: 'unknown_value',
  min_length: 'too_short',
  max_length: 'too_long',
  min_value: 'too_small',
  max_value: 'too_big',
  regex: 'invalid_format',
  url: 'invalid_format',
  email: 'invalid_format',
  uuid: 'invalid_format',
  starts_with: 'invalid_format',
}

function isUnknownKey(issue: Issue): boolean {
  return issue.kind === 'schema' && issue.type.endsWith('object') && issue.expected === 'never'
}

/** The machine-readable kind of an issue. */
export function issueCode(issue: Issue): string {
  if (isUnknownKey(issue)) return 'unknown_field'
  if (issue.kind === 'schema' && issue.input === undefined) return 'required'
  return CODES[issue.type] ?? (issue.kind === 'schema' ? 'wrong_type' : 'invalid')
}

/**
 * A plain-words message for an issue whose schema gave none; passed to valibot as the config's
 * `message`, which it uses only where no schema message is set.
 */
export function humanMessage(issue: Issue): string {
  const n = typeof issue.requirement === 'number' ? issue.requirement : null
  const isText = typeof issue.input === 'string'
  switch (issueCode(issue)) {
    case 'unknown_field':
      return `unknown field ${quoted(issue.input)}`
    case 'required':
      return 'is required'
    case 'unknown_value':
      return issue.type === 'literal' ? `must be ${issue.expected}` : `unknown value ${quoted(issue.input)}; use ${allowed(issue.expected)}`
    case 'too_short':
      return `must have at least ${n} ${isText ? 'characters' : 'items'}`
    case 'too_long':
      return `must have at most ${n} ${isText ? 'characters' : 'items'}`
    case 'too_small':
      return `must be at least ${n ?? issue.expected}`
    case 'too_big':
      return `must be at most ${n ?? issue.expected}`
    case 'invalid_format':
      return issue.type === 'url' ? 'must be an absolute URL' : issue.type === 'email' ? 'must be an email address' : 'has the wrong format'
    case 'wrong_type':
      return TYPE_WORDS[issue.type] ?? 'has the wrong type'
    default:
      if (issue.type === 'integer') return 'must be a whole number'
      if (issue.type === 'finite') return 'must be a finite number'
      return 'is not valid'
  }
}

/** The keys an object schema at `keys` (from the root) allows, for "unknown field" messages. */
function knownKeys(schema: GenericSchema | undefined, issue: Issue): string[] {
  let node: unknown = schema
  const path = issue.path ?? []
  for (let i = 0; i < path.length - 1 && node; i++) node = childSchema(node, path[i]!.key, path[i]!.value)
  const entries = unwrap(node, path.at(-1)?.input) as { entries?: Record<string, unknown> } | undefined
  return entries?.entries ? Object.keys(entries.entries) : []
}

type SchemaNode = { type?: string; entries?: Record<string, unknown>; wrapped?: unknown; item?: unknown; options?: unknown[]; key?: string }

/** Optional and nullable wrappers off; for a variant, the option the input's discriminator picks. */
function unwrap(node: unknown, input: unknown): unknown {
  let current = node as SchemaNode | undefined
  while (current?.wrapped) current = current.wrapped as SchemaNode
  if (current?.type === 'variant' && current.key && Array.isArray(current.options)) {
    const tag = typeof input === 'object' && input !== null ? (input as Record<string, unknown>)[current.key] : undefined
    const option = current.options.find((o) => ((o as SchemaNode).entries?.[current!.key!] as { literal?: unknown } | undefined)?.literal === tag)
    return option ? unwrap(option, input) : undefined
  }
  return current
}

function childSchema(node: unknown, key: unknown, value: unknown): unknown {
  const current = unwrap(node, undefined) as SchemaNode | undefined
  if (!current) return undefined
  const child = current.entries ? current.entries[String(key)] : current.item
  return child && unwrap(child, value)
}

export function toFieldIssues(issues: readonly Issue[], prefix = '', schema?: GenericSchema): FieldIssue[] {
  const seen = new Set<string>()
  const out: FieldIssue[] = []
  for (const issue of issues) {
    const keys = (issue.path ?? []).map((item) => String(item.key))
    let message = issue.message
    const code = issueCode(issue)
    if (code === 'unknown_field') {
      // With the keys the object does take.
      const known = knownKeys(schema, issue)
      if (known.length > 0) message = `${message}; use ${known.slice(0, 12).join(', ')}${known.length > 12 ? ', …' : ''}`
    }
    const path = [prefix, ...keys].filter(Boolean).join('.') || '(body)'
    if (seen.has(path)) continue
    seen.add(path)
    out.push({ path, code, message })
  }
  return out
}
