// Site configuration as the admin API accepts it, and the public subset the widget may read.
import * as v from 'valibot'
import { RoutingSchema } from './routing'
import { AmoCrmTargetSchema } from './targets/amocrm'
import { AutoReplyEmailTargetSchema, AutoReplySmsTargetSchema } from './targets/auto-reply'
import { Bitrix24TargetSchema } from './targets/bitrix24'
import { HubSpotTargetSchema } from './targets/hubspot'
import { TelegramTargetSchema } from './targets/telegram'
import { MangoTargetSchema, TwilioTargetSchema, UisTargetSchema, ZadarmaTargetSchema } from './targets/telephony'
import { WidgetSettingsSchema, toPublicWidgetSettings } from './widget-settings'
import { LOCALES } from '../locales'
import { maskSecret, notRedacted } from './redacted'
import type { Locale } from '../locales'
import type { PublicWidgetSettings } from './widget-settings'

export { LOCALES } from '../locales'
export type { Locale } from '../locales'

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
  notRedacted,
  v.maxLength(2048),
  v.url('must be an absolute URL'),
  v.check((value) => /^https?:\/\//i.test(value), 'must be an http(s) URL'),
)

/** Standard Webhooks secrets: `whsec_` + base64 of 24–64 random bytes. */
const WebhookSecretSchema = v.pipe(
  v.string(),
  notRedacted,
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

export const TargetSchema = v.variant(
  'type',
  [
    WebhookTargetSchema,
    Bitrix24TargetSchema,
    AmoCrmTargetSchema,
    HubSpotTargetSchema,
    TelegramTargetSchema,
    AutoReplyEmailTargetSchema,
    AutoReplySmsTargetSchema,
    ZadarmaTargetSchema,
    UisTargetSchema,
    MangoTargetSchema,
    TwilioTargetSchema,
  ],
  'unknown target type',
)

export const CAPTCHA_PROVIDERS = ['turnstile', 'smartcaptcha'] as const
export type CaptchaProvider = (typeof CAPTCHA_PROVIDERS)[number]

const CAPTCHA_KEYS = {
  /** Public key the widget renders the challenge with. */
  siteKey: v.pipe(v.string(), v.minLength(1), v.maxLength(100)),
  /** Secret for the server-side check; write-only like webhook secrets. */
  secret: v.pipe(v.string(), notRedacted, v.minLength(1), v.maxLength(100)),
}

export const CaptchaSchema = v.variant(
  'provider',
  [
    v.strictObject({ provider: v.literal('turnstile'), ...CAPTCHA_KEYS }),
    v.strictObject({
      provider: v.literal('smartcaptcha'),
      // Client keys start with "ysc1_", server keys with "ysc2_" (yandex.cloud docs:
      // smartcaptcha/concepts/keys): a server key here would be published to every visitor.
      siteKey: v.pipe(CAPTCHA_KEYS.siteKey, v.startsWith('ysc1_', 'must be the client key ("ysc1_…"); the server key goes in secret')),
      secret: CAPTCHA_KEYS.secret,
    }),
  ],
  'must be "turnstile" or "smartcaptcha"',
)

export type Captcha = v.InferOutput<typeof CaptchaSchema>

const replyText = v.pipe(v.string(), v.trim(), v.minLength(1, 'must not be empty'), v.maxLength(1000))

const PointsSchema = v.pipe(v.number(), v.integer(), v.minValue(-100), v.maxValue(100))

const AnswerRuleSchema = v.strictObject({
  /** The reason's code is `answer.<id>`, the question when absent: two rules on one question need one. */
  id: v.optional(v.pipe(v.string(), v.regex(/^[A-Za-z0-9_.-]{1,64}$/, 'must be 1–64 letters, digits, "_", "-" or "."'))),
  question: v.pipe(v.string(), v.minLength(1), v.maxLength(64)),
  in: v.optional(v.pipe(v.array(v.union([v.string(), v.number(), v.boolean()])), v.minLength(1), v.maxLength(50))),
  min: v.optional(v.pipe(v.number(), v.finite())),
  max: v.optional(v.pipe(v.number(), v.finite())),
  /** Answers that never match ("unknown" is an answer, but no budget). */
  except: v.optional(v.pipe(v.array(v.union([v.string(), v.number(), v.boolean()])), v.minLength(1), v.maxLength(50))),
  points: PointsSchema,
  text: v.pipe(v.string(), v.minLength(1), v.maxLength(200)),
})

/** Overrides of the default scoring rules (shared/score.ts); omitted fields keep the defaults. */
export const ScoringSchema = v.strictObject({
  base: v.optional(PointsSchema),
  source: v.optional(
    v.strictObject({
      callback: v.optional(PointsSchema),
      chat: v.optional(PointsSchema),
      form: v.optional(PointsSchema),
      exit_intent: v.optional(PointsSchema),
    }),
  ),
  name: v.optional(PointsSchema),
  phone: v.optional(PointsSchema),
  email: v.optional(PointsSchema),
  returningVisitor: v.optional(PointsSchema),
  engagedPages: v.optional(v.strictObject({ pages: v.pipe(v.number(), v.integer(), v.minValue(1)), points: PointsSchema })),
  scheduledCallback: v.optional(PointsSchema),
  answers: v.optional(v.pipe(v.array(AnswerRuleSchema), v.maxLength(100))),
  hot: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(100))),
  warm: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(100))),
})

