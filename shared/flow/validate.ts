// Checks a flow before it runs: the valibot schema first, then the graph (references, reachability,
// contact on every ending path, loops). Every problem names its node.
import * as v from 'valibot'
import { FlowSchema } from './schema'
import type { Flow, FlowNode, When } from './schema'
import { unsafeRegexReason } from './regex-safety'

export type FlowProblemCode =
  | 'schema'
  | 'duplicate_id'
  | 'unknown_node'
  | 'unreachable'
  | 'end_without_contact'
  | 'cycle_without_exit'
  | 'cycle_without_input'
  | 'unknown_answer'
  | 'unknown_var'
  | 'duplicate_option'
  | 'no_faq_entries'
  | 'unsafe_regex'

export interface FlowProblem {
  code: FlowProblemCode
  /** The node the problem is in; absent for problems of the whole document. */
  node?: string
  /** Where in the JSON, for schema problems: `nodes.3.next`. */
  path?: string
  message: string
}

export type CheckFlowResult = { ok: true; flow: Flow } | { ok: false; problems: FlowProblem[] }

/** Nodes that stop the conversation to wait for the visitor. */
const INPUT_TYPES = new Set<FlowNode['type']>(['ask', 'contact', 'faq'])

/** Every node id this node can go to next, in the flow's order. */
export function successors(node: FlowNode): string[] {
  switch (node.type) {
    case 'ask':
      return [...(node.options ?? []).flatMap((o) => (o.next ? [o.next] : [])), node.next]
    case 'branch':
      return [...node.cases.map((c) => c.next), node.else]
    case 'handoff':
    case 'end':
      return []
    default:
      return [node.next]
  }
}

function conditionsOf(when: When) {
  return 'all' in when ? when.all : 'any' in when ? when.any : [when]
}

function schemaProblems(issues: v.BaseIssue<unknown>[], input: unknown): FlowProblem[] {
  const nodes = typeof input === 'object' && input !== null ? (input as { nodes?: unknown }).nodes : undefined
  return issues.map((issue) => {
    const path = v.getDotPath(issue) ?? ''
    const index = /^nodes\.(\d+)/.exec(path)?.[1]
    const raw = index !== undefined && Array.isArray(nodes) ? (nodes[Number(index)] as { id?: unknown }) : undefined
    const problem: FlowProblem = {
      code: 'schema',
      path,
      message: `${path || 'flow'}: ${issue.message}`,
    }
    if (typeof raw?.id === 'string') {
      problem.node = raw.id
      problem.message = `node "${raw.id}" (${path}): ${issue.message}`
    }
    return problem
  })
}

/** Tarjan's strongly connected components; small flows, so recursion depth is no concern. */
function components(ids: string[], edges: Map<string, string[]>): string[][] {
  let counter = 0
  const index = new Map<string, number>()
  const low = new Map<string, number>()
  const stack: string[] = []
  const onStack = new Set<string>()
  const result: string[][] = []
  const visit = (id: string) => {
    index.set(id, counter)
    low.set(id, counter++)
    stack.push(id)
    onStack.add(id)
    for (const to of edges.get(id) ?? []) {
      if (!index.has(to)) {
        visit(to)
        low.set(id, Math.min(low.get(id)!, low.get(to)!))
      } else if (onStack.has(to)) {
        low.set(id, Math.min(low.get(id)!, index.get(to)!))
      }
    }
    if (low.get(id) === index.get(id)) {
      const component: string[] = []
      let top: string
      do {
        top = stack.pop()!
        onStack.delete(top)
        component.push(top)
      } while (top !== id)
      result.push(component)
    }
  }
  for (const id of ids) if (!index.has(id)) visit(id)
  return result
}

/** Edit distance counting a swap of two neighbours as one edit (optimal string alignment), for "did you mean". */
function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)))
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1)
    }
  }
  return d[a.length]![b.length]!
}

