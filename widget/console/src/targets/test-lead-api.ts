// "Send a test lead": POST /v1/admin/sites/:site/test-leads, which stores a lead marked test and
// makes a real delivery attempt to one target (or all that do not reach the visitor) while the
// request waits. Used by the Targets page and the new-site wizard.
//
// @example
// const result = await sendTestLead(api, 'shop', 'crm')
// if (result.ok) render(<TestLeadResult answer={result.value} />)
import type { LeadInput } from '../../../../shared/schemas/lead'
import type { ApiClient, ApiResult } from '../api'

/** One target's outcome. `retrying`: the target asked for a retry, which is scheduled; `pending`: still running after the server's wait. */
export interface TestDelivery {
  targetId: string
  type: string
  status: 'delivered' | 'skipped' | 'failed' | 'retrying' | 'pending'
  httpStatus?: number
  /** At most ~300 characters of the target's answer (or why there was none), secrets removed. */
  excerpt: string
  durationMs: number
}

export interface TestLeadAnswer {
  leadId: string
  deliveries: TestDelivery[]
}

/**
 * The public lead body for a test lead to the tester's own phone or email (auto-replies and calls
 * reach the visitor, so the API wants a real contact for them). `consentText`: the site's, when it asks.
 */
export function testLeadTo(site: string, contact: { phone: string } | { email: string }, consentText = 'Test lead from the Leadcatcher console'): LeadInput {
  return {
    id: crypto.randomUUID(),
    site,
    source: 'callback',
    contact: { name: 'Тест Тестов (Leadcatcher)', ...contact },
    message: 'Test lead from the Leadcatcher console',
    consent: { given: true, text: consentText },
  }
}

/**
 * Sends a test lead to `targetId`, or to every target that does not reach the visitor when absent.
 * `lead`: the public lead body to send (the live preview's); a made-up one when absent.
 */
export function sendTestLead(api: ApiClient, site: string, targetId?: string, lead?: LeadInput): Promise<ApiResult<TestLeadAnswer>> {
  return api.send<TestLeadAnswer>('POST', `/v1/admin/sites/${encodeURIComponent(site)}/test-leads`, {
    ...(targetId !== undefined && { targetId }),
    ...(lead !== undefined && { lead }),
  })
}
