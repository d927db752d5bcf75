// amoCRM / Kommo target: incoming leads ("Неразобранное") or complex leads, long-lived token.
import * as v from 'valibot'
import { HttpsUrlSchema, TargetIdSchema, TokenSchema, maskSecret } from './common'
import { InboundSecretSchema, OutcomeMapSchema } from './outcomes'

/** Only the vendors' own account hosts: nothing else can receive the token (and no SSRF). */
const ACCOUNT_HOST = /^[a-z0-9][a-z0-9-]{0,62}\.(amocrm\.ru|amocrm\.com|kommo\.com)$/

const FieldIdSchema = v.pipe(v.number(), v.integer(), v.minValue(1))

export const AmoCrmTargetSchema = v.strictObject({
  type: v.literal('amocrm'),
  id: v.optional(TargetIdSchema),
  baseUrl: v.pipe(
    HttpsUrlSchema,
    v.check((value) => {
      const url = new URL(value)
      return url.protocol === 'https:' && ACCOUNT_HOST.test(url.hostname) && (url.pathname === '/' || url.pathname === '')
    }, 'must be your account address, like "https://shop.amocrm.ru"'),
  ),
  /** Long-lived token (Bearer) from the account's private integration. Write-only. */
  token: TokenSchema,
  /** `unsorted` lands in "Неразобранное" for a manager to accept; `complex` creates the lead at once. */
  mode: v.optional(v.picklist(['unsorted', 'complex']), 'unsorted'),
  pipelineId: v.optional(FieldIdSchema),
  /** Responsible user when routing names no manager with an `amocrmUserId`. */
  responsibleUserId: v.optional(FieldIdSchema),
  tags: v.optional(v.pipe(v.array(v.pipe(v.string(), v.minLength(1), v.maxLength(50))), v.maxLength(10)), ['leadcatcher']),
  sourceName: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(100)), 'Leadcatcher'),
  /** Lead custom field ids for UTM tags (`GET /api/v4/leads/custom_fields` lists them). */
  utmFieldIds: v.optional(
    v.strictObject({
      source: v.optional(FieldIdSchema),
      medium: v.optional(FieldIdSchema),
      campaign: v.optional(FieldIdSchema),
      term: v.optional(FieldIdSchema),
      content: v.optional(FieldIdSchema),
    }),
  ),
  /**
   * Outcomes back from the account (the `status_lead` webhook). amoCRM does not sign webhooks, so
   * `pathSecret` is the last segment of the address it calls (write-only); `statuses` maps status
   * ids and `lossReasons` the loss reason ids of a lead closed as 143, over the defaults.
   */
  outcomes: v.optional(
    v.strictObject({
      pathSecret: InboundSecretSchema,
      statuses: v.optional(OutcomeMapSchema),
      lossReasons: v.optional(OutcomeMapSchema),
    }),
  ),
})

export type AmoCrmTarget = v.InferOutput<typeof AmoCrmTargetSchema>

export function redactAmoCrm(target: AmoCrmTarget): AmoCrmTarget {
  return {
    ...target,
    token: maskSecret(target.token),
    ...(target.outcomes && { outcomes: { ...target.outcomes, pathSecret: maskSecret(target.outcomes.pathSecret) } }),
  }
}
