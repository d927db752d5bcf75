// Fills auto-reply templates: {name}, {callbackAt}, {company}; HTML bodies escape every value. An
// empty value takes its clause with it ("Здравствуйте, {name}!" → "Здравствуйте!"), and a lead
// without a phone gets a template that promises no call.
import type { EmailTemplate } from '../../../shared/schemas/targets/auto-reply'
import type { LeadPayload } from '../model/lead'

export type TemplateLocale = 'ru' | 'en'

export interface TemplateValues {
  name: string
  callbackAt: string
  company: string
}

const PLACEHOLDER = /\{(name|callbackAt|company)\}/g

export function escapeHtml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;').replaceAll("'", '&#39;')
}

const KEYS = ['name', 'callbackAt', 'company'] as const

/**
 * Takes out a placeholder whose value is empty with the words that only made sense around it: a
 * vocative between commas, the comma after it at the start of a sentence, whose next letter becomes
 * a capital ("{name}, мы получили…" → "Мы получили…"), or the comma or space before it at the end
 * of a clause ("Hi {name}!" → "Hi!"); elsewhere the placeholder alone, with one space kept.
 */
function dropEmpty(template: string, key: (typeof KEYS)[number]): string {
  const p = `\\{${key}\\}`
  return template
    .replace(new RegExp(`[ \\t]*,[ \\t]*${p}[ \\t]*,[ \\t]*`, 'g'), ' ')
    .replace(new RegExp(`(^|[.!?][ \\t]+|\\n[ \\t]*)${p}[ \\t]*,?[ \\t]*(\\p{L})`, 'gu'), (_, start: string, letter: string) => start + letter.toUpperCase())
    .replace(new RegExp(`[ \\t]*,?[ \\t]*${p}(?=[ \\t]*(?:[!?.,;:)\\n]|$))`, 'g'), '')
    .replace(new RegExp(`([ \\t]?)${p}[ \\t]*`, 'g'), '$1')
}

/** Plain text: values as they are. Unknown `{…}` stay, so a typo shows instead of vanishing. */
export function renderText(template: string, values: TemplateValues): string {
  let text = template
  for (const key of KEYS) if (values[key] === '') text = dropEmpty(text, key)
  return text.replace(PLACEHOLDER, (_, key: keyof TemplateValues) => values[key])
}

/**
 * HTML: the template is text too (site owners write text, not markup), so it is escaped with the
 * values; blank lines become paragraphs and line breaks `<br>`.
 */
export function renderHtml(template: string, values: TemplateValues): string {
  const paragraphs = renderText(template, values)
    .split(/\n{2,}/)
    .map((p) => `<p>${escapeHtml(p).replaceAll('\n', '<br>')}</p>`)
  return `<!doctype html><html><body>${paragraphs.join('')}</body></html>`
}

const SOON: Record<TemplateLocale, string> = { ru: 'в ближайшее время', en: 'shortly' }

/**
 * The visitor's language when a template exists for it, else the target's default: the language
 * they saw the widget in first, then their browser's.
 */
export function pickLocale(lead: LeadPayload, available: Partial<Record<TemplateLocale, unknown>>, fallback: TemplateLocale): TemplateLocale {
  for (const wanted of [lead.locale, lead.context?.locale?.slice(0, 2).toLowerCase()]) {
    if ((wanted === 'ru' || wanted === 'en') && available[wanted] !== undefined) return wanted
  }
  if (available[fallback] !== undefined) return fallback
  return available.ru !== undefined ? 'ru' : 'en'
}

/** Callback time in the visitor's time zone and language, e.g. "24 нояб. 2026 г., 10:00". */
export function formatCallbackAt(lead: LeadPayload, locale: TemplateLocale): string {
  if (!lead.callbackAt) return SOON[locale]
  const date = new Date(lead.callbackAt)
  if (Number.isNaN(date.getTime())) return lead.callbackAt
  const options: Intl.DateTimeFormatOptions = { dateStyle: 'medium', timeStyle: 'short' }
  try {
    return new Intl.DateTimeFormat(locale, {
      ...options,
      ...(lead.context?.timezone && { timeZone: lead.context.timezone }),
    }).format(date)
  } catch {
    // An unknown time zone from the browser: fall back to UTC rather than lose the reply.
    return new Intl.DateTimeFormat(locale, { ...options, timeZone: 'UTC' }).format(date) + ' UTC'
  }
}

export function templateValues(lead: LeadPayload, company: string, locale: TemplateLocale): TemplateValues {
  return { name: lead.contact.name ?? '', callbackAt: formatCallbackAt(lead, locale), company }
}

/** For a lead without a phone when the site wrote no `withoutPhone`: an answer by email, no call. */
const WITHOUT_PHONE: Record<TemplateLocale, { subject: string; text: string }> = {
  ru: {
    subject: 'Заявка принята',
    text: 'Здравствуйте, {name}!\n\n{company}: заявка принята. Ответим вам на этот адрес в ближайшее время.',
  },
  en: {
    subject: 'We have your request',
    text: 'Hello {name},\n\n{company} has your request and will answer you at this address shortly.',
  },
}

/**
 * The email template for this lead: the site's own, or for a lead that left no phone its
 * `withoutPhone` (the built-in one when absent), so nobody without a phone is promised a call.
 */
export function emailTemplateFor(lead: LeadPayload, template: EmailTemplate, locale: TemplateLocale): { subject: string; text: string } {
  if (lead.contact.phone !== undefined) return template
  return template.withoutPhone ?? WITHOUT_PHONE[locale]
}
