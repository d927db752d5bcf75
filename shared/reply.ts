// Which reply text the worker answers a lead with: by the site's working hours (the same logic the
// widget uses for its promise, so both say the same thing), by what the lead asked for, and in the
// language the visitor saw. A lead without a phone is never promised a call.
import { DAYS, isOpen, localTime, nextOpening } from './hours'
import type { Day, Opening } from './hours'
import { defaultReplyText, secondsText } from './messages'
import type { LeadSource } from './schemas/lead'
import type { Hours } from './schemas/widget-settings'
import type { Locale } from './schemas/site-config'

/** What a lead is about, for its reply: a call back (callback and form leads), the exit offer, the chat. */
type ReplyKind = 'text' | 'exitIntent' | 'chat'
/** The reply kinds a site words itself; `written` (a callback or form lead without a phone) has defaults only. */
type ReplyCase = ReplyKind | 'written'

interface DefaultReplies {
  /** In hours; `seconds` is the widget's promise (`hours.callWithinSeconds`), absent without hours. */
  callWithin(seconds: number | undefined): string
  /** Off hours, the visitor chose when to be called. */
  chosenTime: string
  /** In hours, the exit offer and the chat. */
  exitIntent: string
  chat: string
  /** A callback or form lead that left no phone (an email only): an answer by email, never a call. */
  written: string
  /** Off hours without a chosen time; `opening` names when we open, or is null when unknown. */
  closed: Record<ReplyCase, (opening: string | null) => string>
  /**
   * "tomorrow at 09:00"; `relative` false names the weekday instead ("on Tuesday at 09:00"): the
   * site's today is not the visitor's in another zone.
   */
  opening(opening: Opening, relative: boolean): string
}

const EN_DAYS: Record<Day, string> = {
  sun: 'Sunday',
  mon: 'Monday',
  tue: 'Tuesday',
  wed: 'Wednesday',
  thu: 'Thursday',
  fri: 'Friday',
  sat: 'Saturday',
}
// "в" + the accusative: Intl only knows the nominative ("среда", not "в среду").
const RU_DAYS: Record<Day, string> = {
  sun: 'в воскресенье',
  mon: 'в понедельник',
  tue: 'во вторник',
  wed: 'в среду',
  thu: 'в четверг',
  fri: 'в пятницу',
  sat: 'в субботу',
}

const enWhenOpen = (opening: string | null) => (opening ? `when we open, ${opening}` : 'as soon as we open')
const ruWhenOpen = (opening: string | null) => (opening ? `когда откроемся: ${opening}` : 'как только откроемся')

const DEFAULTS: Record<Locale, DefaultReplies> = {
  en: {
    callWithin: (seconds) => (seconds === undefined ? defaultReplyText('en') : `Thank you! We will call you back within ${secondsText(seconds, 'en')}.`),
    chosenTime: 'Thank you! We are closed right now and will call you back at the time you chose.',
    exitIntent: 'Thank you! We have your request for the offer and will get in touch shortly.',
    chat: 'Thank you! We have your answers and will get in touch shortly.',
    written: 'Thank you! We have your request and will answer you by email shortly.',
    closed: {
      text: (opening) => `Thank you! We are closed right now and will call you back ${enWhenOpen(opening)}.`,
      exitIntent: (opening) => `Thank you! We have your request for the offer. We are closed right now and will get in touch ${enWhenOpen(opening)}.`,
      chat: (opening) => `Thank you! We have your answers. We are closed right now and will get in touch ${enWhenOpen(opening)}.`,
      written: (opening) => `Thank you! We have your request. We are closed right now and will answer you by email ${enWhenOpen(opening)}.`,
    },
    opening: ({ daysAhead, day, time }, relative) => `${relative && daysAhead === 0 ? 'today' : relative && daysAhead === 1 ? 'tomorrow' : `on ${EN_DAYS[day]}`} at ${time}`,
  },
  ru: {
    callWithin: (seconds) => (seconds === undefined ? defaultReplyText('ru') : `Спасибо! Перезвоним в течение ${secondsText(seconds, 'ru')}.`),
    chosenTime: 'Спасибо! Сейчас мы не работаем и перезвоним в выбранное вами время.',
    exitIntent: 'Спасибо! Заявка на предложение принята, скоро свяжемся с вами.',
    chat: 'Спасибо! Мы получили ваши ответы и скоро свяжемся с вами.',
    written: 'Спасибо! Заявка принята, скоро ответим вам по e-mail.',
    closed: {
      text: (opening) => `Спасибо! Сейчас мы не работаем и перезвоним, ${ruWhenOpen(opening)}.`,
      exitIntent: (opening) => `Спасибо! Заявка на предложение принята. Сейчас мы не работаем и свяжемся с вами, ${ruWhenOpen(opening)}.`,
      chat: (opening) => `Спасибо! Мы получили ваши ответы. Сейчас мы не работаем и свяжемся с вами, ${ruWhenOpen(opening)}.`,
      written: (opening) => `Спасибо! Заявка принята. Сейчас мы не работаем и ответим вам по e-mail, ${ruWhenOpen(opening)}.`,
    },
    opening: ({ daysAhead, day, time }, relative) => `${relative && daysAhead === 0 ? 'сегодня' : relative && daysAhead === 1 ? 'завтра' : RU_DAYS[day]} в ${time}`,
  },
}

