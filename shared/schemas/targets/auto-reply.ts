// Auto-reply targets: an instant email or SMS to the visitor, rendered from per-language templates.
// They are delivery targets like CRMs, so they inherit the queue, retries and idempotency.
import * as v from 'valibot'
import { HttpsUrlSchema, LocaleSchema, TargetIdSchema, TokenSchema, maskSecret } from './common'

const EmailSchema = v.pipe(v.string(), v.maxLength(254), v.email('must be an email address'))
const TextSchema = (max: number) => v.pipe(v.string(), v.trim(), v.minLength(1, 'must not be empty'), v.maxLength(max))

/** Placeholders: {name}, {callbackAt}, {company}. */
const EmailTemplateSchema = v.strictObject({
  subject: TextSchema(200),
  text: TextSchema(5000),
  /**
   * For a lead that left no phone (an email only): it must promise no call. A built-in text in
   * the template's language when absent, since `text` is usually about the call back.
   */
  withoutPhone: v.optional(v.strictObject({ subject: TextSchema(200), text: TextSchema(5000) })),
})
/** One SMS segment is 70 Cyrillic or 160 Latin characters; longer texts cost several. */
const SmsTemplateSchema = v.strictObject({ text: TextSchema(1000) })

function templatesOf<T extends v.GenericSchema>(template: T) {
  return v.pipe(
    v.strictObject({ ru: v.optional(template), en: v.optional(template) }),
    v.check((t) => t.ru !== undefined || t.en !== undefined, 'give at least one language'),
  )
}

/** Posts the message to a local inbox instead of sending it (`npm start`). */
const DevProviderSchema = v.strictObject({ name: v.literal('dev'), url: HttpsUrlSchema })

export const EmailProviderSchema = v.variant(
  'name',
  [
    v.strictObject({ name: v.literal('resend'), apiKey: TokenSchema }),
    v.strictObject({
      name: v.literal('postmark'),
      serverToken: TokenSchema,
      messageStream: v.optional(TextSchema(100), 'outbound'),
    }),
    v.strictObject({
      name: v.literal('unisender'),
      apiKey: TokenSchema,
      host: v.optional(v.picklist(['go1.unisender.ru', 'go2.unisender.ru']), 'go1.unisender.ru'),
    }),
    /** The Cloudflare Email Service binding (`send_email`), when the deployment has one. */
    v.strictObject({ name: v.literal('cloudflare') }),
    DevProviderSchema,
  ],
  'unknown email provider',
)

export const SmsProviderSchema = v.variant(
  'name',
  [
    /** `test: true` is SMS.ru's dry run: checked and priced, never sent. */
    v.strictObject({
      name: v.literal('smsru'),
      apiId: TokenSchema,
      from: v.optional(TextSchema(11)),
      test: v.optional(v.boolean(), false),
    }),
    v.strictObject({
      name: v.literal('twilio'),
      accountSid: v.pipe(v.string(), v.regex(/^AC[0-9a-f]{32}$/, 'must look like "AC" + 32 hex digits')),
      authToken: TokenSchema,
      from: v.pipe(v.string(), v.regex(/^(\+\d{6,15}|MG[0-9a-f]{32})$/, 'must be an E.164 number or a Messaging Service SID')),
    }),
    DevProviderSchema,
  ],
  'unknown SMS provider',
)

export const AutoReplyEmailTargetSchema = v.strictObject({
  type: v.literal('autoreply-email'),
  id: v.optional(TargetIdSchema),
  provider: EmailProviderSchema,
  from: EmailSchema,
  fromName: v.optional(TextSchema(100)),
  replyTo: v.optional(EmailSchema),
  /** Fills {company}. */
  company: TextSchema(100),
  /** Used when the visitor's browser language has no template. */
  defaultLocale: v.optional(LocaleSchema, 'ru'),
  templates: templatesOf(EmailTemplateSchema),
})

export const AutoReplySmsTargetSchema = v.strictObject({
  type: v.literal('autoreply-sms'),
  id: v.optional(TargetIdSchema),
  provider: SmsProviderSchema,
  company: TextSchema(100),
  defaultLocale: v.optional(LocaleSchema, 'ru'),
  templates: templatesOf(SmsTemplateSchema),
})

export type EmailProvider = v.InferOutput<typeof EmailProviderSchema>
export type SmsProvider = v.InferOutput<typeof SmsProviderSchema>
export type AutoReplyEmailTarget = v.InferOutput<typeof AutoReplyEmailTargetSchema>
export type AutoReplySmsTarget = v.InferOutput<typeof AutoReplySmsTargetSchema>
export type EmailTemplate = v.InferOutput<typeof EmailTemplateSchema>

export function redactEmailProvider(provider: EmailProvider): EmailProvider {
  switch (provider.name) {
    case 'resend':
    case 'unisender':
      return { ...provider, apiKey: maskSecret(provider.apiKey) }
    case 'postmark':
      return { ...provider, serverToken: maskSecret(provider.serverToken) }
    case 'cloudflare':
    case 'dev':
      return provider
  }
}

export function redactSmsProvider(provider: SmsProvider): SmsProvider {
  switch (provider.name) {
    case 'smsru':
      return { ...provider, apiId: maskSecret(provider.apiId) }
    case 'twilio':
      return { ...provider, authToken: maskSecret(provider.authToken) }
    case 'dev':
      return provider
  }
}
