// The flow as steps, for the view beside the editor: each node with what it says and where each of
// its answers leads. Read from the parsed draft as it is, valid or not, so a broken flow still shows
// its nodes and the problem clicked in the list can be found among them.
import type { Locale } from '../../../../shared/flow/engine'

export interface StepLink {
  /** What leads there: an option's label, a branch case, "next", "else". */
  label: string
  kind: 'option' | 'case' | 'next' | 'else'
  to: string
  /** No node has this id. */
  missing: boolean
}

export interface Step {
  id: string
  type: string
  /** What the node says (in the locale, else the other one); the score node's reason. */
  text: string
  /** The score node's points, the set node's `var = value`, the ask node's input kind. */
  detail: string
  links: StepLink[]
}

type Loose = Record<string, unknown>

const isObject = (value: unknown): value is Loose => typeof value === 'object' && value !== null && !Array.isArray(value)

function textOf(value: unknown, locale: Locale): string {
  if (typeof value === 'string') return value
  if (!isObject(value)) return ''
  const other = locale === 'ru' ? 'en' : 'ru'
  const text = value[locale] ?? value[other]
  return typeof text === 'string' ? text : ''
}

/** A branch case in short: `budget in 5_10m, 10m_plus`, `score ≥ 40`. */
export function describeWhen(when: unknown): string {
  if (!isObject(when)) return '?'
  if (Array.isArray(when.all)) return when.all.map(describeWhen).join(' & ')
  if (Array.isArray(when.any)) return when.any.map(describeWhen).join(' | ')
  const subject = when.score === true ? 'score' : typeof when.answer === 'string' ? when.answer : typeof when.var === 'string' ? `var.${when.var}` : '?'
  if (when.equals !== undefined) return `${subject} = ${JSON.stringify(when.equals)}`
  if (Array.isArray(when.in)) return `${subject} ∈ ${when.in.map((x) => JSON.stringify(x)).join(', ')}`
  if (typeof when.regex === 'string') return `${subject} ~ /${when.regex}/`
  const range = [typeof when.min === 'number' ? `≥ ${when.min}` : '', typeof when.max === 'number' ? `≤ ${when.max}` : ''].filter(Boolean)
  return range.length ? `${subject} ${range.join(', ')}` : subject
}

/** The draft's nodes as steps, in the draft's order; entries that are not node objects are left out. */
export function stepsOf(draft: unknown, locale: Locale): Step[] {
  const nodes = isObject(draft) && Array.isArray(draft.nodes) ? draft.nodes.filter(isObject) : []
  const ids = new Set(nodes.flatMap((node) => (typeof node.id === 'string' ? [node.id] : [])))
  const link = (kind: StepLink['kind'], label: string, to: unknown): StepLink[] => (typeof to === 'string' ? [{ kind, label, to, missing: !ids.has(to) }] : [])
  return nodes.map((node) => {
    const type = typeof node.type === 'string' ? node.type : '?'
    const links: StepLink[] = []
    let detail = ''
    if (type === 'ask') {
      detail = typeof node.input === 'string' ? node.input : ''
    }
    const buttons = type === 'ask' && node.input === 'buttons' && Array.isArray(node.options)
    if (buttons) {
      // Each button where it leads: its own next, else the node's.
      for (const option of (node.options as unknown[]).filter(isObject)) {
        links.push(...link('option', textOf(option.label, locale) || String(option.value ?? ''), option.next ?? node.next))
      }
    } else if (type === 'branch') {
      for (const c of Array.isArray(node.cases) ? node.cases.filter(isObject) : []) links.push(...link('case', describeWhen(c.when), c.next))
      links.push(...link('else', '', node.else))
    } else links.push(...link('next', '', node.next))
    if (type === 'score') detail = typeof node.points === 'number' ? `${node.points > 0 ? '+' : ''}${node.points}` : ''
    if (type === 'set') detail = `${String(node.var ?? '?')} = ${JSON.stringify(node.value)}`
    if (type === 'contact' && Array.isArray(node.channels)) detail = node.channels.join(', ')
    return {
      id: typeof node.id === 'string' ? node.id : '?',
      type,
      text: textOf(type === 'score' ? node.reason : node.text, locale),
      detail,
      links,
    }
  })
}
