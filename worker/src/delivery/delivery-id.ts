// Delivery ids, sent as `webhook-id`: `msg_` as in the Standard Webhooks examples, random so an id
// reveals nothing about the lead.
export function newDeliveryId(): string {
  return `msg_${crypto.randomUUID().replaceAll('-', '')}`
}
