// The callback request form: phone with country and as-you-type formatting, optional name,
// consent when the site requires it, and working hours (a promise inside them, slots outside).
import type { LeadInput } from '../../../shared/schemas/lead'
import type { PublicSiteConfig } from '../../../shared/schemas/site-config'
import type { Hours } from '../../../shared/schemas/widget-settings'
import { isOpen, nextSlots } from '../../../shared/hours'
import { useLayoutEffect, useRef, useState } from 'preact/hooks'
import { newLeadId } from '../core/api'
import type { SendLeadResult } from '../core/api'
import type { Strings } from '../view/i18n'
import { collectContext } from '../core/lead-context'
import type { LeadContextInput } from '../core/lead-context'
import { CONTACT_INPUTS, TextField } from '../view/field'
import { PhoneField, usePhoneLib } from '../view/phone-field'
import type { PhoneLib } from '../view/phone-field'
import { Consent } from './consent'
import { Countdown } from './countdown'
import type { FollowCall } from './countdown'
import { NO_FEEDBACK, buildCallbackLead, checkCallback, describeResult } from './rules'
import type { CallbackPrefill, CallbackValues, Feedback, Field } from './rules'

export type { PhoneLib }

export interface CallbackFormProps {
  site: string
  strings: Strings
  /** For slot labels: the visitor's language. */
  locale: string
  consent: PublicSiteConfig['consent']
  /** Default of the country picker (the site config's country). */
  country?: string
  /** Listed in the picker after `country`: the site's likely countries. */
  countries?: readonly string[] | undefined
  hours?: Hours | null | undefined
  send(lead: LeadInput): Promise<SendLeadResult>
  onAccepted(lead: LeadInput): void
  /** A failed send is kept in the outbox: tell the visitor it is saved, not that it failed. */
  queues?: boolean
  /** Loads the phone chunk; without it the field is plain text (tests, tiny previews). */
  loadPhone?: (() => Promise<PhoneLib>) | undefined
  context?: () => LeadContextInput
  /** From the chat's "call me instead": starts the fields, and the lead carries its answers. */
  prefill?: CallbackPrefill | undefined
  /** Auto-dial: follows a lead's call for the countdown (mount.tsx, a lazy chunk). */
  followCall?: ((leadId: string) => FollowCall) | undefined
  /** Whether the dialog is open (it stays mounted while closed): the countdown polls only then. */
  visible?: boolean
}

function readValues(form: HTMLFormElement): CallbackValues {
  const data = new FormData(form)
  const text = (name: string) => String(data.get(name) ?? '')
  return {
    phone: text('phone'),
    name: text('name'),
    consent: data.has('consent'),
    hp: text('website'),
    callbackAt: text('callbackAt'),
  }
}