/** The one existing id close enough to be what a missing reference meant, or null. */
function closestId(missing: string, ids: Iterable<string>): string | null {
  const limit = Math.max(1, Math.floor(missing.length / 3))
  let best: string | null = null
  let bestDistance = Infinity
  let tie = false
  for (const id of ids) {
    const d = id.toLowerCase() === missing.toLowerCase() ? 0 : distance(missing, id)
    if (d < bestDistance) [best, bestDistance, tie] = [id, d, false]
    else if (d === bestDistance) tie = true
  }
  return best !== null && bestDistance <= limit && !tie ? best : null
}

/**
 * With a reference nobody can guess, the unreachable nodes worth naming are those no other node
 * leads to: the rest hang off them, and may be what the broken reference meant.
 */
function unreachableRoots(byId: Map<string, FlowNode>, edges: Map<string, string[]>, reachable: Set<string>): Set<string> {
  const pointedTo = new Set<string>()
  for (const [from, targets] of edges) {
    if (reachable.has(from)) continue
    for (const to of targets) if (to !== from) pointedTo.add(to)
  }
  return new Set([...byId.keys()].filter((id) => !reachable.has(id) && !pointedTo.has(id)))
}

/** The graph checks on a flow that already matches the schema. */
export function graphProblems(flow: Flow): FlowProblem[] {
  const problems: FlowProblem[] = []
  const byId = new Map<string, FlowNode>()
  for (const node of flow.nodes) {
    if (byId.has(node.id)) {
      problems.push({
        code: 'duplicate_id',
        node: node.id,
        message: `node "${node.id}": the id is used more than once`,
      })
    } else {
      byId.set(node.id, node)
    }
  }
  if (!byId.has(flow.start)) {
    problems.push({
      code: 'unknown_node',
      path: 'start',
      message: `start: no node "${flow.start}"`,
    })
  }
  const edges = new Map<string, string[]>()
  // A reference to a missing node cuts off everything behind it; reporting all of that as
  // unreachable would bury the one typo under a problem per node (see unreachableRoots).
  let dangling = false
  for (const node of byId.values()) {
    const known: string[] = []
    for (const to of successors(node)) {
      if (byId.has(to)) {
        known.push(to)
        continue
      }
      const guess = closestId(to, byId.keys())
      // The likely target stands in for the typo, so the checks below see the intended graph.
      if (guess) known.push(guess)
      else dangling = true
      problems.push({
        code: 'unknown_node',
        node: node.id,
        message: `node "${node.id}": goes to "${to}", which does not exist${guess ? ` (did you mean "${guess}"?)` : ''}`,
      })
    }
    edges.set(node.id, known)
    if (node.type === 'ask' && node.options) {
      const seen = new Set<string>()
      for (const option of node.options) {
        if (seen.has(option.value)) {
          problems.push({
            code: 'duplicate_option',
            node: node.id,
            message: `node "${node.id}": option "${option.value}" appears twice`,
          })
        }
        seen.add(option.value)
      }
    }
    if (node.type === 'faq' && !flow.faq?.length) {
      problems.push({
        code: 'no_faq_entries',
        node: node.id,
        message: `node "${node.id}": the flow has no faq entries to answer from`,
      })
    }
  }

  // Branches may only test answers some node asks for and variables some node sets.
  const answerKeys = new Set<string>()
  const vars = new Set<string>()
  for (const node of byId.values()) {
    if (node.type === 'ask' || node.type === 'faq') answerKeys.add(node.key ?? node.id)
    if (node.type === 'set') vars.add(node.var)
  }
  for (const node of byId.values()) {
    if (node.type !== 'branch') continue
    for (const condition of node.cases.flatMap((c) => conditionsOf(c.when))) {
      if (condition.answer !== undefined && !answerKeys.has(condition.answer)) {
        problems.push({
          code: 'unknown_answer',
          node: node.id,
          message: `node "${node.id}": no node asks for answer "${condition.answer}"`,
        })
      }
      if (condition.var !== undefined && !vars.has(condition.var)) {
        problems.push({
          code: 'unknown_var',
          node: node.id,
          message: `node "${node.id}": no node sets variable "${condition.var}"`,
        })
      }
      const unsafe = condition.regex === undefined ? null : unsafeRegexReason(condition.regex)
      if (unsafe !== null) {
        problems.push({
          code: 'unsafe_regex',
          node: node.id,
          message:
            `node "${node.id}": the regex ${JSON.stringify(condition.regex)} can take exponential time on some answers ` +
            `(${unsafe}); write it without repeating such a group, e.g. ^a+$ instead of ^(a+)+$`,
        })
      }
    }
  }

  if (!byId.has(flow.start)) return problems

  // Reachability, and which nodes can be reached before any contact node: an `end` among those
  // is a path that finishes with nothing to call back. Branch conditions are ignored on purpose
  // (any case may match), so the check holds whatever the visitor answers.
  const reachable = new Set<string>([flow.start])
  const withoutContact = new Set<string>([flow.start])
  const queue = [flow.start]
  while (queue.length) {
    const id = queue.shift()!
    for (const to of edges.get(id) ?? []) {
      if (!reachable.has(to)) {
        reachable.add(to)
        queue.push(to)
      }
    }
  }
  const noContactQueue = [flow.start]
  while (noContactQueue.length) {
    const id = noContactQueue.shift()!
    if (byId.get(id)?.type === 'contact') continue
    for (const to of edges.get(id) ?? []) {
      if (!withoutContact.has(to)) {
        withoutContact.add(to)
        noContactQueue.push(to)
      }
    }
  }
  const roots = dangling ? unreachableRoots(byId, edges, reachable) : null
  for (const node of byId.values()) {
    if (!reachable.has(node.id)) {
      if (roots && !roots.has(node.id)) continue
      problems.push({
        code: 'unreachable',
        node: node.id,
        message: `node "${node.id}": no path from "${flow.start}" leads here`,
      })
    } else if (node.type === 'end' && withoutContact.has(node.id)) {
      problems.push({
        code: 'end_without_contact',
        node: node.id,
        message: `node "${node.id}": a path reaches this end without a contact node (end it with a handoff, or ask for a contact first)`,
      })
    }
  }

  for (const component of components([...reachable], edges)) {
    const ids = new Set(component)
    const first = component[component.length - 1]!
    const isCycle = component.length > 1 || (edges.get(first) ?? []).includes(first)
    if (!isCycle) continue
    const names = [...component].reverse().join(' → ')
    const exits = component.some((id) => (edges.get(id) ?? []).some((to) => !ids.has(to)))
    if (!exits) {
      problems.push({
        code: 'cycle_without_exit',
        node: first,
        message: `node "${first}": the loop ${names} has no way out`,
      })
    } else if (!component.some((id) => INPUT_TYPES.has(byId.get(id)!.type))) {
      problems.push({
        code: 'cycle_without_input',
        node: first,
        message: `node "${first}": the loop ${names} never waits for the visitor, so nothing can change its way out`,
      })
    }
  }
  return problems
}

export interface CheckFlowOptions {
  /** Words for schema problems whose schema gives none (the admin API's plain-words messages). */
  message?: v.ErrorMessage<v.BaseIssue<unknown>>
}

/**
 * Validates a flow document (parsed JSON).
 *
 * @example
 * const result = checkFlow(JSON.parse(text))
 * if (!result.ok) for (const p of result.problems) console.log(p.message)
 */
export function checkFlow(input: unknown, options: CheckFlowOptions = {}): CheckFlowResult {
  const parsed = v.safeParse(FlowSchema, input, options)
  if (!parsed.success) return { ok: false, problems: schemaProblems(parsed.issues, input) }
  const problems = graphProblems(parsed.output)
  return problems.length ? { ok: false, problems } : { ok: true, flow: parsed.output }
}
