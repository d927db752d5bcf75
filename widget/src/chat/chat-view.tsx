// The chat as the visitor sees it: messages with a typing pause, quick replies, free text, the
// contact step, "call me instead" and "start over". The rules live in rules.ts and shared/flow.
import metadata from 'libphonenumber-js/min/metadata'
import { useEffect, useMemo, useRef, useState } from 'preact/hooks'
import { findNode, handoffPrefill, localize } from '../../../shared/flow/engine'
import type { EngineOptions, FlowEvent } from '../../../shared/flow/engine'
import type { Flow, FlowNode } from '../../../shared/flow/schema'
import type { LeadInput } from '../../../shared/schemas/lead'
import type { Locale, PublicSiteConfig } from '../../../shared/schemas/site-config'
import { isRetryableRefusal, newLeadId, sendLead } from '../api'
import type { Fetch, SendLeadResult } from '../api'
import { CONTACT_INPUTS, TextField } from '../field'
import { collectContext } from '../lead-context'
import {
  CHAT_STRINGS,
  applyEvent,
  buildChatLead,
  loadSession,
  newSession,
  phoneCheck,
  saveSession,
  sessionKey,
  transcriptOf,
} from './rules'
import type { ChatLead, ChatSession, ChatStrings } from './rules'

/**
 * What the callback form gets on "call me instead": `name`, `phone` and a `message` summing up
 * the answers to pre-fill it, plus the answers and transcript to attach to its lead if it wants.
 */
export type HandoffPrefill = ReturnType<typeof handoffPrefill> & {
  answers: NonNullable<ChatLead['answers']>
  transcript: ChatLead['transcript']
}

export interface ChatViewProps {
  flow: Flow
  locale: Locale
  site: string
  /** Worker origin, no trailing slash. */
  endpoint: string
  /** For national phone numbers (`8 912 …`); the site config's `country`. */
  country?: string | undefined
  consent?: PublicSiteConfig['consent'] | undefined
  fetch?: Fetch | undefined
  /** How to POST the lead (the widget's outbox); `sendLead(endpoint, lead, fetch)` otherwise. */
  send?: ((lead: LeadInput) => Promise<SendLeadResult>) | undefined
  /** Where the conversation survives page changes; `sessionStorage` by default. */
  storage?: Storage | null | undefined
  /** The pause before each bot message; 0 in tests. */
  typingMs?: number | undefined
  /** The visitor chose the callback form: open it with what they already told the bot. */
  onHandoff(prefill: HandoffPrefill): void
  onLead(lead: ChatLead, result: Extract<SendLeadResult, { kind: 'accepted' }>): void
}

type Delivery =
  | { kind: 'idle' }
  | { kind: 'sending' }
  | { kind: 'sent' }
  | { kind: 'failed'; message: string; retry: boolean }

function defaultStorage(): Storage | null {
  try {
    return sessionStorage
  } catch {
    return null
  }
}

const now = () => new Date().toISOString()