export function CallbackForm(props: CallbackFormProps) {
  const { site, strings, locale, consent, hours, send, onAccepted, queues, loadPhone } = props
  const [feedback, setFeedback] = useState<Feedback>(NO_FEEDBACK)
  const [sending, setSending] = useState(false)
  const phoneLib = usePhoneLib(loadPhone)
  const [country, setCountry] = useState(props.country ?? 'RU')
  const [countdown, setCountdown] = useState<number | null>(null)
  const [follow, setFollow] = useState<FollowCall | undefined>(undefined)
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
  const shown: Field[] = consentText === undefined ? ['phone', 'name'] : ['phone', 'name', 'consent']
  // Read once per render: the form is short-lived, and a re-render refreshes it.
  const now = new Date()
  const open = !hours || isOpen(hours.week, hours.timezone, now)
  const slots = open || !hours ? [] : nextSlots(hours.week, hours.timezone, now)
  const possible = phoneLib ? (value: string) => phoneLib.possibleNumber(value, country) : undefined

  // The form goes away on success; focus follows the reply so Escape and Tab keep working.
  useLayoutEffect(() => {
    if (feedback.accepted) reply.current?.focus()
  }, [feedback.accepted])

  const onSubmit = async (event: SubmitEvent) => {
    event.preventDefault()
    if (busy.current) return
    const form = event.currentTarget as HTMLFormElement
    const values = readValues(form)
    const fields = checkCallback(values, consentText !== undefined, strings, possible)
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
      context: (props.context ?? collectContext)(),
      elapsedMs: Date.now() - shownAt.current,
      possible,
      prefill: props.prefill,
    }))
    busy.current = true
    setSending(true)
    setFeedback(NO_FEEDBACK)
    const result = await send(lead)
    const next = describeResult(result, strings, shown, queues)
    busy.current = false
    setSending(false)
    setFeedback(next)
    if (result.kind === 'accepted') {
      onAccepted(lead)
      // The server says a call is on its way (auto-dial): the countdown follows it.
      if (result.body.call && props.followCall) {
        // A function in state must be wrapped, or Preact would call it as an updater.
        setFollow(() => props.followCall!(lead.id))
        setCountdown(hours?.callWithinSeconds ?? 30)
      } else if (open && hours && !lead.callbackAt) setCountdown(hours.callWithinSeconds)
    }
    const invalid = Object.keys(next.fields)[0]
    if (invalid) form.querySelector<HTMLElement>(`[name=${invalid}]`)?.focus()
  }

  const onInput = (event: Event) => {
    pending.current = null
    const name = (event.target as HTMLInputElement).name as Field
    if (feedback.fields[name]) setFeedback({ ...feedback, fields: { ...feedback.fields, [name]: undefined } })
  }

  const error = (field: Field) => {
    const message = feedback.fields[field]
    return message ? (
      <p id={`lc-${field}-error`} class="error">
        {message}
      </p>
    ) : null
  }
  const invalidProps = (field: Field) => (feedback.fields[field] ? { 'aria-invalid': true, 'aria-describedby': `lc-${field}-error` } : { 'aria-invalid': false })
  const slotLabel = new Intl.DateTimeFormat(locale, {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
  })

  return (
    <>
      {!feedback.accepted && (
        <form noValidate onSubmit={onSubmit} onInput={onInput}>
          <PhoneField
            id="lc-phone"
            label={strings.phone}
            strings={strings}
            locale={locale}
            lib={phoneLib}
            country={country}
            onCountry={setCountry}
            countries={[props.country ?? 'RU', ...(props.countries ?? [])]}
            required
            onInvalid={(message) =>
              setFeedback((current) => ({
                ...current,
                fields: { ...current.fields, phone: message },
              }))
            }
            defaultValue={props.prefill?.phone}
            error={feedback.fields.phone}
          />
          <TextField id="lc-name" label={strings.name} {...CONTACT_INPUTS.name} defaultValue={props.prefill?.name} error={feedback.fields.name} />
          {!open && slots.length === 0 && <p class="note">{strings.closed}</p>}
          {!open && slots.length > 0 && (
            <>
              <p class="note">{strings.offHours}</p>
              <label for="lc-slot">{strings.slot}</label>
              <select id="lc-slot" class="field" name="callbackAt">
                {slots.map((slot) => (
                  <option key={slot.toISOString()} value={slot.toISOString()}>
                    {slotLabel.format(slot)}
                  </option>
                ))}
              </select>
            </>
          )}
          {consentText !== undefined && (
            <>
              <Consent text={consentText} strings={strings} invalid={invalidProps('consent')} />
              {error('consent')}
            </>
          )}
          <div class="hp" aria-hidden="true">
            <label for="lc-hp">{strings.honeypot}</label>
            <input id="lc-hp" name="website" tabIndex={-1} autocomplete="off" />
          </div>
          {open && hours && <p class="note">{strings.callWithin(hours.callWithinSeconds)}</p>}
          <button class="submit" type="submit" disabled={sending}>
            {sending ? strings.sending : strings.submit}
          </button>
        </form>
      )}
      <p ref={reply} class="live" aria-live="polite" tabIndex={-1}>
        {feedback.message}
      </p>
      {countdown !== null && <Countdown seconds={countdown} strings={strings} follow={follow} active={props.visible ?? true} />}
    </>
  )
}
