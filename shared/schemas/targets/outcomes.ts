// How a CRM's statuses map onto our lead lifecycle: the `outcomes` block of a Bitrix24, amoCRM or
// HubSpot target. Values read as our status, junk with its reason, or `ignore`.
import * as v from 'valibot'
import { JUNK_REASONS, type JunkReason, type LeadStatus } from '../lead-status'

/** What a CRM status becomes here; `new` is left out: a CRM never un-touches a lead. */
export const OUTCOMES = ['in_work', 'qualified', 'won', 'not_now', ...JUNK_REASONS.map((reason) => `junk:${reason}` as const), 'ignore'] as const
export type Outcome = (typeof OUTCOMES)[number]

const OutcomeSchema = v.picklist(OUTCOMES, `must be one of ${OUTCOMES.join(', ')}`)

/** CRM status ids (Bitrix24 `UC_…`, amoCRM numbers, HubSpot `property:value`) → outcome. */
export const OutcomeMapSchema = v.pipe(
  v.record(v.pipe(v.string(), v.regex(/^[A-Za-z0-9_:.-]{1,100}$/, 'must be a CRM status id')), OutcomeSchema),
  v.check((map) => Object.keys(map).length <= 200, 'at most 200 statuses'),
)
export type OutcomeMap = v.InferOutput<typeof OutcomeMapSchema>

/** Secrets the CRM sends back or signs with: write-only, like every target secret. */
export const InboundSecretSchema = v.pipe(
  v.string(),
  v.minLength(16, 'must be at least 16 characters'),
  v.maxLength(256),
  v.regex(/^[A-Za-z0-9_.-]+$/, 'must be letters, digits, "_", "." or "-"'),
)

export type MappedOutcome = { status: Exclude<LeadStatus, 'new' | 'junk'>; reason: null } | { status: 'junk'; reason: JunkReason }

/** The lifecycle change an outcome asks for; null for `ignore`. */
export function outcomeChange(outcome: Outcome): MappedOutcome | null {
  if (outcome === 'ignore') return null
  if (outcome.startsWith('junk:')) return { status: 'junk', reason: outcome.slice(5) as JunkReason }
  return { status: outcome as Exclude<LeadStatus, 'new' | 'junk'>, reason: null }
}