export function ChatView(props: ChatViewProps) {
  const { flow, locale, site, endpoint, consent, typingMs = 700, onHandoff, onLead } = props
  const strings = CHAT_STRINGS[locale]
  const storage = useMemo(
    () => (props.storage === undefined ? defaultStorage() : props.storage),
    [props.storage],
  )
  const key = sessionKey(site, flow)
  const options: EngineOptions = useMemo(
    () => ({ locale, checkPhone: phoneCheck(props.country ?? 'RU', metadata) }),
    [locale, props.country],
  )
  const restored = useMemo(() => loadSession(storage, key, flow), [])
  const [session, setSession] = useState<ChatSession>(
    () => restored ?? newSession(flow, options, now()),
  )
  // A restored conversation appears at once; new bot messages one by one after a typing pause.
  const [shown, setShown] = useState(restored ? restored.state.messages.length : 0)
  const [delivery, setDelivery] = useState<Delivery>(
    session.sent ? { kind: 'sent' } : { kind: 'idle' },
  )
  const [consentError, setConsentError] = useState(false)
  const pending = useRef<ChatLead | null>(null)
  const handedOff = useRef(session.state.status === 'handoff')
  const inputArea = useRef<HTMLDivElement>(null)
  const log = useRef<HTMLDivElement>(null)
  const { state } = session
  const total = state.messages.length
  const typing = shown < total
  const consentText = consent?.required ? consent.text : undefined

  useEffect(() => saveSession(storage, key, session), [session])

  useEffect(() => {
    if (shown >= total) return
    if (state.messages[shown]?.from === 'visitor' || typingMs <= 0) {
      setShown(shown + 1)
      return
    }
    const timer = setTimeout(() => setShown(shown + 1), typingMs)
    return () => clearTimeout(timer)
  }, [shown, total])

  useEffect(() => {
    if (typing || state.status !== 'handoff' || handedOff.current) return
    handedOff.current = true
    onHandoff({
      ...handoffPrefill(state),
      answers: { ...state.answers },
      transcript: transcriptOf(session),
    })
  }, [typing, state.status])

  const send = async () => {
    if (delivery.kind === 'sending') return
    const lead = (pending.current ??= buildChatLead({
      id: session.leadId ?? newLeadId(),
      site,
      session,
      consentText,
      context: collectContext(),
      now: Date.now(),
    }))
    // The id is saved before sending, so a retry from the next page is still the same lead.
    setSession((current) => ({ ...current, leadId: lead.id }))
    setDelivery({ kind: 'sending' })
    const result = props.send
      ? await props.send(lead)
      : await sendLead(endpoint, lead, props.fetch ?? fetch)
    if (result.kind === 'accepted') {
      setSession((current) => ({ ...current, sent: true }))
      setDelivery({ kind: 'sent' })
      onLead(lead, result)
    } else if (result.kind === 'failed') {
      setDelivery({
        kind: 'failed',
        message: result.status === 0 ? strings.offline : strings.failed,
        retry: true,
      })
    } else if (isRetryableRefusal(result)) {
      // "Too many requests": the worker's own words ("try again in a minute"), and the button.
      setDelivery({ kind: 'failed', message: result.error?.message ?? strings.failed, retry: true })
    } else {
      // Refused (a phone the worker's full metadata rejects, say): resending cannot help; calling can.
      setDelivery({
        kind: 'failed',
        message: result.error?.message ?? strings.failed,
        retry: false,
      })
    }
  }

  useEffect(() => {
    if (!typing && state.status === 'ended' && !session.sent && delivery.kind === 'idle')
      void send()
  }, [typing, state.status])

  // Each new question takes focus, so keyboard users answer without hunting for the controls.
  const inputKey = `${state.at}:${total}:${typing}`
  useEffect(() => {
    if (typing || state.status !== 'waiting') return
    inputArea.current?.querySelector<HTMLElement>('input,button')?.focus()
  }, [inputKey])

  const dispatch = (event: FlowEvent) =>
    setSession((current) => applyEvent(flow, current, event, options, now()))

  const restart = () => {
    saveSession(storage, key, null)
    const fresh = newSession(flow, options, now())
    pending.current = null
    handedOff.current = false
    setConsentError(false)
    setDelivery({ kind: 'idle' })
    setShown(0)
    setSession(fresh)
  }

  const node = findNode(flow, state.at)
  const waiting = !typing && state.status === 'waiting' && node !== undefined
  const error =
    waiting && state.error
      ? strings.errors[state.error]
      : consentError
        ? strings.errors.contact_missing
        : ''

  // Keep the newest message in view as the conversation grows past the log's height.
  useEffect(() => {
    const element = log.current
    if (element) element.scrollTop = element.scrollHeight
  }, [shown, typing, delivery.kind])

  return (
    <div class="chat" lang={locale}>
      <div ref={log} class="chat-log" role="log" aria-live="polite" aria-relevant="additions">
        {state.messages.slice(0, shown).map((message, i) => (
          <p key={i} class={`msg ${message.from}`}>
            {message.text}
          </p>
        ))}
        {!typing && state.status === 'broken' && <p class="msg bot">{strings.broken}</p>}
        {!typing && delivery.kind === 'sent' && <p class="msg note">{strings.sent}</p>}
        {!typing && delivery.kind === 'failed' && <p class="msg note error">{delivery.message}</p>}
      </div>
      {typing && (
        <p class="typing" aria-hidden="true" title={strings.typing}>
          <span />
          <span />
          <span />
        </p>
      )}
      <div ref={inputArea} class="chat-input">
        {waiting && node && (
          <NodeInput
            key={inputKey}
            node={node}
            locale={locale}
            strings={strings}
            consentText={consentText}
            onEvent={(event) => {
              setConsentError(false)
              dispatch(event)
            }}
            onConsentMissing={() => setConsentError(true)}
          />
        )}
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
        {delivery.kind === 'sending' && <p class="note">{strings.sending}</p>}
        {delivery.kind === 'failed' && delivery.retry && (
          <button type="button" class="submit" onClick={() => void send()}>
            {strings.retry}
          </button>
        )}
      </div>
      <div class="chat-actions">
        {state.status !== 'handoff' && delivery.kind !== 'sent' && (
          <button type="button" class="link" onClick={() => dispatch({ type: 'handoff' })}>
            {strings.callMe}
          </button>
        )}
        <button type="button" class="link" onClick={restart}>
          {strings.restart}
        </button>
      </div>
    </div>
  )
}

