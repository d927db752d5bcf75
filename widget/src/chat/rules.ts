// The chat's rules without the DOM: the session kept in sessionStorage, the texts, what the
// visitor sees of the conversation and the lead built from a finished one.
import { visitorErrorMessage } from '../../../shared/messages'
import { startFlow, stepFlow } from '../../../shared/flow/engine'
import type { EngineOptions, FlowEvent, FlowMessage, FlowState, InputError } from '../../../shared/flow/engine'
import type { Flow } from '../../../shared/flow/schema'
import type { LeadInput } from '../../../shared/schemas/lead'
import type { Locale } from '../../../shared/schemas/site-config'
import type { LeadContextInput } from '../core/lead-context'

export interface TranscriptEntry {
  from: 'bot' | 'visitor'
  text: string
  at: string
}

/** What POST /v1/leads gets from the chat; `transcript` needs the schema addition in the report. */
export type ChatLead = LeadInput & { transcript: TranscriptEntry[] }

export interface ChatSession {
  v: 1
  flow: string
  state: FlowState
  /** When each message of `state.messages` appeared (ISO); the engine itself keeps no clock. */
  times: string[]
  /** Set when the lead was first built, so a retry after a failure resends the same id. */
  leadId: string | null
  /** The lead is in: the chat's own, or after "call me instead" the callback form's. */
  sent: boolean
  /** The conversation at the contact step, kept until the lead is in: the worker may refuse the phone. */
  contactStep?: FlowState | null | undefined
  /** The worker's reply to the lead (by its working hours), shown instead of the flow's end text. */
  reply?: string | undefined
}

export interface ChatStrings {
  title: string
  typing: string
  send: string
  sending: string
  callMe: string
  restart: string
  phone: string
  email: string
  name: string
  answer: string
  retry: string
  sent: string
  /** Not sent yet, but kept by the widget's outbox, which sends it once the visitor is online. */
  queued: string
  /** After "call me instead", until the callback form's lead is in. */
  handoff: string
  openForm: string
  broken: string
  errors: Record<InputError, string>
  offline: string
  failed: string
}

export const CHAT_STRINGS: Record<Locale, ChatStrings> = {
  ru: {
    title: 'Чат',
    typing: 'Печатает…',
    send: 'Отправить',
    sending: 'Отправляем…',
    callMe: 'Позвоните мне',
    restart: 'Начать заново',
    phone: 'Телефон',
    email: 'Email',
    name: 'Имя (необязательно)',
    answer: 'Ваш ответ',
    retry: 'Отправить ещё раз',
    sent: 'Заявка отправлена.',
    queued: 'Заявка сохранена: отправим её, как только появится интернет.',
    handoff: 'Оставьте номер в форме обратного звонка — перезвоним.',
    openForm: 'Открыть форму звонка',
    broken: 'Что-то пошло не так. Нажмите «Позвоните мне» — перезвоним.',
    errors: {
      choose_option: 'Выберите один из вариантов.',
      not_a_number: 'Напишите, пожалуйста, число.',
      out_of_range: 'Это число вне допустимых пределов.',
      empty: 'Напишите, пожалуйста, ответ.',
      too_long: 'Слишком длинный ответ.',
      contact_missing: 'Оставьте, пожалуйста, контакт для связи.',
      phone_invalid: visitorErrorMessage('invalid_phone', 'ru'),
      email_invalid: visitorErrorMessage('invalid_email', 'ru'),
    },
    offline: 'Не удалось отправить: нет связи. Проверьте интернет и попробуйте ещё раз.',
    failed: 'Не удалось отправить заявку. Попробуйте ещё раз чуть позже.',
  },
  en: {
    title: 'Chat',
    typing: 'Typing…',
    send: 'Send',
    sending: 'Sending…',
    callMe: 'Call me instead',
    restart: 'Start over',
    phone: 'Phone',
    email: 'Email',
    name: 'Name (optional)',
    answer: 'Your answer',
    retry: 'Send again',
    sent: 'Your request has been sent.',
    queued: 'Saved. We will send it as soon as you are online.',
    handoff: 'Leave your number in the call-back form and we will call you.',
    openForm: 'Open the call-back form',
    broken: 'Something went wrong. Press “Call me instead” and we will call you.',
    errors: {
      choose_option: 'Please choose one of the options.',
      not_a_number: 'Please answer with a number.',
      out_of_range: 'That number is outside the accepted range.',
      empty: 'Please type an answer.',
      too_long: 'That answer is too long.',
      contact_missing: 'Please leave a way to reach you.',
      phone_invalid: visitorErrorMessage('invalid_phone', 'en'),
      email_invalid: visitorErrorMessage('invalid_email', 'en'),
    },
    offline: 'Could not send: no connection. Check your internet and try again.',
    failed: 'Could not send your request. Please try again a little later.',
  },
}