export const SiteConfigSchema = v.pipe(
  v.strictObject({
    origins: v.pipe(v.array(OriginSchema), v.maxLength(50, 'at most 50 origins')),
    country: v.optional(v.pipe(v.string(), v.regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code like "RU"')), 'RU'),
    /** The visitors' other likely countries: the widget's phone picker lists them after `country`, in this order. */
    countries: v.optional(v.pipe(v.array(v.pipe(v.string(), v.regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code like "KZ"'))), v.maxLength(20, 'at most 20 countries'))),
    locale: v.optional(v.picklist(LOCALES, 'must be "ru" or "en"'), 'ru'),
    consent: v.optional(
      v.strictObject({
        required: v.boolean(),
        text: v.pipe(v.string(), v.trim(), v.minLength(1, 'must not be empty'), v.maxLength(4000)),
      }),
    ),
    /**
     * The instant reply inside working hours (or always, without hours), by what the lead asked
     * for; each text is optional and defaults to one in the visitor's language (shared/reply.ts).
     * `text`: callback and form leads; `exitIntent`: the exit offer; `chat`: the chatbot.
     */
    reply: v.optional(v.strictObject({ text: v.optional(replyText), exitIntent: v.optional(replyText), chat: v.optional(replyText) })),
    targets: v.optional(v.pipe(v.array(TargetSchema), v.maxLength(10, 'at most 10 targets')), []),
    spam: v.optional(
      v.strictObject({
        /** Submissions faster than this after the form appeared are bots. Default 1500 ms (autofill is fast). */
        minFillMs: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(60_000))),
      }),
    ),
    dedupe: v.optional(
      v.strictObject({
        /** A lead with the phone or email of a lead this recent is a repeat. Default 30; 0 turns dedupe off. */
        windowDays: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(3650))),
      }),
    ),
    scoring: v.optional(ScoringSchema),
    /**
     * The head of sales' and managers' addresses: junk-spike alerts and the daily digest go there
     * too, through the provider and sender of the site's first autoreply-email target.
     */
    notifyEmails: v.optional(v.pipe(v.array(v.pipe(v.string(), v.maxLength(254), v.email('must be an email address'))), v.maxLength(10, 'at most 10 addresses'))),
    /**
     * The head of sales' daily digest by Telegram: at `hour` (0–23, the site's `hours.timezone`,
     * Moscow without one) through the bot of the telegram target `targetId` (the first one when
     * absent), to the head of sales' `telegramUserId`, or the target's chat when they have none.
     */
    digest: v.optional(
      v.strictObject({
        hour: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(23)),
        targetId: v.optional(v.pipe(v.string(), v.regex(/^[a-z0-9][a-z0-9_-]{0,31}$/, 'must be a target id'))),
      }),
    ),
    /**
     * Junk-spike alerts per campaign: N, the rolling window and the fewest leads that can alert
     * (default 20), and the junk share that alerts (default 40 %; `baselineFactor` times the
     * site's 30-day baseline, default 2, alerts too when that is lower). `enabled: false`
     * switches them off.
     */
    quality: v.optional(
      v.strictObject({
        enabled: v.optional(v.boolean(), true),
        windowLeads: v.optional(v.pipe(v.number(), v.integer(), v.minValue(5), v.maxValue(200)), 20),
        thresholdPercent: v.optional(v.pipe(v.number(), v.minValue(1), v.maxValue(100)), 40),
        baselineFactor: v.optional(v.pipe(v.number(), v.minValue(1), v.maxValue(10)), 2),
      }),
    ),
    rateLimits: v.optional(
      v.strictObject({
        perPhonePerHour: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(10_000))),
        perEmailPerHour: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(10_000))),
        perIpPer10Minutes: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(100_000))),
        perSitePerMinute: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(1_000_000))),
        /** Refused submissions of one IP the stats count per hour (the rest are answered, not recorded). */
        rejectionsCountedPerIpPerHour: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(10_000))),
      }),
    ),
    /**
     * Where SMS auto-replies may go and how many: ISO codes of the destination countries (default:
     * the site's `country`) and a budget per hour for the whole site (default 30; 0 sends none).
     * Satellite and international-network numbers and non-mobile numbers never get one.
     */
    sms: v.optional(
      v.strictObject({
        countries: v.optional(
          v.pipe(v.array(v.pipe(v.string(), v.regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code like "RU"'))), v.minLength(1, 'name at least one country'), v.maxLength(50)),
        ),
        perHour: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(10_000))),
      }),
    ),
    /** The captcha every lead must pass: Cloudflare Turnstile, or Yandex SmartCaptcha for Russia. */
    captcha: v.optional(CaptchaSchema),
    /** The older form of `captcha` with provider "turnstile"; parsed into `captcha`. */
    turnstile: v.optional(v.strictObject(CAPTCHA_KEYS)),
    routing: v.optional(RoutingSchema),
    retention: v.optional(
      v.strictObject({
        /** Personal fields of leads older than this are erased by the retention sweep (every 5 minutes); counts stay for stats. */
        days: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(3650)),
      }),
    ),
    ...WidgetSettingsSchema.entries,
    /** The chatbot: a flow document (shared/flow); checked in full by the admin API with checkFlow. */
    chat: v.optional(
      v.strictObject({
        flow: v.pipe(
          v.unknown(),
          v.check((f) => typeof f === 'object' && f !== null, 'must be a flow object'),
        ),
      }),
    ),
  }),
  v.check((config) => new Set(config.targets.map((t, i) => t.id ?? `${t.type}-${i}`)).size === config.targets.length, 'target ids must be unique'),
  v.check((config) => (config.scoring?.warm ?? 40) < (config.scoring?.hot ?? 70), 'scoring.warm must be below scoring.hot'),
  v.forward(
    v.partialCheck(
      [['captcha'], ['turnstile']],
      (config) => !(config.captcha && config.turnstile),
      'give either captcha or the older turnstile, not both (turnstile: { siteKey, secret } is captcha with provider "turnstile")',
    ),
    ['captcha'],
  ),
  // The rest of the code reads only `captcha`.
  v.transform(({ turnstile, ...config }) => (turnstile ? { ...config, captcha: { provider: 'turnstile' as const, ...turnstile } } : config)),
)

