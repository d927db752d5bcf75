// The chatbot engine: pure and deterministic (state + event → state), so the browser runs the chat
// and the worker replays the answers to compute the score itself.
import { normalizeEmail } from '../email'
import { matchFaq } from './faq'
import { MAX_MATCHED_LENGTH, unsafeRegexReason } from './regex-safety'
import type { AskNode, Condition, Flow, FlowNode, Scalar, Text, When } from './schema'

export type Locale = 'ru' | 'en'
export type AnswerValue = string | number | boolean | string[]

export interface FlowMessage {
  from: 'bot' | 'visitor'
  text: string
  /** The node that said or asked it. */
  node: string
}

export interface FlowReason {
  /** `flow.<node id>`, so a manager can find the rule in the flow file. */
  rule: string
  points: number
  text: string
  /** The reason as the flow wrote it per language, when it did. */
  texts?: Partial<Record<Locale, string>>
}

export type InputError = 'choose_option' | 'not_a_number' | 'out_of_range' | 'empty' | 'too_long' | 'contact_missing' | 'phone_invalid' | 'email_invalid'

export interface FlowContact {
  name?: string
  phone?: string
  email?: string
}

export interface FlowState {
  flow: string
  /** The node waiting for the visitor, or the node the conversation stopped at. */
  at: string
  /** `handoff`: the visitor goes to the callback form; `broken`: the flow could not go on. */
  status: 'waiting' | 'ended' | 'handoff' | 'broken'
  answers: Record<string, AnswerValue>
  vars: Record<string, Scalar>
  contact: FlowContact
  score: number
  reasons: FlowReason[]
  messages: FlowMessage[]
  /** What was wrong with the last input; the node still waits. */
  error: InputError | null
  /** Every node entered, in order: which branches a conversation took. */
  path: string[]
}

export type FlowEvent =
  | { type: 'answer'; value: string | number | boolean | string[] }
  | { type: 'contact'; phone?: string; email?: string; name?: string }
  /** "Call me instead": allowed at any moment, never refused. */
  | { type: 'handoff' }

export interface EngineOptions {
  locale?: Locale
  /** E.164 for a phone the visitor typed, `null` when it is not one. The widget passes
   * `normalizePhone` with `min` metadata; the default only counts digits like the callback form. */
  checkPhone?: (raw: string) => string | null
  checkEmail?: (raw: string) => string | null
}

/** Bounds automatic steps between two inputs; a validated flow never needs this many. */
export const MAX_AUTO_STEPS = 200
const MAX_TEXT = 1000

function defaultCheckPhone(raw: string): string | null {
  return raw.replace(/\D/g, '').length >= 5 ? raw.trim() : null
}

/** The text in the wanted locale, else in the other one: a half-translated flow still talks. */
export function localize(text: Text, locale: Locale = 'ru'): string {
  if (typeof text === 'string') return text
  return text[locale] ?? text.ru ?? text.en ?? ''
}

export function answerKey(node: { id: string; key?: string | undefined }): string {
  return node.key ?? node.id
}

export function findNode(flow: Flow, id: string): FlowNode | undefined {
  return flow.nodes.find((node) => node.id === id)
}

