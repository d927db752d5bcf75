// The addresses a site's CRMs and telephony providers are told to post to (issue 16: "registering
// the subscriptions … with the console link where possible"): per target, the exact URL to paste,
// the event to subscribe, and the page of the CRM where that is done when its address is known.
// Secrets stay out: a URL that carries one (amoCRM's path secret, UIS's token) shows a placeholder.
import { targetId, type SiteConfig } from '../../../shared/schemas/site-config'

export interface InboundUrl {
  targetId: string
  type: 'bitrix24' | 'amocrm' | 'hubspot' | 'zadarma' | 'uis' | 'mango' | 'twilio'
  /** What to paste; `<pathSecret>` / `<notifyToken>` stand for the target's own secret. */
  url: string
  /** The placeholder in `url` to replace with the secret set in the target, if any. */
  secretPlaceholder: string | null
  /** What to subscribe to, in the CRM's words. */
  event: string
  /** Where in the CRM or provider the subscription is made, when its address follows from the target. */
  settingsUrl: string | null
  /** The target has the `outcomes` block (its proof and statuses) that the inbound route needs. */
  ready: boolean
}

export function inboundUrls(siteId: string, config: SiteConfig, base: string): InboundUrl[] {
  const origin = base.replace(/\/+$/, '')
  const path = (kind: string, id: string) => `${origin}/v1/${kind}/${encodeURIComponent(siteId)}/${encodeURIComponent(id)}`
  return config.targets.flatMap((target, index): InboundUrl[] => {
    const id = targetId(target, index)
    switch (target.type) {
      case 'bitrix24':
        return [
          {
            targetId: id,
            type: 'bitrix24',
            url: path('inbound/bitrix24', id),
            secretPlaceholder: null,
            event: 'ONCRMLEADUPDATE',
            settingsUrl: `${new URL(target.webhookUrl).origin}/devops/`,
            ready: target.outcomes !== undefined,
          },
        ]
      case 'amocrm':
        return [
          {
            targetId: id,
            type: 'amocrm',
            url: `${path('inbound/amocrm', id)}/<pathSecret>`,
            secretPlaceholder: '<pathSecret>',
            event: 'status_lead',
            settingsUrl: `${new URL(target.baseUrl).origin}/settings/widgets/`,
            ready: target.outcomes !== undefined,
          },
        ]
      case 'hubspot':
        // The app's webhook page lives under the developer account's id, which the target does not hold.
        return [
          {
            targetId: id,
            type: 'hubspot',
            url: path('inbound/hubspot', id),
            secretPlaceholder: null,
            event: 'contact.propertyChange (lifecyclestage, hs_lead_status)',
            settingsUrl: null,
            ready: target.outcomes !== undefined,
          },
        ]
      case 'uis':
        return [
          {
            targetId: id,
            type: 'uis',
            url: `${path('telephony', id)}?token=<notifyToken>`,
            secretPlaceholder: '<notifyToken>',
            event: 'call notifications (docs/telephony.md#notifications)',
            settingsUrl: null,
            ready: true,
          },
        ]
      case 'zadarma':
        return [{ targetId: id, type: 'zadarma', url: path('telephony', id), secretPlaceholder: null, event: 'NOTIFY_OUT_START, NOTIFY_OUT_END', settingsUrl: null, ready: true }]
      case 'mango':
        // Mango posts to <url>/events/call; the address is set once per API connection.
        return [{ targetId: id, type: 'mango', url: path('telephony', id), secretPlaceholder: null, event: 'events/call', settingsUrl: null, ready: true }]
      case 'twilio':
        // Twilio is told with each call (StatusCallback from publicUrl): nothing to register.
        return []
      default:
        return []
    }
  })
}
