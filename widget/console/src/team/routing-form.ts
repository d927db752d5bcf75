// The Team page's routing form as data: managers, the mode, rules and the SLA read from a stored
// routing, the routing value they make, the JSON Merge Patch that turns the stored routing into it,
// and the keys the API's issues are put beside (saved-form.ts). The rules stay the API's (RoutingSchema in
// shared/schemas/routing.ts): the form converts, never checks.
import type { LeadSource } from '../../../../shared/schemas/lead'
import type { Manager, Routing } from '../../../../shared/schemas/routing'

export type Temperature = 'hot' | 'warm' | 'cold'
export const TEMPERATURES: readonly Temperature[] = ['hot', 'warm', 'cold']
export type RoutingMode = 'round_robin' | 'first_come'

export interface ManagerRow {
  /** Saved managers keep their id: leads, tokens and targets name them by it. */
  saved: boolean
  id: string
  name: string
  telegramUserId: string
  bitrixUserId: string
  amocrmUserId: string
  /** As typed; the API checks it and saves it as E.164. */
  phone: string
}

export interface RuleRow {
  temperature: Temperature[]
  source: LeadSource[]
  page: string
  answerQuestion: string
  /** The answers that match, comma-separated. */
  answerIn: string
  managers: string[]
}

export interface RoutingForm {
  managers: ManagerRow[]
  mode: RoutingMode
  rules: RuleRow[]
  slaOn: boolean
  sla: Record<Temperature, string> & { headOfSales: string; maxEscalations: string }
}

const text = (value: unknown): string => (typeof value === 'number' || typeof value === 'string' ? String(value) : '')

/** The form for a stored routing (as GET /v1/admin/sites/:site reads it); none reads as an empty team. */
export function formFromRouting(routing: Routing | undefined): RoutingForm {
  return {
    managers: (routing?.managers ?? []).map((m) => ({
      saved: true,
      id: m.id,
      name: m.name,
      telegramUserId: text(m.telegramUserId),
      bitrixUserId: text(m.bitrixUserId),
      amocrmUserId: text(m.amocrmUserId),
      phone: m.phone ?? '',
    })),
    mode: routing?.mode ?? 'round_robin',
    rules: (routing?.rules ?? []).map((r) => ({
      temperature: [...(r.when.temperature ?? [])],
      source: [...(r.when.source ?? [])],
      page: r.when.page ?? '',
      answerQuestion: r.when.answer?.question ?? '',
      answerIn: (r.when.answer?.in ?? []).map(String).join(', '),
      managers: [...r.managers],
    })),
    slaOn: routing?.sla !== undefined,
    sla: {
      hot: text(routing?.sla?.minutes.hot),
      warm: text(routing?.sla?.minutes.warm),
      cold: text(routing?.sla?.minutes.cold),
      headOfSales: routing?.sla?.headOfSales ?? '',
      maxEscalations: text(routing?.sla?.maxEscalations),
    },
  }
}

/** A number when the text is one; anything else as typed, for the API to name. */
function numberOf(value: string): number | string {
  const trimmed = value.trim()
  return /^-?\d+(\.\d+)?$/.test(trimmed) ? Number(trimmed) : trimmed
}

function optionalNumber<K extends string>(key: K, value: string): Partial<Record<K, number | string>> {
  return value.trim() === '' ? {} : ({ [key]: numberOf(value) } as Record<K, number | string>)
}

/** A new manager's suggested id: the next free `manager-N`. */
export function nextManagerId(managers: readonly ManagerRow[]): string {
  const taken = new Set(managers.map((m) => m.id))
  let n = managers.length + 1
  while (taken.has(`manager-${n}`)) n++
  return `manager-${n}`
}

/**
 * The routing the form describes, as the API takes it; null for a team with no managers, rules
 * or SLA (the site routes to nobody, as before routing was set up).
 */
