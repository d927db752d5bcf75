// The ingest contract of POST /v1/leads: what the widget sends and what the worker accepts.
import * as v from 'valibot'
import { LOCALES } from '../locales'

export const LEAD_SOURCES = ['callback', 'exit_intent', 'chat', 'form'] as const
export type LeadSource = (typeof LEAD_SOURCES)[number]

export const SITE_KEY_PATTERN = /^[a-z0-9][a-z0-9_-]{0,63}$/

// Keys that would reach Object.prototype if a consumer ever merged answers into a plain object.
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype'])
const ANSWER_KEY = /^[A-Za-z0-9_.-]{1,64}$/

/** Trims, caps the length, and turns an empty string into "absent" (widgets send "" for untouched fields). */
function optionalText(max: number) {
  return v.optional(
    v.pipe(
      v.string(),
      v.trim(),
      v.maxLength(max, `must be at most ${max} characters`),
      v.transform((s) => (s === '' ? undefined : s)),
    ),
  )
}

/**
 * Attribution is best-effort data from the browser, not from the visitor: a malformed referrer or
 * UTM value is dropped instead of costing us the lead it came with.
 */
function lenient<T extends v.GenericSchema>(schema: T) {
  return v.fallback(v.optional(schema), undefined)
}
const attributionText = (max: number) => lenient(v.pipe(v.string(), v.trim(), v.maxLength(max), v.minLength(1)))
/**
 * A web page's address: http(s) only, so no `javascript:` or `data:` URL reaches a CRM's link. No
 * message: `lenient` drops the value, nobody reads one (and the widget carries this schema).
 */
const attributionUrl = lenient(v.pipe(v.string(), v.maxLength(2048), v.url(), v.regex(/^https?:\/\//i)))

export const UtmSchema = v.object({
  source: attributionText(200),
  medium: attributionText(200),
  campaign: attributionText(200),
  term: attributionText(200),
  content: attributionText(200),
})

export const ClickIdsSchema = v.object({
  gclid: attributionText(500),
  yclid: attributionText(500),
  fbclid: attributionText(500),
})

/** One attribution touch (the first visit's, kept by the widget in localStorage). */
export const TouchSchema = v.object({
  utm: lenient(UtmSchema),
  clickIds: lenient(ClickIdsSchema),
  referrer: attributionUrl,
  landing: attributionUrl,
  at: attributionText(40),
})

export const LeadContextSchema = v.object({
  page: attributionUrl,
  /** Where the last touch landed (the ad's landing page), when the lead comes from a later page. */
  landing: attributionUrl,
  referrer: attributionUrl,
  utm: lenient(UtmSchema),
  clickIds: lenient(ClickIdsSchema),
  locale: attributionText(35),
  timezone: attributionText(64),
  /** This visitor's visit count and pages seen so far, from the widget's first-party storage. */
  visits: lenient(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(1e6))),
  pagesViewed: lenient(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(1e6))),
  /** First-touch attribution; the fields above are the last touch. */
  firstTouch: lenient(TouchSchema),
})

const AnswerValueSchema = v.union([
  v.pipe(v.string(), v.maxLength(1000)),
  v.pipe(v.number(), v.finite()),
  v.boolean(),
  v.pipe(v.array(v.pipe(v.string(), v.maxLength(200))), v.maxLength(50)),
])

export const AnswersSchema = v.pipe(
  v.record(
    v.pipe(
      v.string(),
      v.regex(ANSWER_KEY, 'answer ids are 1–64 letters, digits, "_", "-" or "."'),
      v.check((key) => !FORBIDDEN_KEYS.has(key), 'reserved answer id'),
    ),
    AnswerValueSchema,
  ),
  v.check((answers) => Object.keys(answers).length <= 100, 'at most 100 answers'),
)

export const ContactSchema = v.object({
  name: optionalText(200),
  phone: optionalText(40),
  email: optionalText(254),
})

export const ConsentSchema = v.object({
  given: v.boolean(),
  text: v.pipe(v.string(), v.maxLength(4000)),
})

/**
 * Unknown top-level keys are stripped, not rejected: an older worker must keep accepting leads
 * from a newer widget.
 */
export const LeadSchema = v.object({
  id: v.pipe(v.string(), v.uuid('must be a UUID')),
  site: v.pipe(v.string(), v.regex(SITE_KEY_PATTERN, 'must be a site key')),
  source: v.picklist(LEAD_SOURCES, `must be one of ${LEAD_SOURCES.join(', ')}`),
  contact: ContactSchema,
  message: optionalText(4000),
  answers: v.optional(AnswersSchema),
  callbackAt: v.optional(v.pipe(v.string(), v.isoTimestamp('must be an ISO 8601 date-time with a time zone'))),
  consent: v.optional(ConsentSchema),
  context: v.optional(LeadContextSchema),
  /**
   * The language the visitor saw the widget in: the worker answers (errors, reply) in it, and in
   * the site's locale when absent. One it has no texts for (a newer widget's language) is dropped,
   * not refused: the answer falls back to the site's language, and the lead is never lost for it.
   */
  locale: lenient(v.picklist(LOCALES)),
  /** The chat as the visitor saw it, for the manager; the worker re-scores from `answers`, not from this. */
  transcript: v.optional(
    v.pipe(
      v.array(
        v.object({
          from: v.picklist(['bot', 'visitor']),
          text: v.pipe(v.string(), v.maxLength(2000)),
          at: v.pipe(v.string(), v.isoTimestamp()),
        }),
      ),
      v.maxLength(200),
    ),
  ),
  hp: v.optional(v.pipe(v.string(), v.maxLength(1000))),
  /** The captcha token (Turnstile or SmartCaptcha), when the site uses a captcha. */
  captchaToken: v.optional(v.pipe(v.string(), v.maxLength(4096))),
  /** The same from widgets cached before `captchaToken`; `captchaToken` wins when both come. */
  turnstileToken: v.optional(v.pipe(v.string(), v.maxLength(4096))),
  elapsedMs: v.optional(v.pipe(v.number(), v.finite(), v.minValue(0))),
})

export type LeadInput = v.InferInput<typeof LeadSchema>
export type LeadOutput = v.InferOutput<typeof LeadSchema>
export type LeadContext = v.InferOutput<typeof LeadContextSchema>
export type LeadAnswers = v.InferOutput<typeof AnswersSchema>
