// Picks the managers a lead may go to (pure), so the worker and tests agree on the rules.
import type { LeadAnswers, LeadSource } from './schemas/lead'
import type { Manager, Routing, RoutingCondition } from './schemas/routing'
import type { Temperature } from './score'

export interface RoutableLead {
  source: LeadSource
  temperature: Temperature
  page?: string
  answers?: LeadAnswers
}

function holds(condition: RoutingCondition, lead: RoutableLead): boolean {
  if (condition.temperature && !condition.temperature.includes(lead.temperature)) return false
  if (condition.source && !condition.source.includes(lead.source)) return false
  if (condition.page && !(lead.page ?? '').includes(condition.page)) return false
  if (condition.answer) {
    const value = lead.answers?.[condition.answer.question]
    const values = Array.isArray(value) ? value : value === undefined ? [] : [value]
    if (!values.some((item) => condition.answer!.in.includes(item))) return false
  }
  return true
}

/** The managers of the first matching rule, or all managers; never empty. */
export function eligibleManagers(routing: Routing, lead: RoutableLead): Manager[] {
  const rule = routing.rules.find((r) => holds(r.when, lead))
  if (!rule) return routing.managers
  const byId = new Map(routing.managers.map((m) => [m.id, m]))
  const picked = rule.managers.map((id) => byId.get(id)).filter((m): m is Manager => m !== undefined)
  return picked.length > 0 ? picked : routing.managers
}

/**
 * Round robin: `turn` is a per-site counter the store increments atomically.
 *
 * @example
 * pickManager(routing, lead, 7) // → the (7 mod n)-th eligible manager
 */
export function pickManager(routing: Routing, lead: RoutableLead, turn: number): Manager {
  const pool = eligibleManagers(routing, lead)
  return pool[((turn % pool.length) + pool.length) % pool.length]!
}

/** The manager after `current` in the same pool, for escalation. */
export function nextManager(routing: Routing, lead: RoutableLead, currentId: string | null): Manager {
  const pool = eligibleManagers(routing, lead)
  const index = pool.findIndex((m) => m.id === currentId)
  return pool[(index + 1) % pool.length]!
}
