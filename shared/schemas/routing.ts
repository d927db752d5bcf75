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
    rules: v.optional(
      v.array(v.strictObject({ when: RoutingConditionSchema, managers: v.pipe(v.array(ManagerIdSchema), v.minLength(1)) })),
      [],
    ),
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
  v.check((routing) => {
    const ids = new Set(routing.managers.map((m) => m.id))
    return ids.size === routing.managers.length
  }, 'manager ids must be unique'),
  v.check((routing) => {
    const ids = new Set(routing.managers.map((m) => m.id))
    const named = [...routing.rules.flatMap((r) => r.managers), ...(routing.sla?.headOfSales ? [routing.sla.headOfSales] : [])]
    return named.every((id) => ids.has(id))
  }, 'rules and sla.headOfSales may only name listed managers'),
)

export type Routing = v.InferOutput<typeof RoutingSchema>
export type Manager = v.InferOutput<typeof ManagerSchema>
export type RoutingCondition = v.InferOutput<typeof RoutingConditionSchema>
