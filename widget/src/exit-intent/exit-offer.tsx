// The exit-intent offer (the site's lead magnet) with a one-field form: phone or email.
import type { LeadInput } from '../../../shared/schemas/lead'
import type { PublicSiteConfig } from '../../../shared/schemas/site-config'
import type { ExitIntentSettings } from '../../../shared/schemas/widget-settings'
import { useLayoutEffect, useRef, useState } from 'preact/hooks'
import { newLeadId } from '../core/api'
import type { SendLeadResult } from '../core/api'
import { Consent } from '../callback-form/consent'
import { TextField } from '../view/field'
import { NO_FEEDBACK, describeResult } from '../callback-form/rules'
import type { Feedback, Field } from '../callback-form/rules'
import type { Strings } from '../view/i18n'
import type { LeadContextInput } from '../core/lead-context'

export interface ExitOfferProps {
  site: string
  strings: Strings
  offer: ExitIntentSettings['offer']
  consent: PublicSiteConfig['consent']
  send(lead: LeadInput): Promise<SendLeadResult>
  onAccepted(lead: LeadInput): void
  onDismiss(): void
  queues?: boolean
  context(): LeadContextInput
}

/** An email has an @; anything else with enough digits is a phone for the worker to check. */
export function toContact(value: string): LeadInput['contact'] | null {
  const text = value.trim()
  if (/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(text)) return { email: text }
  return text.replace(/\D/g, '').length >= 5 ? { phone: text } : null
}

export function ExitOffer(props: ExitOfferProps) {
  const { site, strings, offer, consent, send, onAccepted, onDismiss, queues, context } = props
  const [feedback, setFeedback] = useState<Feedback>(NO_FEEDBACK)
  const [sending, setSending] = useState(false)
  const busy = useRef(false)
  const shownAt = useRef(Date.now())
  const pending = useRef<LeadInput | null>(null)
  const reply = useRef<HTMLParagraphElement>(null)
  const consentText = consent?.required ? consent.text : undefined

  useLayoutEffect(() => {
    if (feedback.accepted) reply.current?.focus()
  }, [feedback.accepted])

  const onSubmit = async (event: SubmitEvent) => {
    event.preventDefault()
    if (busy.current) return
    const form = event.currentTarget as HTMLFormElement
    const data = new FormData(form)
    const contact = toContact(String(data.get('contact') ?? ''))
    const given = data.has('consent')
    // The one field stands for phone and email, so both kinds of error land next to it.
    if (!contact || (consentText !== undefined && !given)) {
      const fields = !contact ? { phone: strings.contactMissing } : { consent: strings.consentMissing }
      setFeedback({ ...NO_FEEDBACK, fields })
      form.querySelector<HTMLElement>(contact ? '[name=consent]' : '[name=contact]')?.focus()
      return
    }
    const lead = (pending.current ??= {
      id: newLeadId(),
      site,
      source: 'exit_intent',
      contact,
      message: offer.title,
      context: context(),
      hp: String(data.get('website') ?? ''),
      elapsedMs: Date.now() - shownAt.current,
      ...(consentText !== undefined ? { consent: { given, text: consentText } } : {}),
    })
    busy.current = true
    setSending(true)
    const result = await send(lead)
    busy.current = false
    setSending(false)
    const next = describeResult(result, strings, ['phone', 'email', 'consent'] as Field[], queues)
    // Phone and email errors both belong to the single contact field.
    const fields = { phone: next.fields.phone ?? next.fields.email, consent: next.fields.consent }
    setFeedback({ ...next, fields })
    if (result.kind === 'accepted') onAccepted(lead)
  }

  const contactError = feedback.fields.phone
  return (
    <>
      <p class="note">{offer.text}</p>
      {!feedback.accepted && (
        <form noValidate onSubmit={onSubmit} onInput={() => (pending.current = null)}>
          <TextField
            id="lc-contact"
            label={strings.contact}
            name="contact"
            // One token per field ("tel email" is invalid, axe: autocomplete-valid). The offer is
            // something to send, so the browser offers the visitor's email; a phone types as well.
            autocomplete="email"
            maxLength={254}
            required
            error={contactError}
          />
          {consentText !== undefined && (
            <>
              <Consent
                id="lc-exit-consent"
                text={consentText}
                strings={strings}
                invalid={feedback.fields.consent ? { 'aria-invalid': true, 'aria-describedby': 'lc-exit-consent-error' } : { 'aria-invalid': false }}
              />
              {feedback.fields.consent && (
                <p id="lc-exit-consent-error" class="error">
                  {feedback.fields.consent}
                </p>
              )}
            </>
          )}
          <div class="hp" aria-hidden="true">
            <label for="lc-hp2">{strings.honeypot}</label>
            <input id="lc-hp2" name="website" tabIndex={-1} autocomplete="off" />
          </div>
          <button class="submit" type="submit" disabled={sending}>
            {sending ? strings.sending : offer.button}
          </button>
          <button class="more" type="button" onClick={onDismiss}>
            {strings.dismiss}
          </button>
        </form>
      )}
      <p ref={reply} class="live" aria-live="polite" tabIndex={-1}>
        {feedback.message}
      </p>
    </>
  )
}
