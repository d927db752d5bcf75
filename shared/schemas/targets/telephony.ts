// Telephony targets: auto-dial through Zadarma (also Novofon classic), UIS (CoMagic, Novofon 2.0),
// Mango Office or Twilio. The manager is rung first, the visitor once a manager answers
// (worker/src/telephony). Secrets are write-only, like every other target's.
import * as v from 'valibot'
import { SmsProviderSchema, redactSmsProvider } from './auto-reply'
import { HttpsUrlSchema, TargetIdSchema, TokenSchema, maskSecret } from './common'

export const TELEPHONY_TYPES = ['zadarma', 'uis', 'mango', 'twilio'] as const
export type TelephonyType = (typeof TELEPHONY_TYPES)[number]

const MANAGER_ID = /^[a-z0-9][a-z0-9_-]{0,31}$/

/** An E.164 number, an extension or a SIP id: what the provider rings the manager on. */
const OperatorNumberSchema = v.pipe(v.string(), v.regex(/^\+?[0-9A-Za-z_.-]{2,32}$/, 'must be a phone number (+79…), an extension or a SIP id'))

const SmsTextSchema = v.pipe(v.string(), v.trim(), v.minLength(1, 'must not be empty'), v.maxLength(500))

const CountrySchema = v.pipe(v.string(), v.regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code like "RU"'))

/** What every telephony target shares: who is rung, for how long, how often, and where to. */
const CALL_FLOW = {
  id: v.optional(TargetIdSchema),
  /** The provider's API host; its production host by default (a sandbox, a test server). */
  apiBase: v.optional(HttpsUrlSchema),
  /**
   * The managers who take calls and the number each is rung on. The lead's routed manager is rung
   * first, then the others in this order. Without `number` the manager's own `phone` (Team page,
   * routing.managers) is rung; the admin API refuses an operator that has neither.
   */
  operators: v.pipe(
    v.array(
      v.strictObject({
        manager: v.pipe(v.string(), v.regex(MANAGER_ID, 'must be a manager id from routing.managers')),
        number: v.optional(OperatorNumberSchema),
      }),
    ),
    v.minLength(1, 'name at least one operator'),
    v.maxLength(20),
  ),
  /** T: seconds a manager's phone rings before the next manager is rung. */
  ringSeconds: v.optional(v.pipe(v.number(), v.integer(), v.minValue(5), v.maxValue(120)), 20),
  /** Only visitors' numbers of these countries are dialled; the site's country when absent. */
  countries: v.optional(v.pipe(v.array(CountrySchema), v.minLength(1), v.maxLength(50))),
  /** The site's call budget: calls started per hour and per day. */
  callsPerHour: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(10_000)), 30),
  callsPerDay: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(100_000)), 200),
  /** Dial repeats (same contact inside the dedupe window) too; off by default. */
  allowRepeats: v.optional(v.boolean(), false),
  /**
   * The public base URL of this server (`https://leads.example.com`): where the provider posts
   * call outcomes. Twilio needs it to be told; the others are configured in their dashboards.
   */
  publicUrl: v.optional(HttpsUrlSchema),
  /**
   * An SMS to the visitor when the call did not reach them or no manager answered ("we couldn't
   * reach you, we'll call again"); the texts default to ones in the visitor's language.
   */
  missedSms: v.optional(
    v.strictObject({
      provider: SmsProviderSchema,
      text: v.optional(v.strictObject({ ru: v.optional(SmsTextSchema), en: v.optional(SmsTextSchema) }), {}),
    }),
  ),
}

export const ZadarmaTargetSchema = v.strictObject({
  type: v.literal('zadarma'),
  ...CALL_FLOW,
  /** API key and secret from the personal account's API page. The secret is write-only. */
  key: TokenSchema,
  secret: TokenSchema,
  /** The SIP id whose caller id is shown (the `sip` parameter of request/callback). */
  sip: v.optional(v.pipe(v.string(), v.regex(/^[0-9]{3,12}$/, 'must be a SIP id (digits)'))),
})

export const UisTargetSchema = v.strictObject({
  type: v.literal('uis'),
  ...CALL_FLOW,
  /** Call API access token. Write-only. */
  accessToken: TokenSchema,
  /** The virtual number the call is made from, E.164 digits without "+". */
  virtualPhoneNumber: v.pipe(v.string(), v.regex(/^[0-9]{10,15}$/, 'must be the number\'s digits without "+"')),
  /**
   * UIS notifications carry no signature: this secret goes in the notification URL configured in
   * UIS (`?token=…`) and is compared in constant time. 16–128 letters, digits, "_" or "-". Write-only.
   */
  notifyToken: v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{16,128}$/, 'must be 16–128 letters, digits, "_" or "-"')),
})

export const MangoTargetSchema = v.strictObject({
  type: v.literal('mango'),
  ...CALL_FLOW,
  /** The VPBX API key (`vpbx_api_key`) and salt; the salt is write-only. */
  apiKey: TokenSchema,
  apiSalt: TokenSchema,
  /** The line (number) the visitor sees the call from. */
  lineNumber: v.optional(v.pipe(v.string(), v.regex(/^[0-9]{10,15}$/, 'must be digits'))),
})

export const TwilioTargetSchema = v.strictObject({
  type: v.literal('twilio'),
  ...CALL_FLOW,
  accountSid: v.pipe(v.string(), v.regex(/^AC[0-9a-f]{32}$/, 'must look like "AC" + 32 hex digits')),
  /** Signs our requests (Basic auth) and Twilio's status callbacks. Write-only. */
  authToken: TokenSchema,
  /** Your Twilio number: caller id of both legs. */
  from: v.pipe(v.string(), v.regex(/^\+[1-9][0-9]{6,14}$/, 'must be an E.164 number')),
  publicUrl: HttpsUrlSchema,
})

export type ZadarmaTarget = v.InferOutput<typeof ZadarmaTargetSchema>
export type UisTarget = v.InferOutput<typeof UisTargetSchema>
export type MangoTarget = v.InferOutput<typeof MangoTargetSchema>
export type TwilioTarget = v.InferOutput<typeof TwilioTargetSchema>
export type TelephonyTarget = ZadarmaTarget | UisTarget | MangoTarget | TwilioTarget

export function isTelephonyTarget(target: { type: string }): target is TelephonyTarget {
  return (TELEPHONY_TYPES as readonly string[]).includes(target.type)
}

export function redactTelephony(target: TelephonyTarget): TelephonyTarget {
  const sms = target.missedSms && { missedSms: { ...target.missedSms, provider: redactSmsProvider(target.missedSms.provider) } }
  return { ...redactCredentials(target), ...sms }
}

function redactCredentials(target: TelephonyTarget): TelephonyTarget {
  switch (target.type) {
    case 'zadarma':
      return { ...target, secret: maskSecret(target.secret) }
    case 'uis':
      return { ...target, accessToken: maskSecret(target.accessToken), notifyToken: maskSecret(target.notifyToken) }
    case 'mango':
      return { ...target, apiSalt: maskSecret(target.apiSalt) }
    case 'twilio':
      return { ...target, authToken: maskSecret(target.authToken) }
  }
}