export function sessionKey(site: string, flow: Flow): string {
  return `leadcatcher:chat:${site}:${flow.id}`
}

function stamp(state: FlowState, times: string[], now: string): string[] {
  return state.messages.length > times.length ? [...times, ...Array<string>(state.messages.length - times.length).fill(now)] : times
}

export function newSession(flow: Flow, options: EngineOptions, now: string): ChatSession {
  const state = startFlow(flow, options)
  return { v: 1, flow: flow.id, state, times: stamp(state, [], now), leadId: null, sent: false }
}

/** Applies a visitor event and dates the messages it added. */
export function applyEvent(flow: Flow, session: ChatSession, event: FlowEvent, options: EngineOptions, now: string): ChatSession {
  const state = stepFlow(flow, session.state, event, options)
  return state === session.state ? session : { ...session, state, times: stamp(state, session.times, now) }
}

/** A saved state that can go on in this flow: a session of an older version may point at nodes that no longer exist. */
function fitsFlow(state: unknown, flow: Flow): state is FlowState {
  if (typeof state !== 'object' || state === null) return false
  const { messages, at } = state as Partial<FlowState>
  return Array.isArray(messages) && flow.nodes.some((node) => node.id === at)
}

/** Storage may be missing or throw (Safari private mode, sandboxed iframes): never break on it. */
export function loadSession(storage: Storage | null, key: string, flow: Flow): ChatSession | null {
  try {
    const raw = storage?.getItem(key)
    if (!raw) return null
    const session = JSON.parse(raw) as Partial<ChatSession>
    const { contactStep, reply } = session
    const fits =
      session.v === 1 &&
      session.flow === flow.id &&
      fitsFlow(session.state, flow) &&
      Array.isArray(session.times) &&
      (contactStep == null || fitsFlow(contactStep, flow)) &&
      (reply === undefined || typeof reply === 'string')
    return fits ? (session as ChatSession) : null
  } catch {
    return null
  }
}

/**
 * What the visitor sees of the conversation. A finished one ends on the flow's `end` text, a
 * promise ("we will call within 15 minutes"): it waits for the worker's answer, and the worker's
 * reply takes its place, so the bot never thanks for a lead the worker refused, nor promises a
 * call at a time the worker knows is off hours.
 */
export function visibleMessages(session: ChatSession): FlowMessage[] {
  const { messages, status } = session.state
  if (status !== 'ended' || messages.length === 0) return messages
  const before = messages.slice(0, -1)
  const closing = messages[messages.length - 1] as FlowMessage
  return session.sent ? [...before, { ...closing, text: session.reply ?? closing.text }] : before
}

export function saveSession(storage: Storage | null, key: string, session: ChatSession | null): void {
  try {
    if (session) storage?.setItem(key, JSON.stringify(session))
    else storage?.removeItem(key)
  } catch {
    // Full or forbidden storage only costs the visitor the restore after a page change.
  }
}

/** The transcript the lead carries, within the limits of the ingest schema. */
export function transcriptOf(session: ChatSession): TranscriptEntry[] {
  return session.state.messages.slice(-200).map((message, i, list) => ({
    from: message.from,
    text: message.text.slice(0, 2000),
    at: session.times[session.times.length - list.length + i] ?? new Date(0).toISOString(),
  }))
}

export interface BuildChatLeadOptions {
  id: string
  site: string
  session: ChatSession
  consentText?: string | undefined
  context: LeadContextInput
  now: number
}

/**
 * The body of POST /v1/leads for a finished chat. Variables go in as `var.<name>` answers (the
 * route tag, say), for the CRM to see; the worker recomputes them and the score with `replayFlow`.
 */
export function buildChatLead(options: BuildChatLeadOptions): ChatLead {
  const { id, site, session, consentText, context, now } = options
  const { state } = session
  const answers: NonNullable<LeadInput['answers']> = { ...state.answers }
  for (const [name, value] of Object.entries(state.vars)) answers[`var.${name}`] = value
  const startedAt = Date.parse(session.times[0] ?? '')
  const transcript = transcriptOf(session)
  const lead: ChatLead = {
    id,
    site,
    source: 'chat',
    contact: { ...state.contact },
    answers,
    context,
    // Without the end text the visitor never saw (visibleMessages): the worker's reply replaces it.
    transcript: state.status === 'ended' ? transcript.slice(0, -1) : transcript,
    elapsedMs: Number.isFinite(startedAt) ? Math.max(0, now - startedAt) : 0,
  }
  if (consentText !== undefined) lead.consent = { given: true, text: consentText }
  return lead
}
