// The new-site wizard as data: the draft the steps fill in, the site config it makes, and the
// draft checked with the API's own schema (SiteConfigSchema, with the API's paths and words) so
// each problem lands at its field and on its step before anything is sent. The server checks
// again (unknown countries, private target addresses) and its issues are placed the same way.
import * as v from 'valibot'
import type { FieldIssue } from '../../../../shared/api'
import { SITE_KEY_PATTERN } from '../../../../shared/schemas/lead'
import { SiteConfigSchema } from '../../../../shared/schemas/site-config'
import { humanMessage, toFieldIssues } from '../../../../shared/valibot-issues'
import { placeIssues } from '../saved-form'
import type { PlacedIssues } from '../saved-form'
import { FIELD_KEYS, formFromConfig, patchOf } from '../settings/settings-form'
import type { FormState } from '../settings/settings-form'
import type { TargetDraft } from '../targets/target-fields'

/** The Settings sections step 2 shows (settings-form.ts keys them). */
export const TEXT_SECTIONS = ['consent', 'hours', 'reply'] as const

export interface SiteDraft {
  key: string
  /** One origin per line, as typed. */
  origins: string
  country: string
  locale: 'ru' | 'en'
  /** Step 2: the Settings form's fields of TEXT_SECTIONS. */
  texts: FormState
  /** Step 3: the targets as the API takes them (the targets editor makes them); null before step 3 is seen. */
  targets: TargetDraft[] | null
}

export const EMPTY_TEXTS: FormState = formFromConfig({})

export function emptyDraft(locale: 'ru' | 'en'): SiteDraft {
  return { key: '', origins: '', country: 'RU', locale, texts: EMPTY_TEXTS, targets: null }
}

/** The five steps; the site is created when step 3 is left, so 4 and 5 work on a real site. */
export const STEP_COUNT = 5
export type Step = 1 | 2 | 3 | 4 | 5

/** A merge patch applied to nothing: the same object without its nulls (RFC 7396 on `{}`). */
function withoutNulls(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value
  const out: Record<string, unknown> = {}
  for (const [key, child] of Object.entries(value)) if (child !== null) out[key] = withoutNulls(child)
  return out
}

export function originsOf(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map((line) => line.trim())
    .filter(Boolean)
}

/** The body of PUT /v1/admin/sites/:key for the draft. */
export function configOf(draft: SiteDraft): Record<string, unknown> {
  const texts = withoutNulls(patchOf(EMPTY_TEXTS, draft.texts)) as Record<string, unknown>
  return {
    origins: originsOf(draft.origins),
    country: draft.country.trim().toUpperCase(),
    locale: draft.locale,
    ...texts,
    targets: draft.targets ?? [],
  }
}

/** Which step shows the field an issue names. */
export function stepOf(path: string): Step {
  const head = path.split('.')[0] ?? ''
  if (head === 'site' || head === 'origins' || head === 'country' || head === 'locale') return 1
  if ((TEXT_SECTIONS as readonly string[]).includes(head)) return 2
  return 3
}

export interface DraftIssues {
  /** Step 1's fields: `site`, `origins`, `country`, `locale`. */
  site: Record<string, string[]>
  /** Step 2's fields, keyed as the Settings form keys them. */
  texts: PlacedIssues
  /** Step 3: issues under `targets.<i>` (paths kept whole) and whole-config ones. */
  targets: FieldIssue[]
}

export const NO_ISSUES: DraftIssues = { site: {}, texts: { byField: {}, other: [] }, targets: [] }

/** Puts each issue on its step and at its field; `origins.1` goes to the origins box. */
export function placeDraftIssues(issues: readonly FieldIssue[]): DraftIssues {
  const site: Record<string, string[]> = {}
  const texts: FieldIssue[] = []
  const targets: FieldIssue[] = []
  for (const issue of issues) {
    const step = stepOf(issue.path)
    if (step === 1) {
      const field = issue.path.split('.')[0]!
      const at = issue.path.split('.')[1]
      ;(site[field] ??= []).push(field === 'origins' && at !== undefined ? `${Number(at) + 1}: ${issue.message}` : issue.message)
    } else if (step === 2) texts.push(issue)
    else targets.push(issue)
  }
  return { site, texts: placeIssues(texts, FIELD_KEYS), targets }
}

const KEY_MESSAGE = 'must be 1–64 lowercase letters, digits, "_" or "-", starting with a letter or digit'

/**
 * The draft checked as the API will check it: the key with the API's site-key rule, the config
 * with SiteConfigSchema. Only issues on steps up to `upTo` are kept, so an untouched later step
 * says nothing yet.
 */
export function checkDraft(draft: SiteDraft, upTo: Step): FieldIssue[] {
  const issues: FieldIssue[] = []
  if (!SITE_KEY_PATTERN.test(draft.key)) issues.push({ path: 'site', code: 'invalid_format', message: KEY_MESSAGE })
  const parsed = v.safeParse(SiteConfigSchema, configOf(draft), { message: humanMessage })
  if (!parsed.success) issues.push(...toFieldIssues(parsed.issues, '', SiteConfigSchema))
  return issues.filter((issue) => stepOf(issue.path) <= upTo)
}

/** The first step with a problem, or null. */
export function firstStepWithIssues(issues: readonly FieldIssue[]): Step | null {
  return issues.reduce<Step | null>((first, issue) => {
    const step = stepOf(issue.path)
    return first === null || step < first ? step : first
  }, null)
}
