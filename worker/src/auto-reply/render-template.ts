// Fills auto-reply templates: {name}, {callbackAt}, {company}; HTML bodies escape every value.
import type { LeadPayload } from '../model/lead'

export type TemplateLocale = 'ru' | 'en'

export interface TemplateValues {
  name: string
  callbackAt: string
  company: string
}

const PLACEHOLDER = /\{(name|callbackAt|company)\}/g

export function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;')
}

/** Plain text: values as they are. Unknown `{…}` stay, so a typo shows instead of vanishing. */
export function renderText(template: string, values: TemplateValues): string {
  return template.replace(PLACEHOLDER, (_, key: keyof TemplateValues) => values[key])
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
export function pickLocale(
  lead: LeadPayload,
  available: Partial<Record<TemplateLocale, unknown>>,
  fallback: TemplateLocale,
): TemplateLocale {
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

export function templateValues(
  lead: LeadPayload,
  company: string,
  locale: TemplateLocale,
): TemplateValues {
  return { name: lead.contact.name ?? '', callbackAt: formatCallbackAt(lead, locale), company }
}
