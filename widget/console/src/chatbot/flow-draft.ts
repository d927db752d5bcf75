// The flow editor's rules without the DOM: what the draft text is (not JSON, a flow with the
// checker's problems, or a valid flow), where a problem or a node sits in the text, the problems
// grouped by node, and the JSON Merge Patch that replaces the stored flow with the draft.
import { checkFlow } from '../../../../shared/flow/validate'
import type { FlowProblem } from '../../../../shared/flow/validate'
import type { Flow } from '../../../../shared/flow/schema'
import { humanMessage } from '../../../../shared/valibot-issues'
import { readJson } from './json-ranges'
import type { JsonErrorCode, TextRange } from './json-ranges'

export type Draft =
  | { kind: 'syntax'; code: JsonErrorCode; offset: number; line: number; column: number }
  | { kind: 'invalid'; value: unknown; ranges: Map<string, TextRange>; problems: FlowProblem[] }
  | { kind: 'valid'; value: unknown; ranges: Map<string, TextRange>; flow: Flow }

/** Reads and checks the draft with the same checker, and the same words, the server uses on save. */
export function readDraft(text: string): Draft {
  const read = readJson(text)
  if (!read.ok) return { kind: 'syntax', code: read.code, offset: read.offset, line: read.line, column: read.column }
  const checked = checkFlow(read.value, { message: humanMessage })
  return checked.ok
    ? { kind: 'valid', value: read.value, ranges: read.ranges, flow: checked.flow }
    : { kind: 'invalid', value: read.value, ranges: read.ranges, problems: checked.problems }
}

/** Where a problem points: a node by id, or a place in the document by dot path. */
export interface Target {
  node?: string | undefined
  path?: string | undefined
}

/** The index of the first node with this id in the parsed draft, or -1. */
function nodeIndex(value: unknown, id: string): number {
  const nodes = typeof value === 'object' && value !== null ? (value as { nodes?: unknown }).nodes : undefined
  if (!Array.isArray(nodes)) return -1
  return nodes.findIndex((node: unknown) => typeof node === 'object' && node !== null && (node as { id?: unknown }).id === id)
}

/**
 * The text to select for a target: the path's own value, or the nearest enclosing one when the
 * path names a key that is missing (`nodes.3.next` absent selects node 3); else the node's object.
 */
export function targetRange(target: Target, value: unknown, ranges: Map<string, TextRange>): TextRange | null {
  if (target.path !== undefined && target.path !== '') {
    const parts = target.path.split('.')
    for (let n = parts.length; n > 0; n--) {
      const range = ranges.get(parts.slice(0, n).join('.'))
      if (range) return range
    }
  }
  if (target.node !== undefined) {
    const index = nodeIndex(value, target.node)
    if (index !== -1) return ranges.get(`nodes.${index}`) ?? null
  }
  return null
}

export interface ProblemGroup {
  /** null: problems of the whole document (its start, its id). */
  node: string | null
  problems: FlowProblem[]
}

/** Problems by node, nodes in the draft's order, the document's own first. */
export function groupProblems(problems: readonly FlowProblem[], value: unknown): ProblemGroup[] {
  const groups = new Map<string | null, FlowProblem[]>()
  for (const problem of problems) {
    const key = problem.node ?? null
    groups.set(key, [...(groups.get(key) ?? []), problem])
  }
  const order = (node: string | null) => (node === null ? -2 : nodeIndex(value, node))
  return [...groups].map(([node, list]) => ({ node, problems: list })).sort((a, b) => order(a.node) - order(b.node))
}

/**
 * What a server issue's path (`chat.flow.nodes[ask]`, `chat.flow.nodes.3.next`) points at in the
 * draft, or null for an issue outside the flow.
 */
export function serverIssueTarget(path: string): Target | null {
  if (path !== 'chat.flow' && !path.startsWith('chat.flow.')) return null
  const rest = path.slice('chat.flow.'.length)
  const node = /^nodes\[([^\]]+)\]$/.exec(rest)?.[1]
  return node !== undefined ? { node } : { path: rest }
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value)

/**
 * A JSON Merge Patch (RFC 7396) that turns `before` into `after`: merge patches merge objects key
 * by key, so a key the draft dropped (a flow's `faq`, a synonym) must be sent as null or the server
 * would keep it. Arrays and scalars are replaced whole.
 * @example
 * replacingPatch({ id: 'a', faq: [] }, { id: 'b' }) // → { id: 'b', faq: null }
 */
export function replacingPatch(before: unknown, after: unknown): unknown {
  if (!isObject(before) || !isObject(after)) return after
  const patch: Record<string, unknown> = {}
  for (const key of Object.keys(before)) if (!(key in after)) patch[key] = null
  for (const [key, value] of Object.entries(after)) patch[key] = key in before ? replacingPatch(before[key], value) : value
  return patch
}

/** A flow as the editor shows it: two-space JSON, as the demo flows are written. */
export function flowText(flow: unknown): string {
  return `${JSON.stringify(flow, null, 2)}\n`
}
