// Bitrix24 target: `crm.lead.add` through an incoming webhook (the code in the URL is the secret).
import * as v from 'valibot'
import { HttpsUrlSchema, TargetIdSchema, maskSecret } from './common'
import { InboundSecretSchema, OutcomeMapSchema } from './outcomes'
import { REDACTED } from '../redacted'

/** `https://{portal}/rest/{user_id}/{code}/` as Bitrix24 shows it when an incoming webhook is made. */
const WEBHOOK_PATH = /^\/rest\/\d+\/[A-Za-z0-9]+\/?$/
const SOURCE_ID = /^[A-Z0-9_]{1,50}$/

export const Bitrix24TargetSchema = v.strictObject({
  type: v.literal('bitrix24'),
  id: v.optional(TargetIdSchema),
  webhookUrl: v.pipe(
    HttpsUrlSchema,
    v.check((value) => value.startsWith('https://'), 'must be https'),
    v.check((value) => WEBHOOK_PATH.test(new URL(value).pathname), 'must look like "https://<portal>/rest/<user id>/<code>/"'),
  ),
  /** SOURCE_ID per lead source; Bitrix24 defaults include CALLBACK, WEB, WEBFORM, OTHER. */
  sourceIds: v.optional(
    v.strictObject({
      callback: v.optional(v.pipe(v.string(), v.regex(SOURCE_ID, 'must be a SOURCE_ID like "CALLBACK"'))),
      other: v.optional(v.pipe(v.string(), v.regex(SOURCE_ID, 'must be a SOURCE_ID like "WEB"'))),
    }),
  ),
  /** Responsible user when routing names no manager with a `bitrixUserId`. */
  assignedById: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1))),
  /**
   * Outcomes back from the portal (ONCRMLEADUPDATE): the `application_token` Bitrix24 shows for
   * the outgoing webhook (write-only), and STATUS_ID → outcome over the defaults.
   */
  outcomes: v.optional(v.strictObject({ applicationToken: InboundSecretSchema, statuses: v.optional(OutcomeMapSchema) })),
})

export type Bitrix24Target = v.InferOutput<typeof Bitrix24TargetSchema>

/** The code in the path is the credential: keep the portal and user, hide all but its end. */
export function redactBitrix24(target: Bitrix24Target): Bitrix24Target {
  const url = new URL(target.webhookUrl)
  const [, rest, user, code = ''] = url.pathname.split('/')
  return {
    ...target,
    webhookUrl: `${url.origin}/${rest}/${user}/${REDACTED}${code.slice(-4)}/`,
    ...(target.outcomes && { outcomes: { ...target.outcomes, applicationToken: maskSecret(target.outcomes.applicationToken) } }),
  }
}
