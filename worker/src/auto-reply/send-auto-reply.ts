// Auto-reply targets as deliveries: render the site's template for the visitor and send it through
// the configured provider. Queue retries and the delivery id give them the same guarantees as CRMs.
import type { AutoReplyEmailTarget, AutoReplySmsTarget } from '../../../shared/schemas/targets/auto-reply'
import type { AdapterContext, AdapterResult, DeliveryEvent } from '../delivery/adapters/types'
import { sendEmail } from './email-providers'
import { sendSms } from './sms-providers'
import { emailTemplateFor, pickLocale, renderHtml, renderText, templateValues } from './render-template'

/** `lead/<id>`: one reply per lead, whatever retries or replays happen (Resend keeps keys 24 h). */
export function autoReplyIdempotencyKey(leadId: string): string {
  return `lead/${leadId}`
}

/** Only the visitor's own request gets a reply; escalations are internal. */
function skip(event: DeliveryEvent, what: string): AdapterResult | null {
  if (event.type === 'lead.escalated') return { outcome: 'delivered', httpStatus: null, skipped: true, note: 'no auto-reply for escalations' }
  if (what === '')
    return {
      outcome: 'delivered',
      httpStatus: null,
      skipped: true,
      note: 'the visitor left no address for this auto-reply',
    }
  return null
}

export async function sendAutoReplyEmail(target: AutoReplyEmailTarget, event: DeliveryEvent, ctx: AdapterContext): Promise<AdapterResult> {
  const to = event.lead.contact.email ?? ''
  const skipped = skip(event, to)
  if (skipped) return skipped
  // One reply per contact per dedupe window: a repeat (same phone or email) would let anyone
  // send a victim's inbox one email per form post.
  if (event.type === 'lead.repeated') return { outcome: 'delivered', httpStatus: null, skipped: true, note: 'no email auto-reply for a repeated lead' }
  const locale = pickLocale(event.lead, target.templates, target.defaultLocale)
  const template = emailTemplateFor(event.lead, target.templates[locale]!, locale)
  const values = templateValues(event.lead, target.company, locale)
  return sendEmail(
    target.provider,
    {
      from: target.from,
      ...(target.fromName && { fromName: target.fromName }),
      to,
      ...(target.replyTo && { replyTo: target.replyTo }),
      // Subjects are headers, not HTML: plain rendering, line breaks removed.
      subject: renderText(template.subject, values).replace(/[\r\n]+/g, ' '),
      text: renderText(template.text, values),
      html: renderHtml(template.text, values),
      idempotencyKey: autoReplyIdempotencyKey(event.lead.id),
    },
    ctx,
  )
}

export async function sendAutoReplySms(target: AutoReplySmsTarget, event: DeliveryEvent, ctx: AdapterContext): Promise<AdapterResult> {
  const to = event.lead.contact.phone ?? ''
  const skipped = skip(event, to)
  if (skipped) return skipped
  // SMS costs money per message and is what toll-fraud bots aim at: one per contact per dedupe
  // window is enough, so a repeat of a known phone or email gets none.
  if (event.type === 'lead.repeated') return { outcome: 'delivered', httpStatus: null, skipped: true, note: 'no SMS auto-reply for a repeated lead' }
  const locale = pickLocale(event.lead, target.templates, target.defaultLocale)
  const values = templateValues(event.lead, target.company, locale)
  return sendSms(
    target.provider,
    {
      to,
      text: renderText(target.templates[locale]!.text, values),
      idempotencyKey: autoReplyIdempotencyKey(event.lead.id),
    },
    ctx,
  )
}
