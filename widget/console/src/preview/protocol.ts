// The messages between the console's Settings page and its preview frame (preview.html). The frame
// is sandboxed without allow-same-origin, so postMessage is the only way across: the console sends
// the draft's public config, the language and what to open; the frame asks the console to send a
// lead (as a test lead) and to read the phone metadata, and the console answers. Both sides check
// who sent a message (source and origin) and its shape before acting on it.
import type { Locale } from '../../../../shared/schemas/site-config'

/** What the preview can open on demand (the widget's `Leadcatcher.open()` targets). */
export const PREVIEW_PARTS = ['callback', 'exit', 'invite', 'chat'] as const
export type PreviewPart = (typeof PREVIEW_PARTS)[number]

/** Console → frame. */
export type ToFrame =
  /** (Re)mount the widget on this config, in this language, then open `open` when given. */
  | { type: 'lc-preview:show'; site: string; config: unknown; locale: Locale; open: PreviewPart | null }
  | { type: 'lc-preview:open'; part: PreviewPart }
  /** The answer to a request the frame made, as an HTTP status and JSON body for the widget. */
  | { type: 'lc-preview:answer'; id: number; status: number; body: unknown }

/** Frame → console. */
export type FromFrame =
  /** The frame's script runs and listens: the console may send `show`. */
  | { type: 'lc-preview:ready' }
  /** The widget posted a lead (the body of POST /v1/leads). */
  | { type: 'lc-preview:lead'; id: number; lead: unknown }
  /** The widget asked for its phone metadata (GET /v1/sites/:site/phone-metadata). */
  | { type: 'lc-preview:phone-metadata'; id: number }

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value)
const isId = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value) && value > 0
const isPart = (value: unknown): value is PreviewPart => (PREVIEW_PARTS as readonly unknown[]).includes(value)

/** A message from the frame, or null for anything else (another window's, a malformed one). */
export function readFromFrame(data: unknown): FromFrame | null {
  if (!isRecord(data)) return null
  switch (data.type) {
    case 'lc-preview:ready':
      return { type: data.type }
    case 'lc-preview:lead':
      return isId(data.id) && isRecord(data.lead) ? { type: data.type, id: data.id, lead: data.lead } : null
    case 'lc-preview:phone-metadata':
      return isId(data.id) ? { type: data.type, id: data.id } : null
    default:
      return null
  }
}

/** A message from the console, or null for anything else. */
export function readToFrame(data: unknown): ToFrame | null {
  if (!isRecord(data)) return null
  switch (data.type) {
    case 'lc-preview:show':
      return typeof data.site === 'string' && isRecord(data.config) && (data.locale === 'ru' || data.locale === 'en') && (data.open === null || isPart(data.open))
        ? { type: data.type, site: data.site, config: data.config, locale: data.locale, open: data.open }
        : null
    case 'lc-preview:open':
      return isPart(data.part) ? { type: data.type, part: data.part } : null
    case 'lc-preview:answer':
      return isId(data.id) && typeof data.status === 'number' ? { type: data.type, id: data.id, status: data.status, body: data.body } : null
    default:
      return null
  }
}
