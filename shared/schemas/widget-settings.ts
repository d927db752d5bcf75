// What a site can configure about the widget's behaviour: working hours, the off-hours replies,
// the exit-intent offer and analytics. Part of the site config and of its public subset.
import * as v from 'valibot'
import { HEX_COLOUR, LAUNCHER_ICONS, POSITIONS, resolveBrand } from '../brand'
import type { PublicBrand } from '../brand'
import { DAYS, toMinutes } from '../hours'

const TimeSchema = v.pipe(
  v.string(),
  v.check((value) => toMinutes(value) !== null, 'must be a time like "09:00" (24:00 ends at midnight)'),
)
const IntervalSchema = v.pipe(
  v.tuple([TimeSchema, TimeSchema]),
  v.check(([from, to]) => (toMinutes(from) ?? 0) < (toMinutes(to) ?? 0), 'must end after it starts'),
)
const DaySchema = v.optional(v.pipe(v.array(IntervalSchema), v.maxLength(6)))

/** An IANA zone the runtime knows; an unknown one would make every instant "closed". */
const TimeZoneSchema = v.pipe(
  v.string(),
  v.check((zone) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: zone })
      return true
    } catch {
      return false
    }
  }, 'must be an IANA time zone like "Europe/Moscow"'),
)

const text = (max: number) => v.pipe(v.string(), v.trim(), v.minLength(1, 'must not be empty'), v.maxLength(max))
const seconds = (max: number) => v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(max))

export const HoursSchema = v.strictObject({
  timezone: TimeZoneSchema,
  week: v.strictObject(Object.fromEntries(DAYS.map((day) => [day, DaySchema])) as Record<(typeof DAYS)[number], typeof DaySchema>),
  /** Inside hours the form promises a call within this many seconds (and may count down). */
  callWithinSeconds: v.optional(v.pipe(v.number(), v.integer(), v.minValue(10), v.maxValue(3600)), 30),
})

export const ExitIntentSchema = v.strictObject({
  enabled: v.optional(v.boolean(), false),
  offer: v.strictObject({ title: text(120), text: text(400), button: text(40) }),
  /** Not before the visitor has been on the page this long. */
  minSecondsOnPage: v.optional(seconds(3600), 10),
  /** Touch devices have no pointer leaving the window: each signal is opt-in. */
  mobile: v.optional(
    v.strictObject({
      scrollUp: v.optional(v.boolean(), false),
      tabReturn: v.optional(v.boolean(), false),
      /** Seconds without input; 0 turns inactivity off. */
      idleSeconds: v.optional(seconds(3600), 0),
    }),
    {},
  ),
  /** At most one proactive interruption per this many days (shared with the chat invite). */
  capPerDays: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(365)), 1),
})

/**
 * A proactive invite to the chatbot: a small bubble above the launcher, never a dialog. It shares
 * the one interruption budget with the exit offer, so a visitor gets at most one of them per page.
 */
export const ChatInviteSchema = v.strictObject({
  enabled: v.optional(v.boolean(), false),
  /** After this long on the page (from the page's start, not from when the widget arrived). */
  afterSeconds: v.optional(seconds(3600), 30),
  /** The bubble's text, in the site's language; default: a short question in the visitor's. */
  text: v.optional(text(160)),
  /** At most one proactive interruption per this many days (shared with the exit offer). */
  capPerDays: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(365)), 1),
})

export const AnalyticsSchema = v.strictObject({
  /** Yandex.Metrica counter id: goals go to `ym(counter, 'reachGoal', …)`. */
  ymCounter: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1))),
  /** Push events to `window.dataLayer` when the page has one. Default on. */
  dataLayer: v.optional(v.boolean(), true),
})

/**
 * The site's look: the widget takes the site's colour, side and corners. Every key optional; the
 * public config resolves them (shared/brand.ts), so a light accent gets dark text rather than a
 * refusal.
 */
export const BrandSchema = v.strictObject({
  /** Launcher, buttons and the visitor's chat bubbles; default the widget's blue #0b57d0. */
  accent: v.optional(v.pipe(v.string(), v.regex(HEX_COLOUR, 'must be a colour like "#0b57d0" (# and six hex digits)'))),
  /** The bottom corner the launcher and the chat sit in; default "right". */
  position: v.optional(v.picklist(POSITIONS, 'must be "right" or "left"')),
  launcher: v.optional(
    v.strictObject({
      /** Default "Перезвоните мне" / "Call me back" in the visitor's language. */
      text: v.optional(text(40)),
      /** Beside the text on a desktop, alone on a phone; default "phone". */
      icon: v.optional(v.picklist(LAUNCHER_ICONS, 'must be "phone" or "chat"')),
    }),
  ),
  /** Corner radius of the panels in px, 0–24; default 12. */
  radius: v.optional(v.pipe(v.number(), v.integer('must be a whole number of px'), v.minValue(0), v.maxValue(24))),
})

/**
 * The widget part of a site config. Every key optional: a site without hours is always "open",
 * without `exitIntent` shows no offer.
 *
 * @example
 * v.parse(WidgetSettingsSchema, {
 *   hours: { timezone: 'Europe/Moscow', week: { mon: [['09:00', '18:00']] }, callWithinSeconds: 30 },
 *   replyOffHours: { text: 'We will call you at the time you chose.', closed: 'We will call you at 9.' },
 * })
 */
export const WidgetSettingsSchema = v.strictObject({
  hours: v.optional(HoursSchema),
  /**
   * The worker's replies to a lead that arrives outside hours; `reply` stays the in-hours one.
   * `text`: the visitor chose a callback time; `closed`: a callback or form lead without one;
   * `exitIntent`, `chat`: those leads. Each optional, defaults in the visitor's language.
   */
  replyOffHours: v.optional(
    v.strictObject({
      text: v.optional(text(1000)),
      closed: v.optional(text(1000)),
      exitIntent: v.optional(text(1000)),
      chat: v.optional(text(1000)),
    }),
  ),
  exitIntent: v.optional(ExitIntentSchema),
  chatInvite: v.optional(ChatInviteSchema),
  analytics: v.optional(AnalyticsSchema),
  brand: v.optional(BrandSchema),
})

export type Hours = v.InferOutput<typeof HoursSchema>
export type ExitIntentSettings = v.InferOutput<typeof ExitIntentSchema>
export type ChatInviteSettings = v.InferOutput<typeof ChatInviteSchema>
export type AnalyticsSettings = v.InferOutput<typeof AnalyticsSchema>
export type BrandSettings = v.InferOutput<typeof BrandSchema>
export type WidgetSettingsInput = v.InferInput<typeof WidgetSettingsSchema>
export type WidgetSettings = v.InferOutput<typeof WidgetSettingsSchema>

/** What the widget reads of them: everything is public (no secrets in here). */
export interface PublicWidgetSettings {
  hours: Hours | null
  exitIntent: ExitIntentSettings | null
  chatInvite: ChatInviteSettings | null
  analytics: AnalyticsSettings | null
  /**
   * Always sent, defaults filled in and colours made to pass contrast; optional for the widget,
   * which may read an older server's config without it (`null`: one it could not read).
   */
  brand?: PublicBrand | null
}

export function toPublicWidgetSettings(settings: WidgetSettings): PublicWidgetSettings {
  return {
    hours: settings.hours ?? null,
    exitIntent: settings.exitIntent ?? null,
    chatInvite: settings.chatInvite ?? null,
    analytics: settings.analytics ?? null,
    brand: resolveBrand(settings.brand),
  }
}
