// HubSpot target: a Forms v3 submission (default) or a CRM v3 contact.
import * as v from 'valibot'
import { TargetIdSchema, TokenSchema, maskSecret } from './common'
import { InboundSecretSchema, OutcomeMapSchema } from './outcomes'

export const HubSpotTargetSchema = v.pipe(
  v.strictObject({
    type: v.literal('hubspot'),
    id: v.optional(TargetIdSchema),
    /** `form` submits to a HubSpot form (workflows and consent stay in HubSpot); `contact` creates a contact. */
    mode: v.optional(v.picklist(['form', 'contact']), 'form'),
    portalId: v.optional(v.pipe(v.string(), v.regex(/^\d{1,12}$/, 'must be the numeric portal (hub) id'))),
    formGuid: v.optional(v.pipe(v.string(), v.uuid('must be the form GUID'))),
    /** Private app token: required for `contact`; with `form` it switches to the secure endpoint. Write-only. */
    accessToken: v.optional(TokenSchema),
    /**
     * Outcomes back from the portal (`contact.propertyChange` on lifecyclestage / hs_lead_status):
     * the app's client secret that signs them (write-only), and `property:value` → outcome over the
     * defaults.
     */
    outcomes: v.optional(v.strictObject({ clientSecret: InboundSecretSchema, statuses: v.optional(OutcomeMapSchema) })),
  }),
  v.check((t) => t.mode !== 'form' || (t.portalId !== undefined && t.formGuid !== undefined), 'form mode needs portalId and formGuid'),
  v.check((t) => t.mode !== 'contact' || t.accessToken !== undefined, 'contact mode needs accessToken'),
)

export type HubSpotTarget = v.InferOutput<typeof HubSpotTargetSchema>

export function redactHubSpot(target: HubSpotTarget): HubSpotTarget {
  return {
    ...target,
    ...(target.accessToken && { accessToken: maskSecret(target.accessToken) }),
    ...(target.outcomes && { outcomes: { ...target.outcomes, clientSecret: maskSecret(target.outcomes.clientSecret) } }),
  }
}
