// Site configuration as the admin API accepts it, and the public subset the widget may read.
import * as v from 'valibot'

export const LOCALES = ['ru', 'en'] as const
export type Locale = (typeof LOCALES)[number]

const WEBHOOK_SECRET = /^whsec_[A-Za-z0-9+/]+={0,2}$/
const TARGET_ID = /^[a-z0-9][a-z0-9_-]{0,31}$/

/** Browsers send `scheme://host[:port]` in Origin; anything else could never match. */
const OriginSchema = v.pipe(
  v.string(),
  v.check((value) => {
    try {
      const url = new URL(value)
      return (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === value
    } catch {
      return false
    }
  }, 'must be an origin like "https://shop.example" (scheme, host and optional port; no path or trailing slash)'),
)

const HttpUrlSchema = v.pipe(
  v.string(),
  v.maxLength(2048),
  v.url('must be an absolute URL'),
  v.check((value) => /^https?:\/\//i.test(value), 'must be an http(s) URL'),
)

/** Standard Webhooks secrets: `whsec_` + base64 of 24–64 random bytes. */
const WebhookSecretSchema = v.pipe(
  v.string(),
  v.regex(WEBHOOK_SECRET, 'must look like "whsec_<base64>"'),
  v.check((value) => {
    const bytes = Math.floor((value.length - 6) * 0.75) - (value.match(/=+$/)?.[0].length ?? 0)
    return bytes >= 24 && bytes <= 64
  }, 'the key after "whsec_" must decode to 24–64 bytes'),
)

export const WebhookTargetSchema = v.strictObject({
  type: v.literal('webhook'),
  /** Stable name of the target; deliveries refer to it so a fixed URL applies to pending retries. */
  id: v.optional(v.pipe(v.string(), v.regex(TARGET_ID, 'must be 1–32 lowercase letters, digits, "_" or "-"'))),
  url: HttpUrlSchema,
  secret: WebhookSecretSchema,
})

export const TargetSchema = v.variant('type', [WebhookTargetSchema], 'unknown target type')

export const SiteConfigSchema = v.pipe(
  v.strictObject({
    origins: v.pipe(v.array(OriginSchema), v.maxLength(50, 'at most 50 origins')),
    country: v.optional(v.pipe(v.string(), v.regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code like "RU"')), 'RU'),
    locale: v.optional(v.picklist(LOCALES, 'must be "ru" or "en"'), 'ru'),
    consent: v.optional(
      v.strictObject({
        required: v.boolean(),
        text: v.pipe(v.string(), v.trim(), v.minLength(1, 'must not be empty'), v.maxLength(4000)),
      }),
    ),
    reply: v.optional(
      v.strictObject({ text: v.pipe(v.string(), v.trim(), v.minLength(1, 'must not be empty'), v.maxLength(1000)) }),
    ),
    targets: v.optional(v.pipe(v.array(TargetSchema), v.maxLength(10, 'at most 10 targets')), []),
  }),
  v.check(
    (config) => new Set(config.targets.map((t, i) => t.id ?? `${t.type}-${i}`)).size === config.targets.length,
    'target ids must be unique',
  ),
)

export type SiteConfigInput = v.InferInput<typeof SiteConfigSchema>
export type SiteConfig = v.InferOutput<typeof SiteConfigSchema>
export type Target = v.InferOutput<typeof TargetSchema>
export type WebhookTarget = v.InferOutput<typeof WebhookTargetSchema>

/** The target's stable id: explicit, or its type and position. */
export function targetId(target: Target, index: number): string {
  return target.id ?? `${target.type}-${index}`
}

/** What `GET /v1/sites/:site/config` returns: never target URLs or secrets. */
export interface PublicSiteConfig {
  site: string
  locale: Locale
  country: string
  consent: { required: boolean; text: string } | null
}

export function toPublicConfig(site: string, config: SiteConfig): PublicSiteConfig {
  return {
    site,
    locale: config.locale,
    country: config.country,
    consent: config.consent ?? null,
  }
}