export function routingOf(form: RoutingForm): Record<string, unknown> | null {
  if (form.managers.length === 0 && form.rules.length === 0 && !form.slaOn) return null
  return {
    managers: form.managers.map((m) => ({
      id: m.id.trim(),
      name: m.name,
      ...optionalNumber('telegramUserId', m.telegramUserId),
      ...optionalNumber('bitrixUserId', m.bitrixUserId),
      ...optionalNumber('amocrmUserId', m.amocrmUserId),
      ...(m.phone.trim() !== '' && { phone: m.phone.trim() }),
    })),
    mode: form.mode,
    rules: form.rules.map((r) => {
      const values = r.answerIn
        .split(',')
        .map((v) => v.trim())
        .filter(Boolean)
      const when = {
        ...(r.temperature.length > 0 && { temperature: TEMPERATURES.filter((t) => r.temperature.includes(t)) }),
        ...(r.source.length > 0 && { source: r.source }),
        ...(r.page.trim() !== '' && { page: r.page.trim() }),
        ...((r.answerQuestion.trim() !== '' || values.length > 0) && { answer: { question: r.answerQuestion.trim(), in: values } }),
      }
      return { when, managers: r.managers }
    }),
    ...(form.slaOn && {
      sla: {
        minutes: { hot: numberOf(form.sla.hot), warm: numberOf(form.sla.warm), cold: numberOf(form.sla.cold) },
        ...(form.sla.headOfSales !== '' && { headOfSales: form.sla.headOfSales }),
        ...optionalNumber('maxEscalations', form.sla.maxEscalations),
      },
    }),
  }
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value)

/**
 * The JSON Merge Patch (RFC 7396) that turns `from` into `to`: a key `to` lacks is `null` (removed),
 * objects recurse, and anything else, arrays included, is sent whole — a merge patch replaces an
 * array wholesale, so the managers and rules sent are the whole lists.
 * @example
 * mergePatchTo({ sla: { minutes: { hot: 5 }, headOfSales: 'olga' } }, { sla: { minutes: { hot: 5 } } }) // → { sla: { minutes: { hot: 5 }, headOfSales: null } }
 */
export function mergePatchTo(from: unknown, to: unknown): unknown {
  if (!isObject(to) || !isObject(from)) return to
  const patch: Record<string, unknown> = {}
  for (const key of Object.keys(from)) if (!(key in to)) patch[key] = null
  for (const [key, value] of Object.entries(to)) patch[key] = mergePatchTo(from[key], value)
  return patch
}

/** The site config patch that saves the form over the stored routing. */
export function routingPatch(stored: Routing | undefined, form: RoutingForm): { routing: unknown } {
  const next = routingOf(form)
  return { routing: next === null ? null : mergePatchTo(stored, next) }
}

/** Whether the form says something else than the stored routing. */
export function isDirty(stored: Routing | undefined, form: RoutingForm): boolean {
  return JSON.stringify(routingOf(form)) !== JSON.stringify(routingOf(formFromRouting(stored)))
}

/** The managers as the rest of the console names them (token owners, "Take it as"). */
export function managersOf(routing: Routing | undefined): Manager[] {
  return routing?.managers ?? []
}

/**
 * The keys errors are shown at: one per input or group of the form, relative to `routing` (an issue
 * goes to the longest key that is its path or a prefix: `routing.rules.0.managers.1` →
 * `rules.0.managers`; one outside the routing, a telephony target's operator naming a removed
 * manager say, is the form's own).
 */
export function fieldKeys(form: RoutingForm): string[] {
  return [
    'managers',
    'mode',
    ...form.managers.flatMap((_, i) => ['id', 'name', 'phone', 'telegramUserId', 'bitrixUserId', 'amocrmUserId'].map((k) => `managers.${i}.${k}`)),
    'rules',
    ...form.rules.flatMap((_, i) => ['when.temperature', 'when.source', 'when.page', 'when.answer', 'when.answer.in', 'managers'].map((k) => `rules.${i}.${k}`)),
    'sla',
    'sla.minutes.hot',
    'sla.minutes.warm',
    'sla.minutes.cold',
    'sla.headOfSales',
    'sla.maxEscalations',
  ]
}
