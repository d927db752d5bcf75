// Secrets in a site config are write-only: reads show them redacted, and a redacted value sent back
// by PUT or PATCH (an edited read) keeps the stored secret instead of replacing it.
import { redactCaptcha, siteCaptcha, targetId } from '../../../shared/schemas/site-config'
import type { SiteConfig, Target } from '../../../shared/schemas/site-config'
import { REDACTED, containsRedacted, redactUrl, restoreRedactedUrl } from '../../../shared/schemas/redacted'
import type { FieldIssue } from '../../../shared/api'
import { customerUrls, redactTarget } from '../delivery/adapters'

/** The config as admin reads show it: secrets masked, URLs without userinfo, query values or fragment. */
export function redactSiteConfig(config: SiteConfig): SiteConfig {
  return {
    ...redactCaptcha(config),
    targets: config.targets.map((target) => redactTargetUrls(redactTarget(target))),
  }
}

/**
 * Every URL a target calls (the ones the SSRF guard checks), with its secret parts redacted; what
 * else is secret in a target is its own redaction rule's (Bitrix24's code in the path, say).
 */
function redactTargetUrls(target: Target): Target {
  let out: unknown = target
  for (const { path } of customerUrls(target)) out = updateAt(out, path.split('.'), (url) => (typeof url === 'string' ? redactUrl(url) : url))
  return out as Target
}

/** A copy of `value` with the field at `keys` passed through `change`. */
function updateAt(value: unknown, keys: string[], change: (field: unknown) => unknown): unknown {
  if (keys.length === 0) return change(value)
  if (!isRecord(value)) return value
  const [key, ...rest] = keys as [string, ...string[]]
  return { ...value, [key]: updateAt(value[key], rest, change) }
}

type Json = unknown

const isRecord = (value: Json): value is Record<string, Json> => typeof value === 'object' && value !== null && !Array.isArray(value)

/** A redacted part as reads show it now (`•••`) or did before (`…`, which no secret schema accepts either). */
const looksRedacted = (value: string) => containsRedacted(value) || value.includes('…')

export interface RestoredConfig {
  /** The body with every redacted value that matches the stored config replaced by the stored secret. */
  value: Json
  /** Redacted values that match nothing stored: their secret cannot be known. */
  issues: FieldIssue[]
}

/**
 * Puts the stored secrets back where `incoming` (a config body, or a config merged from a patch)
 * holds them in their redacted form. Targets are matched by id (explicit, or type and position,
 * as deliveries refer to them); everything else by its path. A redacted URL whose scheme, host or
 * path changed is refused: its secret belongs to the old address.
 */
export function restoreRedactedSecrets(incoming: Json, stored: SiteConfig | null): RestoredConfig {
  const issues: FieldIssue[] = []
  if (!stored || !isRecord(incoming)) return { value: incoming, issues }
  const captcha = siteCaptcha(stored)
  const { turnstile: _legacy, ...storedRest } = stored as SiteConfig & { turnstile?: unknown }
  const raw: Record<string, Json> = { ...storedRest, ...(captcha && { captcha }) }
  const shown: Record<string, Json> = { ...redactSiteConfig(stored) }

  const walk = (value: Json, read: Json, secret: Json, path: string): Json => {
    if (typeof value === 'string') {
      if (typeof read !== 'string' || typeof secret !== 'string' || read === secret) return value
      if (value === read) return secret
      if (value === secret) return value
      if (!looksRedacted(value)) return value
      const url = /^https?:\/\//i.test(secret) ? restoreRedactedUrl(value, secret) : null
      if (url !== null) return url
      issues.push({
        path,
        code: 'redacted_mismatch',
        message: /^https?:\/\//i.test(secret)
          ? `has a redacted part (${REDACTED}) but is not the stored URL with its secrets redacted: a secret belongs to the address it was given for, so with a new scheme, host or path send the whole URL with its secret`
          : `is a redacted value (${REDACTED}) that is not the stored secret's: send the secret itself, or send back exactly what was read to keep the stored one`,
      })
      return value
    }
    if (Array.isArray(value)) {
      return value.map((item, i) => walk(item, Array.isArray(read) ? read[i] : undefined, Array.isArray(secret) ? secret[i] : undefined, `${path}.${i}`))
    }
    if (isRecord(value)) {
      return Object.fromEntries(
        Object.entries(value).map(([key, item]) => [
          key,
          walk(item, isRecord(read) ? read[key] : undefined, isRecord(secret) ? secret[key] : undefined, path ? `${path}.${key}` : key),
        ]),
      )
    }
    return value
  }

  const out: Record<string, Json> = {}
  for (const [key, item] of Object.entries(incoming)) {
    if (key === 'targets' && Array.isArray(item)) {
      out.targets = item.map((target, i) => {
        const id = isRecord(target) ? (typeof target.id === 'string' ? target.id : `${String(target.type)}-${i}`) : null
        const index = id === null ? -1 : stored.targets.findIndex((t, j) => targetId(t, j) === id && isRecord(target) && t.type === target.type)
        return index < 0 ? target : walk(target, (shown.targets as Json[])[index], (raw.targets as Json[])[index], `targets.${i}`)
      })
    } else if (key === 'turnstile' && captcha?.provider === 'turnstile') {
      // The older form pairs with the stored captcha, whichever form that was saved in.
      out.turnstile = walk(item, shown.captcha, raw.captcha, 'turnstile')
    } else {
      out[key] = walk(item, shown[key], raw[key], key)
    }
  }
  return { value: out, issues }
}