interface NodeInputProps {
  node: FlowNode
  locale: Locale
  strings: ChatStrings
  consentText: string | undefined
  onEvent(event: FlowEvent): void
  onConsentMissing(): void
}

function NodeInput({
  node,
  locale,
  strings,
  consentText,
  onEvent,
  onConsentMissing,
}: NodeInputProps) {
  const question =
    node.type === 'ask' || node.type === 'contact' || node.type === 'faq'
      ? localize(node.text, locale)
      : ''
  const text = (form: HTMLFormElement, name: string) => String(new FormData(form).get(name) ?? '')

  if (node.type === 'ask' && node.input === 'buttons') {
    return (
      <div class="replies" role="group" aria-label={question}>
        {(node.options ?? []).map((option) => (
          <button
            key={option.value}
            type="button"
            class="reply"
            onClick={() => onEvent({ type: 'answer', value: option.value })}
          >
            {localize(option.label, locale)}
          </button>
        ))}
      </div>
    )
  }

  if (node.type === 'ask' && node.input === 'multi') {
    const onSubmit = (event: SubmitEvent) => {
      event.preventDefault()
      const values = new FormData(event.currentTarget as HTMLFormElement)
        .getAll('choice')
        .map(String)
      onEvent({ type: 'answer', value: values })
    }
    return (
      <form class="multi" onSubmit={onSubmit}>
        <fieldset>
          <legend class="sr">{question}</legend>
          {(node.options ?? []).map((option) => (
            <label key={option.value} class="choice">
              <input type="checkbox" name="choice" value={option.value} />
              {localize(option.label, locale)}
            </label>
          ))}
        </fieldset>
        <button type="submit" class="submit">
          {strings.send}
        </button>
      </form>
    )
  }

  if (node.type === 'ask' || node.type === 'faq') {
    const number = node.type === 'ask' && node.input === 'number'
    const placeholder =
      node.type === 'ask' && node.placeholder ? localize(node.placeholder, locale) : undefined
    const onSubmit = (event: SubmitEvent) => {
      event.preventDefault()
      onEvent({ type: 'answer', value: text(event.currentTarget as HTMLFormElement, 'answer') })
    }
    return (
      <form class="row" onSubmit={onSubmit}>
        <input
          class="field"
          name="answer"
          aria-label={`${strings.answer}: ${question}`}
          inputMode={number ? 'decimal' : 'text'}
          autocomplete="off"
          maxLength={1000}
          placeholder={placeholder}
        />
        <button type="submit" class="send">
          {strings.send}
        </button>
      </form>
    )
  }

  if (node.type === 'contact') {
    const onSubmit = (event: SubmitEvent) => {
      event.preventDefault()
      const form = event.currentTarget as HTMLFormElement
      if (consentText !== undefined && !new FormData(form).has('consent')) {
        onConsentMissing()
        form.querySelector<HTMLElement>('[name=consent]')?.focus()
        return
      }
      onEvent({
        type: 'contact',
        phone: text(form, 'phone'),
        email: text(form, 'email'),
        name: text(form, 'name'),
      })
    }
    return (
      <form class="contact" noValidate onSubmit={onSubmit}>
        {node.channels.includes('phone') && (
          <TextField
            id="lc-chat-phone"
            label={strings.phone}
            {...CONTACT_INPUTS.phone}
          />
        )}
        {node.channels.includes('email') && (
          <TextField
            id="lc-chat-email"
            label={strings.email}
            {...CONTACT_INPUTS.email}
          />
        )}
        {node.name && (
          <TextField
            id="lc-chat-name"
            label={strings.name}
            {...CONTACT_INPUTS.name}
          />
        )}
        {consentText !== undefined && (
          <div class="consent">
            <input id="lc-chat-consent" name="consent" type="checkbox" />
            <label for="lc-chat-consent">{consentText}</label>
          </div>
        )}
        <button type="submit" class="submit">
          {strings.send}
        </button>
      </form>
    )
  }
  return null
}
