// The chat as the visitor sees it: messages with a typing pause, quick replies, free text, the
// contact step, "call me instead" and "start over". The rules live in rules.ts and shared/flow.
import { useEffect, useMemo, useRef, useState } from 'preact/hooks'
import { answerLabels } from '../../../shared/flow/answer-labels'
import { findNode, handoffPrefill, localize } from '../../../shared/flow/engine'
import type { EngineOptions, FlowEvent, InputError } from '../../../shared/flow/engine'
import type { ContactNode, Flow, FlowNode } from '../../../shared/flow/schema'
import type { LeadInput, LeadSource } from '../../../shared/schemas/lead'
import type { Locale, PublicSiteConfig } from '../../../shared/schemas/site-config'
import { isRetryableRefusal, newLeadId, sendLead } from '../core/api'
import type { Fetch, SendLeadResult } from '../core/api'
import { Consent } from '../callback-form/consent'
// The form's phone module, statically: the chat is a lazy chunk of its own, and both share it.
import * as phoneLib from '../callback-form/phone'
import { describeResult } from '../callback-form/rules'
import type { Field, FieldErrors } from '../callback-form/rules'
import { CONTACT_INPUTS, TextField } from '../view/field'
import type { Strings } from '../view/i18n'
import { collectContext } from '../core/lead-context'
import { PhoneField } from '../view/phone-field'
import { CHAT_STRINGS, applyEvent, buildChatLead, loadSession, newSession, saveSession, sessionKey, transcriptOf, visibleMessages } from './rules'
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
  /** The callback form's texts in `locale`: the contact step asks and complains alike. */
  form: Strings
  site: string
  /** Worker origin, no trailing slash. */
  endpoint: string
  /** For national phone numbers (`8 912 …`); the site config's `country`. */
  country?: string | undefined
  /** Listed in the phone's country picker after `country`: the site's likely countries. */
  countries?: readonly string[] | undefined
  consent?: PublicSiteConfig['consent'] | undefined
  fetch?: Fetch | undefined
  /** How to POST the lead (the widget's outbox); `sendLead(endpoint, lead, fetch)` otherwise. */
  send?: ((lead: LeadInput) => Promise<SendLeadResult>) | undefined
  /**
   * `send` keeps a lead it could not send and sends it later (the outbox): a failure is "saved",
   * with no retry to press (a new conversation would be a second lead).
   */
  queues?: boolean | undefined
  /** Where the conversation survives page changes; `sessionStorage` by default. */
  storage?: Storage | null | undefined
  /** The pause before each bot message; 0 in tests. */
  typingMs?: number | undefined
  /** The visitor chose the callback form: open it with what they already told the bot. */
  onHandoff(prefill: HandoffPrefill): void
  onLead(lead: ChatLead, result: Extract<SendLeadResult, { kind: 'accepted' }>): void
  /**
   * Tells the chat about every lead the widget got accepted, so after "call me instead" it can end
   * on "sent" once the callback form's lead is in. Returns the unsubscribe function.
   */
  watchLeads?: ((listener: (lead: { source: LeadSource }) => void) => () => void) | undefined
}

type Delivery = { kind: 'idle' } | { kind: 'sending' } | { kind: 'sent' } | { kind: 'queued' } | { kind: 'failed'; message: string; retry: boolean }

/** What the visitor typed at the contact step, to fill it again when the worker refuses it. */
interface ContactValues {
  phone: string
  email: string
  name: string
}

/** The contact step as the visitor last sent it: its values and whether they ticked the consent. */
interface TypedContact {
  values: ContactValues
  consent: boolean
}

/** The fields the contact step shows, for placing the worker's errors. */
function contactFields(node: ContactNode, consent: boolean): Field[] {
  const fields: Field[] = []
  if (node.channels.includes('phone')) fields.push('phone')
  if (node.channels.includes('email')) fields.push('email')
  if (node.name) fields.push('name')
  if (consent) fields.push('consent')
  return fields
}

/** The engine's complaint about a contact, as the callback form words it, at its field. */
function contactError(problem: InputError, node: ContactNode, form: Strings, strings: ChatStrings): FieldErrors {
  const phone = node.channels.includes('phone')
  const email = node.channels.includes('email')
  if (problem === 'email_invalid') return { email: strings.errors.email_invalid }
  if (problem === 'phone_invalid') return { phone: form.phoneInvalid }
  const message = phone && email ? form.contactMissing : phone ? form.phoneMissing : strings.errors.contact_missing
  return phone ? { phone: message } : { email: message }
}

