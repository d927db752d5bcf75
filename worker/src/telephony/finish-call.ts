// The end of a call nobody completed: when no manager answered, the lead escalates now (the SLA's
// next round, instead of waiting for its timer) and the visitor may get an SMS; when the visitor
// did not pick up, only the SMS ("we couldn't reach you, we'll call again").
import type { TelephonyTarget } from '../../../shared/schemas/targets/telephony'
import { sendSms } from '../auto-reply/sms-providers'
import { adapterContext } from '../delivery/adapters/adapter-context'
import type { Deps } from '../deps'
import type { LeadPayload } from '../model/lead'
import { checkSla } from '../lead-routing/check-sla'
import type { CallRecord } from './call-store'
import { recordCallOutcome } from './record-outcome'

const MISSED_TEXT = {
  ru: 'Не смогли до вас дозвониться. Перезвоним ещё раз в ближайшее время.',
  en: "We couldn't reach you. We'll call you again shortly.",
}

export async function sendMissedSms(deps: Deps, call: Pick<CallRecord, 'deliveryId'>, target: TelephonyTarget, lead: LeadPayload): Promise<void> {
  const sms = target.missedSms
  const to = lead.contact.phone
  if (!sms || !to) return
  const locale = lead.locale === 'en' ? 'en' : 'ru'
  // Sent once, from here only: an SMS has no idempotency key, so a failure is logged, not retried.
  const result = await sendSms(
    sms.provider,
    { to, text: sms.text[locale] ?? sms.text.ru ?? sms.text.en ?? MISSED_TEXT[locale], idempotencyKey: `call/${call.deliveryId}` },
    adapterContext(deps),
  ).catch((error: unknown) => ({ outcome: 'failed' as const, httpStatus: null, error: String(error) }))
  const detail = result.outcome === 'delivered' ? 'sent' : `not sent: ${result.error}`
  await deps.calls.setState(call.deliveryId, 'missed', null, { kind: 'sms', detail }, deps.now()).catch((e: unknown) => console.error('call sms not recorded', e))
}

export async function giveUpOnCall(deps: Deps, call: CallRecord, target: TelephonyTarget, lead: LeadPayload, state: 'missed' | 'failed', reason: string): Promise<void> {
  const now = deps.now()
  await deps.calls.setState(call.deliveryId, state, reason, { kind: state, detail: reason }, now)
  if (state !== 'missed') return
  await recordCallOutcome(
    deps,
    lead.id,
    null,
    'nobody_answered',
    call.legs.map((l) => l.managerId),
  )
  const current = await deps.leads.findLead(lead.id)
  if (current && !current.takenBy) {
    // The SLA's next round, now: nobody picked up the phone, so nobody is on this lead.
    await checkSla(deps, { leadId: lead.id, round: current.payload.escalations ?? 0, dueAt: now }).catch((error: unknown) =>
      console.error('call escalation failed', lead.id, error),
    )
  }
  await sendMissedSms(deps, call, target, lead)
}
