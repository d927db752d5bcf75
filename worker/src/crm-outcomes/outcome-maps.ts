// Each CRM's statuses onto our lifecycle by default, and the site's own mapping over them.
import type { Outcome, OutcomeMap } from '../../../shared/schemas/targets/outcomes'

/**
 * Bitrix24's default lead statuses (crm.status.list, ENTITY_ID=STATUS). NEW is ignored: the event
 * fires on any edit of a lead, and a lead still NEW in the portal says nothing a manager did.
 * A custom `UC_…` status not mapped by id falls back on its STATUS_SEMANTIC_ID (`semantic:S|F`).
 */
export const BITRIX24_DEFAULTS: OutcomeMap = {
  NEW: 'ignore',
  IN_PROCESS: 'in_work',
  PROCESSED: 'qualified',
  CONVERTED: 'won',
  JUNK: 'junk:other',
  // STATUS_SEMANTIC_ID of a status not mapped by its id: S success, F failure; P (in progress) has none.
  'semantic:S': 'won',
  'semantic:F': 'not_now',
}

/** amoCRM's two system statuses; every pipeline's own stages need the mapping. */
export const AMOCRM_DEFAULTS: OutcomeMap = {
  '142': 'won',
  // Lost: "not now" unless the loss reason maps to junk (lossReasons).
  '143': 'not_now',
}

/** HubSpot's default lifecycle stages and lead statuses, as `property:value`. */
export const HUBSPOT_DEFAULTS: OutcomeMap = {
  'lifecyclestage:subscriber': 'ignore',
  'lifecyclestage:lead': 'ignore',
  'lifecyclestage:marketingqualifiedlead': 'ignore',
  'lifecyclestage:salesqualifiedlead': 'qualified',
  'lifecyclestage:opportunity': 'qualified',
  'lifecyclestage:customer': 'won',
  'lifecyclestage:evangelist': 'won',
  'lifecyclestage:other': 'ignore',
  'hs_lead_status:NEW': 'ignore',
  'hs_lead_status:OPEN': 'ignore',
  'hs_lead_status:IN_PROGRESS': 'in_work',
  'hs_lead_status:ATTEMPTED_TO_CONTACT': 'in_work',
  'hs_lead_status:CONNECTED': 'in_work',
  'hs_lead_status:OPEN_DEAL': 'qualified',
  'hs_lead_status:UNQUALIFIED': 'junk:off_target',
  'hs_lead_status:BAD_TIMING': 'not_now',
}

/** The site's mapping first, then the defaults; null when neither knows the status. */
export function mapOutcome(key: string, siteMap: OutcomeMap | undefined, defaults: OutcomeMap): Outcome | null {
  return siteMap?.[key] ?? defaults[key] ?? null
}
