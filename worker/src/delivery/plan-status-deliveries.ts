// The `lead.status_changed` deliveries of a take or a status change: one per webhook target. CRMs,
// chats and auto-replies never get one (their adapters have nothing to do with a status).
import { targetId } from '../../../shared/schemas/site-config'
import type { NewDelivery, SiteRecord } from '../storage/types'
import { newDeliveryId } from './delivery-id'

export function planStatusDeliveries(site: SiteRecord | null, now: number): NewDelivery[] {
  if (!site) return []
  return site.config.targets.flatMap((target, index) => (target.type === 'webhook' ? [{ id: newDeliveryId(), targetId: targetId(target, index), nextAttemptAt: now }] : []))
}
