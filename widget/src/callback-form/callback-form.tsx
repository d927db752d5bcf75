// The callback request form: phone, optional name, consent when the site requires it.
import type { LeadInput } from '../../../shared/schemas/lead'
import type { PublicSiteConfig } from '../../../shared/schemas/site-config'
import { useLayoutEffect, useRef, useState } from 'preact/hooks'
import { newLeadId } from '../api'
import type { SendLeadResult } from '../api'
import type { Strings } from '../i18n'
import { collectContext } from '../lead-context'
import { NO_FEEDBACK, buildCallbackLead, checkCallback, describeResult } from './rules'
import type { CallbackValues, Feedback, Field } from './rules'

export interface CallbackFormProps {
  site: string
  strings: Strings
  consent: PublicSiteConfig['consent']
  send(lead: LeadInput): Promise<SendLeadResult>
  onAccepted(lead: LeadInput): void
}

function readValues(form: HTMLFormElement): CallbackValues {
  const data = new FormData(form)
  const text = (name: string) => String(data.get(name) ?? '')
  return {
    phone: text('phone'),
    name: text('name'),
    consent: data.has('consent'),
    hp: text('website'),
  }
}

export function CallbackForm({ site, strings, consent, send, onAccepted }: CallbackFormProps) {
  const [feedback, setFeedback] = useState<Feedback>(NO_FEEDBACK)
  const [sending, setSending] = useState(false)
  // Refs, not state: they must change synchronously, before a second click can arrive.
  const busy = useRef(false)
  const shownAt = useRef(Date.now())
  /**
   * The lead as first sent. A retry after a failure resends it byte for byte (same id, same
   * elapsedMs), so the worker sees a replay; editing any field starts a new lead with a new id.
   */
  const pending = useRef<LeadInput | null>(null)
  const reply = useRef<HTMLParagraphElement>(null)
  const consentText = consent?.required ? consent.text : undefined
  const shown: Field[] =
    consentText === undefined ? ['phone', 'name'] : ['phone', 'name', 'consent']

  // The form goes away on success; focus follows the reply so Escape and Tab keep working.
  useLayoutEffect(() => {
    if (feedback.accepted) reply.current?.focus()
  }, [feedback.accepted])

  const onSubmit = async (event: SubmitEvent) => {
    event.preventDefault()
    if (busy.current) return
    const form = event.currentTarget as HTMLFormElement
    const values = readValues(form)
    const fields = checkCallback(values, consentText !== undefined, strings)
    if (fields) {
      setFeedback({ ...NO_FEEDBACK, fields })
      form.querySelector<HTMLElement>(`[name=${Object.keys(fields)[0]}]`)?.focus()
      return
    }
    const lead = (pending.current ??= buildCallbackLead({
      id: newLeadId(),
      site,
      values,
      consentText,
      context: collectContext(),
      elapsedMs: Date.now() - shownAt.current,
    }))
    busy.current = true
    setSending(true)
    setFeedback(NO_FEEDBACK)
    const next = describeResult(await send(lead), strings, shown)
    busy.current = false
    setSending(false)
    setFeedback(next)
    if (next.accepted) onAccepted(lead)
    const invalid = Object.keys(next.fields)[0]
    if (invalid) form.querySelector<HTMLElement>(`[name=${invalid}]`)?.focus()
  }

  const onInput = (event: Event) => {
    pending.current = null
    const name = (event.target as HTMLInputElement).name as Field
    if (feedback.fields[name])
      setFeedback({ ...feedback, fields: { ...feedback.fields, [name]: undefined } })
  }

  const error = (field: Field) => {
    const message = feedback.fields[field]
    return message ? (
      <p id={`lc-${field}-error`} class="error">
        {message}
      </p>
    ) : null
  }
  const invalidProps = (field: Field) =>
    feedback.fields[field]
      ? { 'aria-invalid': true, 'aria-describedby': `lc-${field}-error` }
      : { 'aria-invalid': false }

  return (
    <>
      {!feedback.accepted && (
        <form noValidate onSubmit={onSubmit} onInput={onInput}>
          <label for="lc-phone">{strings.phone}</label>
          <input
            id="lc-phone"
            class="field"
            name="phone"
            type="tel"
            autocomplete="tel"
            inputMode="tel"
            maxLength={40}
            required
            {...invalidProps('phone')}
          />
          {error('phone')}
          <label for="lc-name">{strings.name}</label>
          <input
            id="lc-name"
            class="field"
            name="name"
            autocomplete="name"
            maxLength={200}
            {...invalidProps('name')}
          />
          {error('name')}
          {consentText !== undefined && (
            <>
              <div class="consent">
                <input
                  id="lc-consent"
                  name="consent"
                  type="checkbox"
                  required
                  {...invalidProps('consent')}
                />
                <label for="lc-consent">{consentText}</label>
              </div>
              {error('consent')}
            </>
          )}
          <div class="hp" aria-hidden="true">
            <label for="lc-hp">{strings.honeypot}</label>
            <input id="lc-hp" name="website" tabIndex={-1} autocomplete="off" />
          </div>
          <button class="submit" type="submit" disabled={sending}>
            {sending ? strings.sending : strings.submit}
          </button>
        </form>
      )}
      <p ref={reply} class="live" aria-live="polite" tabIndex={-1}>
        {feedback.message}
      </p>
    </>
  )
}
