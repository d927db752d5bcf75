// Managers' own phones (routing.managers[].phone) for auto-dial: saved as E.164 after the same check
// a lead's phone gets, and what a telephony operator without a `number` rings instead.
import type { FieldIssue } from '../../../shared/api'
import { isKnownCountry, normalizePhone } from '../../../shared/phone'
import type { SiteConfig } from '../../../shared/schemas/site-config'
import type { Manager } from '../../../shared/schemas/routing'
import { isTelephonyTarget } from '../../../shared/schemas/targets/telephony'
import type { TelephonyTarget } from '../../../shared/schemas/targets/telephony'
import { PHONE_METADATA } from '../phone/phone-metadata'

/**
 * The config with every manager's phone as E.164, or an issue at each phone that is no real
 * number (`routing.managers.1.phone`). A number without "+" is read in the site's country.
 */
export function normalizeManagerPhones(config: SiteConfig): { config: SiteConfig; issues: FieldIssue[] } {
  const routing = config.routing
  if (!routing?.managers.some((m) => m.phone !== undefined)) return { config, issues: [] }
  // An unknown country is reported at `country` by the other checks; "+…" numbers still parse.
  const defaultCountry = isKnownCountry(config.country, PHONE_METADATA) ? config.country : 'RU'
  const issues: FieldIssue[] = []
  const managers = routing.managers.map((manager, i): Manager => {
    if (manager.phone === undefined) return manager
    const result = normalizePhone(manager.phone, { defaultCountry, metadata: PHONE_METADATA, strictness: 'valid' })
    if (result.ok) return { ...manager, phone: result.e164 }
    issues.push({
      path: `routing.managers.${i}.phone`,
      code: 'invalid_format',
      message: `"${manager.phone}" is not a valid phone number${manager.phone.trim().startsWith('+') ? '' : ` in ${defaultCountry}`}; write it with the country code, like +79123456789`,
    })
    return manager
  })
  return { config: { ...config, routing: { ...routing, managers } }, issues }
}

/** An issue at each telephony operator that has no number and whose manager has no phone either. */
export function operatorNumberIssues(config: SiteConfig): FieldIssue[] {
  const phones = new Map((config.routing?.managers ?? []).map((m) => [m.id, m.phone]))
  const issues: FieldIssue[] = []
  config.targets.forEach((target, i) => {
    if (!isTelephonyTarget(target)) return
    target.operators.forEach((operator, j) => {
      if (operator.number !== undefined || phones.get(operator.manager) !== undefined) return
      issues.push({
        path: `targets.${i}.operators.${j}.number`,
        code: 'required',
        message: `give the number to ring "${operator.manager}" on, or a phone for "${operator.manager}" on the Team page (routing.managers)`,
      })
    })
  })
  return issues
}

export interface RingOperator {
  manager: string
  number: string
}

/**
 * Who is rung, in order: the routed manager first, then the other operators in their order, each
 * on the operator's number or else the manager's phone. An operator with neither (the admin API
 * refuses one; a config stored before that check) is left out rather than rung on nothing.
 */
export function ringOrder(target: TelephonyTarget, routedManagerId: string | undefined, managers: readonly Manager[] = []): RingOperator[] {
  const withNumbers = target.operators.flatMap((o) => {
    const number = o.number ?? managers.find((m) => m.id === o.manager)?.phone
    return number === undefined ? [] : [{ manager: o.manager, number }]
  })
  const routed = withNumbers.filter((o) => o.manager === routedManagerId)
  return [...routed, ...withNumbers.filter((o) => o.manager !== routedManagerId)]
}
