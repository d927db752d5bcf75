// The simulator: plays a checked draft flow with the shared engine (shared/flow/engine.ts) in the
// widget's own words (CHAT_STRINGS), with the same inputs per node, "call me instead" and start
// over, and ends on the lead's score as the server computes it (shared/score.ts with the site's
// rules, plus the flow's points), its reasons, and the flow's variables.
import { useEffect, useMemo, useRef, useState } from 'preact/hooks'
import { findNode, localize, startFlow, stepFlow } from '../../../../shared/flow/engine'
import type { FlowEvent, FlowReason, FlowState, Locale } from '../../../../shared/flow/engine'
import { withFlowScore } from '../../../../shared/flow/replay'
import type { Flow, FlowNode } from '../../../../shared/flow/schema'
import { DEFAULT_SCORING, scoreLead } from '../../../../shared/score'
import type { ScoreResult, ScoringRules } from '../../../../shared/score'
import { CHAT_STRINGS } from '../../../src/chat/rules'
import type { ChatStrings } from '../../../src/chat/rules'
import { ScoreReasons } from '../lead-card/score-reasons'
import { TemperatureBadge } from '../ui'
import { useChatbotStrings } from './strings'

export interface SimulatorProps {
  flow: Flow
  /** The chat's language at first; the simulator can switch it. */
  locale: Locale
  /** The site's scoring rules (shared/scoring-rules.ts), for the lead's score at the end. */
  rules?: ScoringRules
}

/**
 * The score the server gives the chat lead of a finished conversation (worker/src/pipeline/
 * ingest-lead.ts): the base rules on the contact and the answers (variables as `var.<name>`, as
 * the widget sends them), plus the flow's points. A first visit of one page, no spam.
 */
export function simulatedLeadScore(state: FlowState, rules: ScoringRules = DEFAULT_SCORING): ScoreResult {
  const answers: Record<string, string | number | boolean | string[]> = { ...state.answers }
  for (const [name, value] of Object.entries(state.vars)) answers[`var.${name}`] = value
  return withFlowScore(scoreLead({ source: 'chat', contact: state.contact, answers }, rules), state, rules)
}

const reasonText = (reason: FlowReason, locale: Locale) => reason.texts?.[locale] ?? reason.text

const shown = (value: unknown) => (Array.isArray(value) ? value.join(', ') : typeof value === 'string' ? value : JSON.stringify(value))

export function Simulator({ flow, locale: initial, rules = DEFAULT_SCORING }: SimulatorProps) {
  const s = useChatbotStrings()
  const [locale, setLocale] = useState<Locale>(initial)
  const [state, setState] = useState<FlowState>(() => startFlow(flow, { locale }))
  const log = useRef<HTMLOListElement>(null)
  const strings = CHAT_STRINGS[locale]

  const restart = (next: Locale = locale) => setState(startFlow(flow, { locale: next }))
  const dispatch = (event: FlowEvent) => setState((current) => stepFlow(flow, current, event, { locale }))

  // The newest message in view, as in the chat.
  useEffect(() => {
    const list = log.current
    if (list) list.scrollTop = list.scrollHeight
  }, [state.messages.length])

  const node = state.status === 'waiting' ? findNode(flow, state.at) : undefined
  const finished = state.status !== 'waiting'
  return (
    <section class="card-section simulator" aria-labelledby="simulator-title">
      <h2 id="simulator-title">{s.simulatorTitle}</h2>
      <div class="simulator-bar">
        <label>
          {s.simulatorLanguage}{' '}
          <select
            value={locale}
            onChange={(e) => {
              const next = e.currentTarget.value === 'en' ? 'en' : 'ru'
              setLocale(next)
              restart(next)
            }}
          >
            <option value="ru">Русский</option>
            <option value="en">English</option>
          </select>
        </label>
        <button type="button" class="secondary" onClick={() => restart()}>
          {s.restart}
        </button>
      </div>
      <div class="sim-chat" lang={locale}>
        {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling log must take focus to scroll by keyboard */}
        <ol ref={log} class="sim-log" aria-live="polite" aria-label={strings.title} tabIndex={0}>
          {state.messages.map((message, i) => (
            <li key={i} class={`sim-msg ${message.from}`}>
              {message.text}
            </li>
          ))}
          {state.status === 'handoff' && <li class="sim-msg note">{strings.handoff}</li>}
          {state.status === 'broken' && <li class="sim-msg note">{strings.broken}</li>}
        </ol>
        {state.error && (
          <p class="field-error" role="alert">
            {strings.errors[state.error]}
          </p>
        )}
        {node && <NodeInput key={`${state.path.length}-${state.messages.length}`} node={node} locale={locale} strings={strings} onEvent={dispatch} />}
        {!finished && (
          <button type="button" class="link" onClick={() => dispatch({ type: 'handoff' })}>
            {strings.callMe}
          </button>
        )}
      </div>
      {finished && <SimulationResult state={state} locale={locale} rules={rules} />}
    </section>
  )
}