function defaultStorage(): Storage | null {
  try {
    return sessionStorage
  } catch {
    return null
  }
}

const now = () => new Date().toISOString()

export function ChatView(props: ChatViewProps) {
  const { flow, locale, form, site, endpoint, consent, typingMs = 700, onHandoff, onLead } = props
  const strings = CHAT_STRINGS[locale]
  const storage = useMemo(() => (props.storage === undefined ? defaultStorage() : props.storage), [props.storage])
  const key = sessionKey(site, flow)
  const [country, setCountry] = useState(props.country ?? 'RU')
  // The site's phone metadata: once it is here, the contact step's picker and formatting follow.
  const [, setPhoneReady] = useState(false)
  useEffect(() => {
    void phoneLib.loadPhoneMetadata(endpoint, site, props.fetch ?? fetch).then(() => setPhoneReady(true))
  }, [])
  // The callback form's rule: `possible` (length) with the site's metadata; the worker checks validity.
  const options: EngineOptions = useMemo(() => ({ locale, checkPhone: (raw) => phoneLib.possibleNumber(raw, country) }), [locale, country])
  const restored = useMemo(() => loadSession(storage, key, flow), [])
  const [session, setSession] = useState<ChatSession>(() => restored ?? newSession(flow, options, now()))
  const messages = visibleMessages(session)
  // A restored conversation appears at once; new bot messages one by one after a typing pause.
  const [shown, setShown] = useState(restored ? messages.length : 0)
  const [delivery, setDelivery] = useState<Delivery>(session.sent ? { kind: 'sent' } : { kind: 'idle' })
  const [contactErrors, setContactErrors] = useState<FieldErrors>({})
  const typed = useRef<TypedContact | null>(null)
  const pending = useRef<ChatLead | null>(null)
  const handedOff = useRef(session.state.status === 'handoff')
  const inputArea = useRef<HTMLDivElement>(null)
  const log = useRef<HTMLDivElement>(null)
  const { state } = session
  const total = messages.length
  const typing = shown < total
  const consentText = consent?.required ? consent.text : undefined

  useEffect(() => saveSession(storage, key, session), [session])

  useEffect(() => {
    if (shown >= total) return
    if (messages[shown]?.from === 'visitor' || typingMs <= 0) {
      setShown(shown + 1)
      return
    }
    const timer = setTimeout(() => setShown(shown + 1), typingMs)
    return () => clearTimeout(timer)
  }, [shown, total])

  const handoff = () =>
    onHandoff({
      // The message says the answers as the visitor saw them, not by their codes.
      ...handoffPrefill(state, answerLabels(flow, state.answers, locale, state.path)),
      answers: { ...state.answers },
      transcript: transcriptOf(session),
    })

  useEffect(() => {
    if (typing || state.status !== 'handoff' || handedOff.current) return
    handedOff.current = true
    handoff()
  }, [typing, state.status])

  // After "call me instead" the callback form sends the lead; the chat ends on "sent" once it is in.
  useEffect(() => {
    if (state.status !== 'handoff' || session.sent || !props.watchLeads) return
    return props.watchLeads((lead) => {
      if (lead.source === 'callback') setSession((current) => ({ ...current, sent: true }))
    })
  }, [state.status, session.sent])

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
    const result = props.send ? await props.send(lead) : await sendLead(endpoint, lead, props.fetch ?? fetch)
    if (result.kind === 'accepted') {
      // The worker's reply (by its hours, in the visitor's language) replaces the flow's own promise.
      setSession((current) => ({
        ...current,
        sent: true,
        reply: result.body.reply.text,
        contactStep: null,
      }))
      setDelivery({ kind: 'sent' })
      onLead(lead, result)
      return
    }
    if (result.kind === 'failed' && props.queues) {
      setDelivery({ kind: 'queued' })
      return
    }
    if (result.kind === 'failed') {
      setDelivery({
        kind: 'failed',
        message: result.status === 0 ? strings.offline : strings.failed,
        retry: true,
      })
      return
    }
    if (isRetryableRefusal(result)) {
      // "Too many requests": the worker's own words ("try again in a minute"), and the button.
      setDelivery({ kind: 'failed', message: result.error?.message ?? strings.failed, retry: true })
      return
    }
    const step = session.contactStep
    const stepNode = step && findNode(flow, step.at)
    const fields = stepNode?.type === 'contact' ? describeResult(result, form, contactFields(stepNode, consentText !== undefined)).fields : {}
    if (step && Object.keys(fields).length > 0) {
      // The worker refused the phone (or another contact field): back to the contact step with
      // its message at the field and what the visitor typed, not a dead end. A new lead follows.
      pending.current = null
      setContactErrors(fields)
      setShown(step.messages.length)
      setSession((current) => ({ ...current, state: step, contactStep: null, leadId: null }))
      setDelivery({ kind: 'idle' })
      return
    }
    // Refused for something the visitor cannot fix here: resending cannot help; calling can.
    setDelivery({ kind: 'failed', message: result.error?.message ?? strings.failed, retry: false })
  }

  useEffect(() => {
    if (!typing && state.status === 'ended' && !session.sent && delivery.kind === 'idle') void send()
  }, [typing, state.status])

  // Each new question takes focus, so keyboard users answer without hunting for the controls; a
  // contact step the worker sent back focuses the field it complained about.
  const inputKey = `${state.at}:${total}:${typing}`
  useEffect(() => {
    if (typing || state.status !== 'waiting') return
    const area = inputArea.current
    ;(area?.querySelector<HTMLElement>('[aria-invalid=true]') ?? area?.querySelector<HTMLElement>('input,button'))?.focus()
  }, [inputKey])

  const dispatch = (event: FlowEvent) => setSession((current) => applyEvent(flow, current, event, options, now()))

  const submitContact = (node: ContactNode, values: ContactValues, consentGiven: boolean) => {
    typed.current = { values, consent: consentGiven }
    // International, as the form sends it: the worker must not read it with the site's country
    // when the visitor picked another one.
    const e164 = values.phone.trim() ? phoneLib.possibleNumber(values.phone, country) : null
    const phone = e164 ? phoneLib.formatPhone(e164, country) : values.phone
    const next = applyEvent(flow, session, { type: 'contact', ...values, phone }, options, now())
    const errors: FieldErrors = next.state.error ? contactError(next.state.error, node, form, strings) : {}
    if (consentText !== undefined && !consentGiven) errors.consent = form.consentMissing
    setContactErrors(errors)
    const invalid = Object.keys(errors)[0]
    if (invalid) {
      inputArea.current?.querySelector<HTMLElement>(`[name=${invalid}]`)?.focus()
      return
    }
    // The step before the contact is kept, for going back to it when the worker refuses the phone.
    setSession({ ...next, contactStep: session.state })
  }

  const restart = () => {
    saveSession(storage, key, null)
    const fresh = newSession(flow, options, now())
    pending.current = null
    typed.current = null
    handedOff.current = false
    setContactErrors({})
    setDelivery({ kind: 'idle' })
    setShown(0)
    setSession(fresh)
  }

  const node = findNode(flow, state.at)
  const waiting = !typing && state.status === 'waiting' && node !== undefined
  const error = waiting && state.error && node?.type !== 'contact' ? strings.errors[state.error] : ''

  // Keep the newest message in view as the conversation grows past the log's height.
  useEffect(() => {
    const element = log.current
    if (element) element.scrollTop = element.scrollHeight
  }, [shown, typing, delivery.kind, state.status, session.sent])

  return (
    <div class="chat" lang={locale}>
      <div ref={log} class="chat-log" role="log" aria-live="polite" aria-relevant="additions">
        {messages.slice(0, shown).map((message, i) => (
          <p key={i} class={`msg ${message.from}`}>
            {message.text}
          </p>
        ))}
        {!typing && state.status === 'broken' && <p class="msg bot">{strings.broken}</p>}
        {!typing && delivery.kind === 'sent' && <p class="msg note">{strings.sent}</p>}
        {!typing && delivery.kind === 'queued' && <p class="msg note">{strings.queued}</p>}
        {!typing && delivery.kind === 'failed' && <p class="msg note error">{delivery.message}</p>}
        {!typing && state.status === 'handoff' && <p class="msg note">{session.sent ? strings.sent : strings.handoff}</p>}
      </div>
      {typing && (
        <p class="typing" aria-hidden="true" title={strings.typing}>
          <span />
          <span />
          <span />
        </p>
      )}
      <div ref={inputArea} class="chat-input">
        {waiting && node?.type === 'contact' && (
          <ContactStep
            key={inputKey}
            node={node}
            locale={locale}
            strings={strings}
            form={form}
            consentText={consentText}
            country={country}
            onCountry={setCountry}
            countries={[props.country ?? 'RU', ...(props.countries ?? [])]}
            errors={contactErrors}
            onErrors={setContactErrors}
            typed={typed.current}
            onSubmit={(values, consentGiven) => submitContact(node, values, consentGiven)}
          />
        )}
        {waiting && node && node.type !== 'contact' && <NodeInput key={inputKey} node={node} locale={locale} strings={strings} onEvent={dispatch} />}
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
        {!typing && state.status === 'handoff' && !session.sent && (
          <button type="button" class="submit" onClick={handoff}>
            {strings.openForm}
          </button>
        )}
      </div>
      <div class="chat-actions">
        {state.status !== 'handoff' && delivery.kind !== 'sent' && delivery.kind !== 'queued' && (
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
  onEvent(event: FlowEvent): void
}

function NodeInput({ node, locale, strings, onEvent }: NodeInputProps) {
  const question = node.type === 'ask' || node.type === 'faq' ? localize(node.text, locale) : ''
  const text = (form: HTMLFormElement, name: string) => String(new FormData(form).get(name) ?? '')

  if (node.type === 'ask' && node.input === 'buttons') {
    return (
      <div class="replies" role="group" aria-label={question}>
        {(node.options ?? []).map((option) => (
          <button key={option.value} type="button" class="reply" onClick={() => onEvent({ type: 'answer', value: option.value })}>
            {localize(option.label, locale)}
          </button>
        ))}
      </div>
    )
  }

  if (node.type === 'ask' && node.input === 'multi') {
    const onSubmit = (event: SubmitEvent) => {
      event.preventDefault()
      const values = new FormData(event.currentTarget as HTMLFormElement).getAll('choice').map(String)
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
    const placeholder = node.type === 'ask' && node.placeholder ? localize(node.placeholder, locale) : undefined
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
  return null
}

interface ContactStepProps {
  node: ContactNode
  locale: Locale
  strings: ChatStrings
  form: Strings
  consentText: string | undefined
  country: string
  onCountry(code: string): void
  countries: readonly string[]
  errors: FieldErrors
  onErrors(errors: FieldErrors): void
  /** What the visitor sent last time, when the worker sent the step back. */
  typed: TypedContact | null
  onSubmit(values: ContactValues, consent: boolean): void
}

/** The contact step: the callback form's phone field, consent box and messages, in the chat. */
function ContactStep(props: ContactStepProps) {
  const { node, strings, form, consentText, errors, onErrors, typed } = props
  const values = typed?.values
  const onSubmit = (event: SubmitEvent) => {
    event.preventDefault()
    const data = new FormData(event.currentTarget as HTMLFormElement)
    const text = (name: string) => String(data.get(name) ?? '')
    props.onSubmit({ phone: text('phone'), email: text('email'), name: text('name') }, data.has('consent'))
  }
  // Typing in a field clears its complaint, as in the form.
  const onInput = (event: Event) => {
    const name = (event.target as HTMLInputElement).name as Field
    if (errors[name]) onErrors({ ...errors, [name]: undefined })
  }
  return (
    <form class="contact" noValidate onSubmit={onSubmit} onInput={onInput}>
      {node.channels.includes('phone') && (
        <PhoneField
          id="lc-chat-phone"
          label={strings.phone}
          strings={form}
          locale={props.locale}
          lib={phoneLib}
          country={props.country}
          onCountry={props.onCountry}
          countries={props.countries}
          error={errors.phone}
          onInvalid={(message) => onErrors({ ...errors, phone: message })}
          defaultValue={values?.phone}
        />
      )}
      {node.channels.includes('email') && <TextField id="lc-chat-email" label={strings.email} {...CONTACT_INPUTS.email} error={errors.email} defaultValue={values?.email} />}
      {node.name && <TextField id="lc-chat-name" label={strings.name} {...CONTACT_INPUTS.name} error={errors.name} defaultValue={values?.name} />}
      {consentText !== undefined && (
        <>
          <Consent
            id="lc-chat-consent"
            text={consentText}
            strings={form}
            ticked={typed?.consent}
            invalid={errors.consent ? { 'aria-invalid': true, 'aria-describedby': 'lc-chat-consent-error' } : { 'aria-invalid': false }}
          />
          {errors.consent && (
            <p id="lc-chat-consent-error" class="error">
              {errors.consent}
            </p>
          )}
        </>
      )}
      <button type="submit" class="submit">
        {strings.send}
      </button>
    </form>
  )
}
