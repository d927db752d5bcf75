// Picks the adapter for a target type, lists the URLs a target calls (for the SSRF guard) and
// redacts its secrets for admin reads.
import type { Target } from '../../../../shared/schemas/site-config'
import { redactAmoCrm } from '../../../../shared/schemas/targets/amocrm'
import { redactEmailProvider, redactSmsProvider } from '../../../../shared/schemas/targets/auto-reply'
import { redactBitrix24 } from '../../../../shared/schemas/targets/bitrix24'
import { redactHubSpot } from '../../../../shared/schemas/targets/hubspot'
import { redactTelegram } from '../../../../shared/schemas/targets/telegram'
import { redactTelephony } from '../../../../shared/schemas/targets/telephony'
import { maskSecret } from '../../../../shared/schemas/redacted'
import { sendAutoReplyEmail, sendAutoReplySms } from '../../auto-reply/send-auto-reply'
import { forwardToAmoCrm } from './amocrm'
import { forwardToBitrix24 } from './bitrix24'
import { forwardToHubSpot } from './hubspot'
import { notifyTelegram } from './telegram'
import type { AdapterContext, AdapterResult, DeliveryEvent, DeliveryGuarantee } from './types'
import { sendWebhook } from './webhook'

export async function forwardToTarget(target: Target, event: DeliveryEvent, ctx: AdapterContext): Promise<AdapterResult> {
  // Status changes are made only for webhook targets; a CRM or a chat is never sent one, even by
  // a replay after the site's targets were edited.
  if (event.type === 'lead.status_changed' && target.type !== 'webhook') {
    return { outcome: 'delivered', httpStatus: null, skipped: true, note: `${target.type}: lead.status_changed not forwarded` }
  }
  switch (target.type) {
    case 'webhook':
      return sendWebhook(target, event, ctx)
    case 'bitrix24':
      return forwardToBitrix24(target, event, ctx)
    case 'amocrm':
      return forwardToAmoCrm(target, event, ctx)
    case 'hubspot':
      return forwardToHubSpot(target, event, ctx)
    case 'telegram':
      return notifyTelegram(target, event, ctx)
    case 'autoreply-email':
      return sendAutoReplyEmail(target, event, ctx)
    case 'autoreply-sms':
      return sendAutoReplySms(target, event, ctx)
    case 'zadarma':
    case 'uis':
    case 'mango':
    case 'twilio':
      // attemptDelivery hands telephony targets to the call flow (telephony/attempt-call.ts).
      return { outcome: 'failed', httpStatus: null, error: `${target.type}: calls are placed by the call flow` }
  }
}

/**
 * How a target is retried after an unclear outcome. Leads to CRMs and managers are at-least-once:
 * webhooks carry a stable `webhook-id`, Bitrix24 is looked up by ORIGIN_ID before `crm.lead.add`,
 * and a duplicate card or amoCRM entry costs less than a lead nobody sees. Auto-replies go to the
 * visitor: only Resend takes an idempotency key (`lead/<id>`, 24 h); Postmark, Unisender Go, the
 * Cloudflare binding, SMS.ru and Twilio have none, so they are at-most-once.
 */
export function deliveryGuarantee(target: Target): DeliveryGuarantee {
  switch (target.type) {
    case 'autoreply-email':
      return target.provider.name === 'resend' || target.provider.name === 'dev' ? 'at-least-once' : 'at-most-once'
    case 'autoreply-sms':
      return target.provider.name === 'dev' ? 'at-least-once' : 'at-most-once'
    // No telephony API takes an idempotency key, and a second call rings a person twice.
    case 'zadarma':
    case 'uis':
    case 'mango':
    case 'twilio':
      return 'at-most-once'
    default:
      return 'at-least-once'
  }
}

/** The provider's name for messages about at-most-once sends. */
export function providerLabel(target: Target): string {
  const names: Record<string, string> = {
    postmark: 'Postmark',
    unisender: 'Unisender Go',
    cloudflare: 'Cloudflare Email',
    smsru: 'SMS.ru',
    twilio: 'Twilio',
    zadarma: 'Zadarma',
    uis: 'UIS',
    mango: 'Mango Office',
  }
  return 'provider' in target ? (names[target.provider.name] ?? target.provider.name) : (names[target.type] ?? target.type)
}

/**
 * URLs a customer typed that the worker will call: each goes through `isPrivateTarget`. Vendor
 * endpoints (Telegram, HubSpot, Resend…) are fixed in code; amoCRM hosts are pinned by the schema.
 */
export function customerUrls(target: Target): { path: string; url: string }[] {
  switch (target.type) {
    case 'webhook':
      return [{ path: 'url', url: target.url }]
    case 'bitrix24':
      return [{ path: 'webhookUrl', url: target.webhookUrl }]
    case 'amocrm':
      return [{ path: 'baseUrl', url: target.baseUrl }]
    case 'hubspot':
      return []
    case 'telegram':
      return target.apiUrl ? [{ path: 'apiUrl', url: target.apiUrl }] : []
    case 'autoreply-email':
    case 'autoreply-sms':
      return target.provider.name === 'dev' ? [{ path: 'provider.url', url: target.provider.url }] : []
    case 'zadarma':
    case 'uis':
    case 'mango':
    case 'twilio': {
      // The missed-call SMS goes out from the server too: its dev provider's URL is customer-entered.
      const sms = target.missedSms?.provider
      return [...(target.apiBase ? [{ path: 'apiBase', url: target.apiBase }] : []), ...(sms?.name === 'dev' ? [{ path: 'missedSms.provider.url', url: sms.url }] : [])]
    }
  }
}

/** Secrets are write-only: reads show that one is set and its last characters. */
export function redactTarget(target: Target): Target {
  switch (target.type) {
    case 'webhook':
      return { ...target, secret: `whsec_${maskSecret(target.secret)}` }
    case 'bitrix24':
      return redactBitrix24(target)
    case 'amocrm':
      return redactAmoCrm(target)
    case 'hubspot':
      return redactHubSpot(target)
    case 'telegram':
      return redactTelegram(target)
    case 'autoreply-email':
      return { ...target, provider: redactEmailProvider(target.provider) }
    case 'autoreply-sms':
      return { ...target, provider: redactSmsProvider(target.provider) }
    case 'zadarma':
    case 'uis':
    case 'mango':
    case 'twilio':
      return redactTelephony(target)
  }
}
