// The one place an adapter's context is made (deliveries, calls and their SMS, mail to managers,
// calls back to a CRM, the daily digest): the runtime's fetch and clock, a timeout, and the Email
// binding where the deployment has one.
import type { EmailBinding } from '../../auto-reply/email-providers'
import type { AdapterContext } from './types'

/** Standard Webhooks suggests 15–30 s. */
export const ADAPTER_TIMEOUT_MS = 15_000

export interface AdapterContextDeps {
  fetch: typeof fetch
  now: () => number
  /** The deployment's (or a test lead's) timeout; ADAPTER_TIMEOUT_MS when unset. */
  timeoutMs?: number
  email?: EmailBinding
}

/** `timeoutMs` overrides the deps' own, for calls with a fixed budget (a CRM call-back, the digest). */
export function adapterContext(deps: AdapterContextDeps, timeoutMs: number = deps.timeoutMs ?? ADAPTER_TIMEOUT_MS): AdapterContext {
  return { fetch: deps.fetch, now: deps.now, timeoutMs, ...(deps.email && { email: deps.email }) }
}