export type SiteConfigInput = v.InferInput<typeof SiteConfigSchema>
export type SiteConfig = v.InferOutput<typeof SiteConfigSchema>
export type Target = v.InferOutput<typeof TargetSchema>
export type WebhookTarget = v.InferOutput<typeof WebhookTargetSchema>

/** The target's stable id: explicit, or its type and position. */
export function targetId(target: Target, index: number): string {
  return target.id ?? `${target.type}-${index}`
}

/**
 * The site's captcha. Storage hands back the JSON it saved, so a config saved before `captcha`
 * existed still says `turnstile`: read it here, never `config.captcha` directly.
 */
export function siteCaptcha(config: SiteConfig): Captcha | null {
  const legacy = (config as SiteConfig & { turnstile?: { siteKey: string; secret: string } }).turnstile
  return config.captcha ?? (legacy ? { provider: 'turnstile', ...legacy } : null)
}

/**
 * For admin reads: the captcha as `captcha` whichever form it was saved in, its secret shown only
 * by its last four characters, like the other write-only secrets.
 */
export function redactCaptcha(config: SiteConfig): SiteConfig {
  const { turnstile: _legacy, ...rest } = config as SiteConfig & { turnstile?: unknown }
  const captcha = siteCaptcha(config)
  return captcha ? { ...rest, captcha: { ...captcha, secret: maskSecret(captcha.secret) } } : rest
}

/** What `GET /v1/sites/:site/config` returns: never target URLs or secrets. */
export interface PublicSiteConfig extends PublicWidgetSettings {
  /** The chatbot flow when the site has one. */
  chat: { flow: unknown } | null
  site: string
  locale: Locale
  country: string
  /** The site's other likely countries, for the phone picker; absent when the site names none. */
  countries?: string[] | undefined
  consent: { required: boolean; text: string } | null
  /** The captcha the widget runs before each send, when the site turned one on; never the secret. */
  captcha: { provider: CaptchaProvider; siteKey: string } | null
}

/** Sent as well for widgets cached from before `captcha`, which read only this. */
export interface LegacyPublicSiteConfig {
  /** The Turnstile site key; null without a captcha or with another provider. */
  turnstileSiteKey: string | null
}

export function toPublicConfig(site: string, config: SiteConfig): PublicSiteConfig & LegacyPublicSiteConfig {
  const captcha = siteCaptcha(config)
  return {
    site,
    locale: config.locale,
    country: config.country,
    ...(config.countries && { countries: config.countries }),
    consent: config.consent ?? null,
    captcha: captcha && { provider: captcha.provider, siteKey: captcha.siteKey },
    turnstileSiteKey: captcha?.provider === 'turnstile' ? captcha.siteKey : null,
    ...toPublicWidgetSettings(config),
    chat: config.chat ? { flow: config.chat.flow } : null,
  }
}
