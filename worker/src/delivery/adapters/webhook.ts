// Generic webhook target: JSON `{ type, timestamp, data }` signed per Standard Webhooks.
import type { WebhookTarget } from '../../../../shared/schemas/site-config'
import { parseRetryAfter } from '../retry-schedule'
import { signWebhook } from '../sign-webhook'
import { scrubUrls, splitCredentials } from '../url-credentials'
import type { AdapterContext, AdapterResult, DeliveryEvent } from './types'

export function webhookBody(event: DeliveryEvent): string {
  // The body depends only on the event, so every retry carries the same bytes under the same id.
  // A junk-spike notice is about a campaign, not the lead it rides on: its data is the notice's.
  const data = event.notice ? event.notice.data : event.statusChange ? { ...event.lead, status: event.statusChange } : event.lead
  return JSON.stringify({ type: event.type, timestamp: new Date(event.occurredAt).toISOString(), data })
}

export async function sendWebhook(target: WebhookTarget, event: DeliveryEvent, ctx: AdapterContext): Promise<AdapterResult> {
  const body = webhookBody(event)
  const timestamp = Math.floor(ctx.now() / 1000)
  const signature = await signWebhook(target.secret, event.deliveryId, timestamp, body)
  // `https://user:pass@host/…` is sent as Basic credentials: fetch itself refuses such a URL.
  const { url, authorization } = splitCredentials(target.url)
  let response: Response
  try {
    response = await ctx.fetch(url, {
      method: 'POST',
      headers: {
        ...(authorization && { Authorization: authorization }),
        'Content-Type': 'application/json',
        'User-Agent': 'Leadcatcher-Webhook/1',
        'webhook-id': event.deliveryId,
        'webhook-timestamp': String(timestamp),
        'webhook-signature': signature,
      },
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(ctx.timeoutMs),
    })
  } catch (error) {
    const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')
    // Runtime errors may quote the URL; the log is read back, so its secrets are redacted.
    const message = timedOut ? `no answer within ${ctx.timeoutMs} ms` : `request failed: ${scrubUrls(error instanceof Error ? error.message : String(error))}`
    return { outcome: 'retry', httpStatus: null, error: message, retryAfterSeconds: null }
  }
  const status = response.status
  const snippet = (await response.text().catch(() => '')).slice(0, 200)
  if (status >= 200 && status < 300) return { outcome: 'delivered', httpStatus: status }
  // 410 Gone: the receiver says the endpoint will never accept again (standard-webhooks spec).
  if (status === 410) return { outcome: 'failed', httpStatus: status, error: `HTTP 410: target gone ${snippet}`.trim() }
  // Everything else, 3xx included, is a failure worth retrying.
  return {
    outcome: 'retry',
    httpStatus: status,
    error: `HTTP ${status} ${snippet}`.trim(),
    retryAfterSeconds: parseRetryAfter(response.headers.get('Retry-After'), ctx.now()),
  }
}