export interface ReplyConfig {
  locale: Locale
  reply?: { text?: string | undefined; exitIntent?: string | undefined; chat?: string | undefined } | undefined
  replyOffHours?:
    | {
        text?: string | undefined
        closed?: string | undefined
        exitIntent?: string | undefined
        chat?: string | undefined
      }
    | undefined
  hours?: Hours | undefined
}

export interface ReplyLead {
  source: LeadSource
  callbackAt?: string | undefined
  /** The language the visitor saw the widget in; the site's locale when absent. */
  locale?: Locale | undefined
  /** The visitor's time zone (the browser's): when it is the site's, the opening time needs no offset. */
  timezone?: string | undefined
  /** False when the lead left no phone: then no text promises a call. True when absent. */
  hasPhone?: boolean | undefined
}

/**
 * `'UTC+3'` for Moscow, `'UTC+5:30'`, `'UTC'`; `null` for an unknown zone. Worked out from the local
 * time rather than Intl's `timeZoneName`, whose wording differs between ICU builds (Node says
 * "GMT", workerd "GMT+0").
 */
function utcOffset(timeZone: string, at: Date): string | null {
  const local = localTime(at, timeZone)
  if (!local) return null
  const days = (DAYS.indexOf(local.day) - at.getUTCDay() + 7) % 7
  const minutes = (days === 6 ? -1 : days) * 1440 + local.minutes - (at.getUTCHours() * 60 + at.getUTCMinutes())
  if (minutes === 0) return 'UTC'
  const abs = Math.abs(minutes)
  const hh = Math.floor(abs / 60)
  const mm = abs % 60
  return `UTC${minutes < 0 ? '-' : '+'}${hh}${mm ? `:${String(mm).padStart(2, '0')}` : ''}`
}

function openingText(hours: Hours, lead: ReplyLead, now: Date, texts: DefaultReplies): string | null {
  const opening = nextOpening(hours.week, hours.timezone, now)
  if (!opening) return null
  const sameZone = lead.timezone === hours.timezone
  const offset = sameZone ? null : utcOffset(hours.timezone, opening.at)
  // The hours are the site's: a visitor elsewhere needs the weekday and the offset to read them right.
  const when = texts.opening(opening, sameZone)
  return offset ? `${when} (${offset})` : when
}

/**
 * The reply for a lead that arrives at `now`. A site without hours is always open. The site's own
 * texts win as they are (a site writes them in its language); the defaults speak the visitor's.
 *
 * - in hours: `reply.text` for a call back (default: the widget's "within N seconds"),
 *   `reply.exitIntent` / `reply.chat` for those leads;
 * - off hours with `callbackAt`: `replyOffHours.text` ("at the time you chose");
 * - off hours without it: `replyOffHours.closed` / `.exitIntent` / `.chat`, by default "we are
 *   closed and will call you when we open", naming the next opening when the week has one;
 * - a callback or form lead without a phone: never the site's call-back texts (`reply.text`,
 *   `replyOffHours.text`, `.closed`), which promise a call, but "we will answer you by email".
 *
 * @example
 * const replyText = replyTextFor(config, { source: 'callback', locale: 'en' }, new Date(meta.now))
 */
export function replyTextFor(config: ReplyConfig, lead: ReplyLead, now: Date): string {
  const texts = DEFAULTS[lead.locale ?? config.locale]
  const kind: ReplyKind = lead.source === 'exit_intent' ? 'exitIntent' : lead.source === 'chat' ? 'chat' : 'text'
  const { hours } = config
  if (kind === 'text' && lead.hasPhone === false) {
    if (!hours || isOpen(hours.week, hours.timezone, now)) return texts.written
    return texts.closed.written(openingText(hours, lead, now, texts))
  }
  if (!hours || isOpen(hours.week, hours.timezone, now)) {
    const own = config.reply?.[kind]
    if (own !== undefined) return own
    return kind === 'text' ? texts.callWithin(hours?.callWithinSeconds) : texts[kind]
  }
  if (lead.callbackAt !== undefined) return config.replyOffHours?.text ?? texts.chosenTime
  const own = config.replyOffHours?.[kind === 'text' ? 'closed' : kind]
  if (own !== undefined) return own
  return texts.closed[kind](openingText(hours, lead, now, texts))
}
