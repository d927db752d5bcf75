// Who gets a lead: managers, routing rules, the first-come mode and the SLA that escalates leads
// nobody takes. Part of the site config.
import * as v from 'valibot'
import { LEAD_SOURCES } from './lead'

const MANAGER_ID = /^[a-z0-9][a-z0-9_-]{0,31}$/
const ManagerIdSchema = v.pipe(v.string(), v.regex(MANAGER_ID, 'must be 1–32 lowercase letters, digits, "_" or "-"'))

export const ManagerSchema = v.strictObject({
  id: ManagerIdSchema,
  name: v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(100)),
  /** ASSIGNED_BY_ID in Bitrix24. */
  bitrixUserId: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1))),
  /** responsible_user_id in amoCRM. */
  amocrmUserId: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1))),
  /** Telegram user id: lets the "Take it" button know who pressed it. */
  telegramUserId: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1))),
  /**
   * The number auto-dial rings this manager on when a telephony operator gives none. Written as
   * typed (`8 912 345-67-89`); the admin API checks it against the full phone metadata and saves
   * it as E.164 (`+79123456789`), reading a number without "+" in the site's country.
   */
  phone: v.optional(v.pipe(v.string(), v.trim(), v.minLength(1, 'must not be empty'), v.maxLength(32, 'must be at most 32 characters'))),
})

export const RoutingConditionSchema = v.strictObject({
  temperature: v.optional(v.pipe(v.array(v.picklist(['hot', 'warm', 'cold'])), v.minLength(1))),
  source: v.optional(v.pipe(v.array(v.picklist(LEAD_SOURCES)), v.minLength(1))),
  /** Substring of the landing page URL, e.g. "/commercial". */
  page: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(500))),
  /** A chatbot answer or flow variable, e.g. `{ question: "route", in: ["senior"] }`. */
  answer: v.optional(
    v.strictObject({
      question: v.pipe(v.string(), v.minLength(1), v.maxLength(64)),
      in: v.pipe(v.array(v.union([v.string(), v.number(), v.boolean()])), v.minLength(1)),
    }),
  ),
})

export const RoutingSchema = v.pipe(
  v.strictObject({
    managers: v.pipe(v.array(ManagerSchema), v.minLength(1, 'name at least one manager'), v.maxLength(100)),
    /** round_robin assigns at once; first_come leaves the lead open until a manager takes it. */
    mode: v.optional(v.picklist(['round_robin', 'first_come']), 'round_robin'),
    /** The first rule whose conditions all hold picks the managers to rotate over; else everyone. */
    rules: v.optional(v.array(v.strictObject({ when: RoutingConditionSchema, managers: v.pipe(v.array(ManagerIdSchema), v.minLength(1)) })), []),
    sla: v.optional(
      v.strictObject({
        /** Minutes a lead may stay untaken, per temperature, before it escalates. */
        minutes: v.strictObject({
          hot: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(10_080)),
          warm: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(10_080)),
          cold: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(10_080)),
        }),
        /** Told about every escalation, and gets the lead once every manager had a turn. */
        headOfSales: v.optional(ManagerIdSchema),
        /** Escalation rounds before the lead stays with the head of sales. Default 3. */
        maxEscalations: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(20))),
      }),
    ),
  }),
  // Each problem at the id that causes it (`managers.1.id`, `rules.0.managers.2`, `sla.headOfSales`),
  // so a form can show it beside that field.
  v.rawCheck(({ dataset, addIssue }) => {
    if (!dataset.typed) return
    const routing = dataset.value
    const seen = new Set<string>()
    for (const [i, manager] of routing.managers.entries()) {
      if (seen.has(manager.id)) addIssue({ message: 'manager ids must be unique', path: [item(routing, 'managers'), item(routing.managers, i), item(manager, 'id')] })
      seen.add(manager.id)
    }
    const unknown = 'rules and sla.headOfSales may only name listed managers'
    for (const [i, rule] of routing.rules.entries()) {
      for (const [j, id] of rule.managers.entries()) {
        if (!seen.has(id)) addIssue({ message: unknown, path: [item(routing, 'rules'), item(routing.rules, i), item(rule, 'managers'), item(rule.managers, j)] })
      }
    }
    const head = routing.sla?.headOfSales
    if (routing.sla && head !== undefined && !seen.has(head)) addIssue({ message: unknown, path: [item(routing, 'sla'), item(routing.sla, 'headOfSales')] })
  }),
)

/** A path step of an issue, for `addIssue`: the key in its object or the index in its list. */
function item(input: object, key: string | number): v.IssuePathItem {
  const value = (input as Record<string | number, unknown>)[key]
  return Array.isArray(input)
    ? { type: 'array', origin: 'value', input, key: key as number, value }
    : { type: 'object', origin: 'value', input: input as Record<string, unknown>, key: String(key), value }
}

export type Routing = v.InferOutput<typeof RoutingSchema>
export type Manager = v.InferOutput<typeof ManagerSchema>
export type RoutingCondition = v.InferOutput<typeof RoutingConditionSchema>