function SimulationResult({ state, locale, rules }: { state: FlowState; locale: Locale; rules: ScoringRules }) {
  const s = useChatbotStrings()
  const vars = Object.entries(state.vars)
  const answers = Object.entries(state.answers)
  // Only a chat that ended sends a chat lead; after the hand-off the call-back form sends its own.
  const lead = state.status === 'ended' ? simulatedLeadScore(state, rules) : null
  return (
    <div class="sim-result" role="region" aria-labelledby="sim-result-title">
      <h3 id="sim-result-title">{s.resultTitle}</h3>
      <p>{s.status[state.status]}</p>
      {state.status === 'handoff' && <p class="hint">{s.handoffScore}</p>}
      <dl>
        {lead && (
          <>
            <dt>{s.leadScore}</dt>
            <dd>
              <strong class="sim-score">{lead.score}</strong> <TemperatureBadge temperature={lead.temperature} /> <span class="hint">{s.leadScoreHint}</span>
            </dd>
            <dt>{s.reasons}</dt>
            <dd class="sim-reasons">
              <ScoreReasons lead={{ reasons: lead.reasons, flags: [] }} />
            </dd>
          </>
        )}
        <dt>{s.score}</dt>
        <dd>
          <span class="sim-flow-points">{state.score > 0 ? `+${state.score}` : state.score}</span>
          {state.reasons.length === 0 ? (
            <span class="hint"> {s.noReasons}</span>
          ) : (
            <ul class="sim-flow-reasons">
              {state.reasons.map((reason, i) => (
                <li key={i}>
                  {reason.points > 0 ? `+${reason.points}` : reason.points} {reasonText(reason, locale)} <code>{reason.rule}</code>
                </li>
              ))}
            </ul>
          )}
        </dd>
        <dt>{s.variables}</dt>
        <dd>
          {vars.length === 0 ? (
            s.noVariables
          ) : (
            <ul class="sim-vars">
              {vars.map(([name, value]) => (
                <li key={name}>
                  <code>{name}</code> = {JSON.stringify(value)}
                </li>
              ))}
            </ul>
          )}
        </dd>
        {answers.length > 0 && (
          <>
            <dt>{s.answers}</dt>
            <dd>
              <ul class="sim-answers">
                {answers.map(([key, value]) => (
                  <li key={key}>
                    <code>{key}</code>: {shown(value)}
                  </li>
                ))}
              </ul>
            </dd>
          </>
        )}
        <dt>{s.path}</dt>
        <dd class="sim-path">{state.path.join(' → ')}</dd>
      </dl>
    </div>
  )
}

interface NodeInputProps {
  node: FlowNode
  locale: Locale
  strings: ChatStrings
  onEvent(event: FlowEvent): void
}

/** The input the waiting node asks for, as the widget's chat-view.tsx offers it. */
function NodeInput({ node, locale, strings, onEvent }: NodeInputProps) {
  const question = node.type === 'ask' || node.type === 'faq' || node.type === 'contact' ? localize(node.text, locale) : ''
  const field = (form: HTMLFormElement, name: string) => String(new FormData(form).get(name) ?? '')
  const options = useMemo(() => (node.type === 'ask' ? (node.options ?? []) : []), [node])

  if (node.type === 'ask' && node.input === 'buttons') {
    return (
      <div class="sim-replies" role="group" aria-label={question}>
        {options.map((option) => (
          <button key={option.value} type="button" class="secondary" onClick={() => onEvent({ type: 'answer', value: option.value })}>
            {localize(option.label, locale)}
          </button>
        ))}
      </div>
    )
  }
  if (node.type === 'ask' && node.input === 'multi') {
    return (
      <form
        class="sim-multi"
        onSubmit={(event) => {
          event.preventDefault()
          onEvent({ type: 'answer', value: new FormData(event.currentTarget).getAll('choice').map(String) })
        }}
      >
        <fieldset>
          <legend class="sr-only">{question}</legend>
          {options.map((option) => (
            <label key={option.value} class="choice">
              <input type="checkbox" name="choice" value={option.value} /> {localize(option.label, locale)}
            </label>
          ))}
        </fieldset>
        <button type="submit">{strings.send}</button>
      </form>
    )
  }
  if (node.type === 'ask' || node.type === 'faq') {
    const placeholder = node.type === 'ask' && node.placeholder ? localize(node.placeholder, locale) : undefined
    return (
      <form
        class="sim-row"
        onSubmit={(event) => {
          event.preventDefault()
          onEvent({ type: 'answer', value: field(event.currentTarget, 'answer') })
        }}
      >
        <input
          name="answer"
          aria-label={`${strings.answer}: ${question}`}
          inputMode={node.type === 'ask' && node.input === 'number' ? 'decimal' : 'text'}
          autocomplete="off"
          maxLength={1000}
          placeholder={placeholder}
        />
        <button type="submit">{strings.send}</button>
      </form>
    )
  }
  if (node.type === 'contact') {
    return (
      <form
        class="sim-contact"
        noValidate
        onSubmit={(event) => {
          event.preventDefault()
          const form = event.currentTarget
          onEvent({ type: 'contact', phone: field(form, 'phone'), email: field(form, 'email'), name: field(form, 'name') })
        }}
      >
        {node.channels.includes('phone') && (
          <label>
            {strings.phone}
            <input name="phone" type="tel" autocomplete="off" />
          </label>
        )}
        {node.channels.includes('email') && (
          <label>
            {strings.email}
            <input name="email" type="email" autocomplete="off" />
          </label>
        )}
        {node.name && (
          <label>
            {strings.name}
            <input name="name" autocomplete="off" />
          </label>
        )}
        <button type="submit">{strings.send}</button>
      </form>
    )
  }
  return null
}
