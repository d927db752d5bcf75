// What the widget remembers about a visitor across pages, in first-party localStorage: first and
// last marketing touch (UTM, click ids, external referrer, landing page), visits and pages seen.
// Leads carry it in `context`, so a lead on page five still credits the ad that brought them.
import type { LeadContextInput } from '../core/lead-context'
import { collectContext, pageAttribution } from '../core/lead-context'

export const VISITOR_KEY = 'leadcatcher:visitor'
/** A gap longer than this starts a new visit (the usual analytics session length). */
export const VISIT_GAP_MS = 30 * 60_000

export interface Touch {
  utm?: LeadContextInput['utm']
  clickIds?: LeadContextInput['clickIds']
  referrer?: string
  landing: string
  /** ISO time of the touch. */
  at: string
}

export interface Visitor {
  first: Touch
  last: Touch
  visits: number
  pagesViewed: number
  lastSeen: number
}

function load(): Visitor | null {
  try {
    const value = JSON.parse(localStorage.getItem(VISITOR_KEY) ?? 'null') as Visitor | null
    return value && typeof value.visits === 'number' && value.first && value.last ? value : null
  } catch {
    return null
  }
}

function save(visitor: Visitor): void {
  try {
    localStorage.setItem(VISITOR_KEY, JSON.stringify(visitor))
  } catch {
    // Storage refused (private mode, quota): attribution stays this page's only.
  }
}

function isExternal(referrer: string | undefined, href: string): boolean {
  if (!referrer) return false
  try {
    return new URL(referrer).host !== new URL(href).host
  } catch {
    return false
  }
}

/** Same campaign tags, click ids and external referrer: where the visitor came from is unchanged. */
function sameSource(a: Touch, b: Touch): boolean {
  const source = (t: Touch) => JSON.stringify([t.utm ?? null, t.clickIds ?? null, t.referrer ?? null])
  return source(a) === source(b)
}

/**
 * Counts this page view and updates the touches; call once per page load. A page with UTM tags,
 * a click id or an external referrer is a new marketing touch; internal navigation is not.
 *
 * @example
 * const visitor = recordVisit() // { visits: 2, pagesViewed: 7, first: {…}, last: {…} }
 */
export function recordVisit(href: string = location.href, referrer: string = document.referrer, now: number = Date.now()): Visitor {
  const page = pageAttribution(href, referrer)
  const touch: Touch = { landing: href, at: new Date(now).toISOString() }
  if (page.utm) touch.utm = page.utm
  if (page.clickIds) touch.clickIds = page.clickIds
  if (isExternal(referrer, href)) touch.referrer = referrer
  const known = load()
  const withinGap = known !== null && now - known.lastSeen <= VISIT_GAP_MS
  // A reload of the ad's landing page (same tags, and the browser keeps the referrer) within the
  // gap is the same touch, not a new one.
  const isTouch = Boolean(touch.utm || touch.clickIds || touch.referrer) && !(known && withinGap && sameSource(known.last, touch))
  const visitor: Visitor = known
    ? {
        first: known.first,
        last: isTouch ? touch : known.last,
        // A new marketing touch is a new visit even inside the gap (analytics tools agree).
        visits: known.visits + (!withinGap || isTouch ? 1 : 0),
        pagesViewed: known.pagesViewed + 1,
        lastSeen: now,
      }
    : { first: touch, last: touch, visits: 1, pagesViewed: 1, lastSeen: now }
  save(visitor)
  return visitor
}

/**
 * The lead's context: this page, plus the last touch's attribution when this page has none, and
 * the visit counters.
 */
export function visitorContext(visitor: Visitor | null, page: LeadContextInput = collectContext()): LeadContextInput {
  const context = { ...page }
  if (visitor) {
    const { last } = visitor
    if (!context.utm && !context.clickIds) {
      if (last.utm) context.utm = last.utm
      if (last.clickIds) context.clickIds = last.clickIds
    }
    if (!isExternal(context.referrer, context.page ?? '') && last.referrer) context.referrer = last.referrer
    if (last.landing !== context.page) context.landing = last.landing
    context.visits = visitor.visits
    context.pagesViewed = visitor.pagesViewed
    context.firstTouch = visitor.first
  }
  return context
}

/** What was last recorded, for the lead of a page that recorded nothing yet. */
export const currentVisitor = load