function numberOf(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null
  if (typeof value !== 'string') return null
  // Visitors write «5 000 000» and «2,5»; spaces of any kind group digits.
  const text = value.replace(/[\s\u00a0\u202f']/g, '').replace(',', '.')
  if (!/^[-+]?\d+(\.\d+)?$/.test(text)) return null
  return Number(text)
}

function testCondition(condition: Condition, state: FlowState): boolean {
  const value: AnswerValue | Scalar | undefined =
    condition.score !== undefined ? state.score : condition.answer !== undefined ? state.answers[condition.answer] : state.vars[condition.var ?? '']
  if (value === undefined) return false
  const values: (string | number | boolean)[] = Array.isArray(value) ? value : [value]
  if (condition.equals !== undefined) return values.some((item) => item === condition.equals)
  if (condition.in !== undefined) return values.some((item) => condition.in!.includes(item))
  if (condition.regex !== undefined) {
    // Validation refuses bad and catastrophic patterns; an unvalidated flow's simply never matches.
    if (unsafeRegexReason(condition.regex) !== null) return false
    let pattern: RegExp
    try {
      pattern = new RegExp(condition.regex, 'iu')
    } catch {
      return false
    }
    // Capped, so even a slow (polynomial) pattern has little to chew on.
    return values.some((item) => pattern.test(String(item).slice(0, MAX_MATCHED_LENGTH)))
  }
  return values.some((item) => {
    const n = numberOf(item)
    return n !== null && n >= (condition.min ?? -Infinity) && n <= (condition.max ?? Infinity)
  })
}

export function testWhen(when: When, state: FlowState): boolean {
  if ('all' in when) return when.all.every((c) => testCondition(c, state))
  if ('any' in when) return when.any.some((c) => testCondition(c, state))
  return testCondition(when, state)
}

function say(state: FlowState, node: string, text: string): void {
  state.messages.push({ from: 'bot', text, node })
}

/** Runs nodes that need no input until one waits for the visitor, ends or hands off. */
function advance(flow: Flow, state: FlowState, from: string, options: EngineOptions): FlowState {
  const locale = options.locale ?? 'ru'
  let id = from
  for (let step = 0; step < MAX_AUTO_STEPS; step++) {
    const node = findNode(flow, id)
    state.at = id
    state.path.push(id)
    if (!node) {
      state.status = 'broken'
      return state
    }
    switch (node.type) {
      case 'message':
        say(state, id, localize(node.text, locale))
        id = node.next
        break
      case 'score':
        state.score += node.points
        // `text` in English (or the one string) as every stored reason; `texts` when written per language.
        state.reasons.push({
          rule: `flow.${node.id}`,
          points: node.points,
          text: localize(node.reason, 'en'),
          ...(typeof node.reason === 'object' && { texts: { ...node.reason } }),
        })
        id = node.next
        break
      case 'set':
        state.vars[node.var] = node.value
        id = node.next
        break
      case 'branch':
        id = node.cases.find((c) => testWhen(c.when, state))?.next ?? node.else
        break
      case 'ask':
      case 'contact':
      case 'faq':
        say(state, id, localize(node.text, locale))
        state.status = 'waiting'
        return state
      case 'handoff':
        if (node.text) say(state, id, localize(node.text, locale))
        state.status = 'handoff'
        return state
      case 'end':
        say(state, id, localize(node.text, locale))
        state.status = 'ended'
        return state
    }
  }
  // A loop of automatic nodes: stop instead of spinning; the UI offers the callback form.
  state.status = 'broken'
  return state
}

function copy(state: FlowState): FlowState {
  return {
    ...state,
    answers: { ...state.answers },
    vars: { ...state.vars },
    contact: { ...state.contact },
    reasons: [...state.reasons],
    messages: [...state.messages],
    path: [...state.path],
    error: null,
  }
}

/** A fresh conversation, already run to the first question. */
export function startFlow(flow: Flow, options: EngineOptions = {}): FlowState {
  const state: FlowState = {
    flow: flow.id,
    at: flow.start,
    status: 'waiting',
    answers: {},
    vars: {},
    contact: {},
    score: 0,
    reasons: [],
    messages: [],
    error: null,
    path: [],
  }
  return advance(flow, state, flow.start, options)
}

type Accepted = { value: AnswerValue; shown: string; next: string }

/** Checks an answer against the ask node; `InputError` when the node must ask again. */
export function acceptAnswer(node: AskNode, value: unknown, locale: Locale = 'ru'): Accepted | InputError {
  const options = node.options ?? []
  const label = (v: string) => localize(options.find((o) => o.value === v)?.label ?? v, locale)
  switch (node.input) {
    case 'buttons': {
      const option = options.find((o) => o.value === value)
      if (!option) return 'choose_option'
      return { value: option.value, shown: label(option.value), next: option.next ?? node.next }
    }
    case 'multi': {
      const list = Array.isArray(value) ? value : [value]
      if (list.length === 0) return 'choose_option'
      if (!list.every((v) => options.some((o) => o.value === v))) return 'choose_option'
      // Keep the flow's order and drop repeats, so the same choice always gives the same answer.
      const chosen = options.filter((o) => list.includes(o.value)).map((o) => o.value)
      return { value: chosen, shown: chosen.map(label).join(', '), next: node.next }
    }
    case 'number': {
      const n = numberOf(value)
      if (n === null) return typeof value === 'string' && !value.trim() ? 'empty' : 'not_a_number'
      if (n < (node.min ?? -Infinity) || n > (node.max ?? Infinity)) return 'out_of_range'
      return { value: n, shown: String(n), next: node.next }
    }
    case 'text': {
      if (typeof value !== 'string' || !value.trim()) return 'empty'
      const text = value.trim()
      if (text.length > Math.min(node.max ?? MAX_TEXT, MAX_TEXT)) return 'too_long'
      if (text.length < (node.min ?? 1)) return 'empty'
      return { value: text, shown: text, next: node.next }
    }
  }
}

/**
 * Applies one visitor event. Never throws; a wrong input leaves the node waiting with `error` set.
 *
 * @example
 * let state = startFlow(flow, { locale: 'en' })
 * state = stepFlow(flow, state, { type: 'answer', value: 'buy' }, { locale: 'en' })
 */
export function stepFlow(flow: Flow, state: FlowState, event: FlowEvent, options: EngineOptions = {}): FlowState {
  const locale = options.locale ?? 'ru'
  if (state.status !== 'waiting') return state
  const next = copy(state)
  if (event.type === 'handoff') {
    next.status = 'handoff'
    return next
  }
  const node = findNode(flow, state.at)
  if (!node) {
    next.status = 'broken'
    return next
  }
  if (node.type === 'ask' && event.type === 'answer') {
    const result = acceptAnswer(node, event.value, locale)
    if (typeof result === 'string') return { ...next, error: result }
    next.answers[answerKey(node)] = result.value
    next.messages.push({ from: 'visitor', text: result.shown, node: node.id })
    return advance(flow, next, result.next, options)
  }
  if (node.type === 'faq' && event.type === 'answer') {
    if (typeof event.value !== 'string' || !event.value.trim()) return { ...next, error: 'empty' }
    const question = event.value.trim().slice(0, MAX_TEXT)
    next.answers[answerKey(node)] = question
    next.messages.push({ from: 'visitor', text: question, node: node.id })
    const entry = matchFaq(question, flow.faq ?? [], flow.synonyms)
    say(next, node.id, localize(entry ? entry.answer : node.fallback, locale))
    return advance(flow, next, node.next, options)
  }
  if (node.type === 'contact' && event.type === 'contact') {
    const checkPhone = options.checkPhone ?? defaultCheckPhone
    const checkEmail = options.checkEmail ?? normalizeEmail
    const phoneRaw = node.channels.includes('phone') ? (event.phone ?? '').trim() : ''
    const emailRaw = node.channels.includes('email') ? (event.email ?? '').trim() : ''
    if (!phoneRaw && !emailRaw) return { ...next, error: 'contact_missing' }
    const phone = phoneRaw ? checkPhone(phoneRaw) : null
    if (phoneRaw && !phone) return { ...next, error: 'phone_invalid' }
    const email = emailRaw ? checkEmail(emailRaw) : null
    if (emailRaw && !email) return { ...next, error: 'email_invalid' }
    const name = node.name ? (event.name ?? '').trim().slice(0, 200) : ''
    // The lead carries what the visitor typed; the worker normalizes it with full metadata.
    if (phoneRaw) next.contact.phone = phoneRaw
    if (email) next.contact.email = email
    if (name) next.contact.name = name
    next.messages.push({
      from: 'visitor',
      text: [name, phoneRaw, email].filter(Boolean).join(', '),
      node: node.id,
    })
    return advance(flow, next, node.next, options)
  }
  return { ...next, error: node.type === 'contact' ? 'contact_missing' : 'choose_option' }
}

/**
 * What the callback form gets when the visitor switches to it: what they already told us. With
 * `labels` (shared/flow/answer-labels.ts) the message says each answer as the visitor saw it
 * ("Какой у вас бюджет? — до 5 млн ₽"), not by its code.
 */
export function handoffPrefill(
  state: FlowState,
  labels: Readonly<Record<string, { question: string; answer: string }>> = {},
): {
  name?: string
  phone?: string
  message?: string
} {
  const prefill: { name?: string; phone?: string; message?: string } = {}
  if (state.contact.name) prefill.name = state.contact.name
  if (state.contact.phone) prefill.phone = state.contact.phone
  const summary = Object.entries(state.answers)
    .map(([key, value]) => {
      const label = labels[key]
      return label ? `${label.question} — ${label.answer}` : `${key}: ${Array.isArray(value) ? value.join(', ') : String(value)}`
    })
    .join('; ')
  if (summary) prefill.message = summary.slice(0, 4000)
  return prefill
}
