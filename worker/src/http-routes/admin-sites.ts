// PUT/PATCH/GET /v1/admin/sites/:site: create or replace a site's configuration, change part of it
// (JSON Merge Patch), and read it back with its secrets redacted; and the site's tokens: make one
// (optionally for a named manager), list them, revoke one or all.
import { Hono } from 'hono'
import * as v from 'valibot'
import { checkFlow } from '../../../shared/flow'
import { isKnownCountry } from '../../../shared/phone'
import { SITE_KEY_PATTERN } from '../../../shared/schemas/lead'
import { SiteConfigSchema, siteCaptcha } from '../../../shared/schemas/site-config'
import type { SiteConfig } from '../../../shared/schemas/site-config'
import type { FieldIssue } from '../../../shared/api'
import type { SiteTokenSummary } from '../../../shared/console-api'
import { ApiError } from '../http/api-error'
import { configuredSite } from '../http/configured-site'
import { methodNotAllowed } from '../http/method-not-allowed'
import { readJsonBody } from '../http/read-json-body'
import { humanMessage, parseOrReject } from '../http/valibot-issues'
import { jsonBodyLimit } from '../middleware/json-body-limit'
import { PHONE_METADATA } from '../phone/phone-metadata'
import { customerUrls } from '../delivery/adapters'
import { applyMergePatch } from '../../../shared/merge-patch'
import { redactSiteConfig, restoreRedactedSecrets } from '../security/config-secrets'
import { isPrivateTarget } from '../security/private-target'
import type { SaveNote, SiteRecord, SiteTokenRecord } from '../storage/types'
import { configAuthorOf } from '../http/config-author'
import { isTelephonyTarget } from '../../../shared/schemas/targets/telephony'
import { autoDialWarnings } from '../telephony/auto-dial-warnings'
import { normalizeManagerPhones, operatorNumberIssues } from '../telephony/manager-phones'
import { assertOperator, assertSiteAccess } from '../security/access-scope'
import type { AdminEnv, Deps } from '../deps'
import { siteTokenHash } from '../middleware/admin-auth'

export const adminSitesRoute = new Hono<AdminEnv>()

export function siteKeyOf(raw: string): string {
  if (!SITE_KEY_PATTERN.test(raw)) {
    throw new ApiError(400, 'validation_failed', 'Invalid site key.', {
      issues: [{ path: 'site', message: 'must be 1–64 lowercase letters, digits, "_" or "-", starting with a letter or digit' }],
    })
  }
  return raw
}

export function describe(site: SiteRecord) {
  const warnings = autoDialWarnings(site.config)
  return {
    site: site.id,
    ...(warnings.length > 0 && { warnings }),
    config: redactSiteConfig(site.config),
    createdAt: new Date(site.createdAt).toISOString(),
    updatedAt: new Date(site.updatedAt).toISOString(),
  }
}

function semanticIssues(config: SiteConfig, { allowPrivateTargets, runtime }: Pick<Deps, 'allowPrivateTargets' | 'runtime'>): FieldIssue[] {
  const issues: FieldIssue[] = []
  if (!isKnownCountry(config.country, PHONE_METADATA)) {
    issues.push({ path: 'country', code: 'unknown_value', message: `unknown country code "${config.country}"` })
  }
  config.countries?.forEach((code, i) => {
    if (!isKnownCountry(code, PHONE_METADATA)) {
      issues.push({ path: `countries.${i}`, code: 'unknown_value', message: `unknown country code "${code}"` })
    }
  })
  if (config.chat) {
    const checked = checkFlow(config.chat.flow, { message: humanMessage })
    if (!checked.ok) {
      for (const problem of checked.problems) {
        issues.push({
          path: ['chat.flow', problem.path ?? (problem.node ? `nodes[${problem.node}]` : '')].filter(Boolean).join('.'),
          code: problem.code,
          message: problem.message,
        })
      }
    }
  }
  config.targets.forEach((target, i) => {
    if (isTelephonyTarget(target) && config.routing) {
      const managers = new Set(config.routing.managers.map((m) => m.id))
      target.operators.forEach((operator, j) => {
        if (!managers.has(operator.manager)) issues.push({ path: `targets.${i}.operators.${j}.manager`, message: `names no manager in routing.managers ("${operator.manager}")` })
      })
    }
    if (target.type === 'autoreply-email' && target.provider.name === 'cloudflare' && !runtime.cloudflareEmail) {
      issues.push({
        path: `targets.${i}.provider`,
        code: 'unavailable',
        message: `the Cloudflare Email binding is not available on this runtime (${runtime.name}); use an HTTP provider such as "unisender" (Unisender Go)`,
      })
    }
    for (const { path, url } of customerUrls(target)) {
      if (allowPrivateTargets || !isPrivateTarget(url)) continue
      issues.push({
        path: `targets.${i}.${path}`,
        code: 'private_address',
        message: 'private, loopback and link-local addresses are not allowed as targets',
      })
    }
  })
  return issues
}

/**
 * The sites this token may see, for the console's site switcher: every site for the operator, its
 * own for a site token. Names, origins, country, language and how many targets (the console's
 * Sites page); configs are read one site at a time.
 */
adminSitesRoute.get('/', async (c) => {
  const scope = c.get('scope')
  const all = await c.var.deps.sites.listSites()
  const visible = scope.kind === 'operator' ? all : all.filter((site) => site.id === scope.siteId)
  return c.json({
    sites: visible.map((site) => ({
      site: site.id,
      origins: site.config.origins,
      country: site.config.country,
      locale: site.config.locale,
      targets: site.config.targets.length,
      createdAt: new Date(site.createdAt).toISOString(),
      updatedAt: new Date(site.updatedAt).toISOString(),
    })),
  })
})

/**
 * Checks a whole config (a PUT body, the stored config with a PATCH merged in, or a version being
 * restored) and saves it as the site's next version, noting who saved it. A redacted secret sent
 * back as it was read keeps the stored secret.
 */
export async function saveConfig(deps: Deps, siteKey: string, json: unknown, stored: SiteRecord | null, note: SaveNote) {
  const restored = restoreRedactedSecrets(json, stored?.config ?? null)
  if (restored.issues.length > 0) {
    throw new ApiError(400, 'validation_failed', 'The site configuration is not valid.', { issues: restored.issues })
  }
  // Managers' phones are saved as E.164, checked like a lead's phone.
  const { config, issues: phoneIssues } = normalizeManagerPhones(parseOrReject(SiteConfigSchema, restored.value, 'The site configuration is not valid.'))
  const issues = [...phoneIssues, ...semanticIssues(config, deps), ...operatorNumberIssues(config)]
  const unresolved: FieldIssue[] = []
  if (!deps.allowPrivateTargets) {
    // A public-looking name can point at 127.0.0.1 or the metadata address (DNS rebinding aside).
    for (const [i, target] of config.targets.entries()) {
      for (const { path, url } of customerUrls(target)) {
        const privateAddresses = await deps.privateAddressesOf(url)
        if (privateAddresses === null) unresolved.push({ path: `targets.${i}.${path}`, code: 'unresolved', message: 'its host could not be looked up in DNS' })
        else if (privateAddresses.length > 0) {
          issues.push({ path: `targets.${i}.${path}`, code: 'private_address', message: `resolves to a private address (${privateAddresses.join(', ')})` })
        }
      }
    }
  }
  if (issues.length > 0) {
    throw new ApiError(400, 'validation_failed', 'The site configuration is not valid.', { issues })
  }
  // Fails closed: a host nobody could check may point anywhere. The resolver's fault, not the
  // config's, so the same request may pass in a moment.
  if (unresolved.length > 0) {
    throw new ApiError(503, 'target_unresolved', 'A target host could not be looked up in DNS, so it could not be checked for private addresses; nothing was saved. Try again.', {
      issues: unresolved,
      headers: { 'Retry-After': '30' },
    })
  }
  const outcome = await deps.sites.putSite(siteKey, config, deps.now(), note)
  return { outcome, site: (await deps.sites.getSite(siteKey))! }
}

adminSitesRoute.put('/:site', jsonBodyLimit({ maxBytes: 64 * 1024 }), async (c) => {
  // Targets carry secrets and URLs: only the operator may change them.
  assertOperator(c)
  const siteKey = siteKeyOf(c.req.param('site'))
  const json = await readJsonBody(c, { allowTextPlain: false })
  const { deps } = c.var
  const stored = await deps.sites.getSite(siteKey)
  // `If-None-Match: *` (RFC 9110 §13.1.2): create only, never replace (the console's new-site wizard).
  if (stored && c.req.header('If-None-Match')?.trim() === '*') {
    throw new ApiError(412, 'site_exists', `A site "${siteKey}" already exists; nothing was changed.`, {
      issues: [{ path: 'site', code: 'site_exists', message: `a site "${siteKey}" already exists` }],
    })
  }
  const { outcome, site } = await saveConfig(deps, siteKey, json, stored, { by: configAuthorOf(c) })
  return c.json(describe(site), outcome === 'created' ? 201 : 200)
})

/**
 * A partial change as a JSON Merge Patch (RFC 7396, `application/merge-patch+json`): objects merge
 * key by key, `null` removes a key, arrays (targets, origins) are replaced whole. The merged config
 * is checked like a PUT body.
 */
adminSitesRoute.patch('/:site', jsonBodyLimit({ maxBytes: 64 * 1024 }), async (c) => {
  assertOperator(c)
  const siteKey = siteKeyOf(c.req.param('site'))
  const mediaType = (c.req.header('Content-Type') ?? '').split(';')[0]!.trim().toLowerCase()
  if (mediaType !== 'application/merge-patch+json') {
    throw new ApiError(415, 'unsupported_media_type', 'Content-Type must be application/merge-patch+json (RFC 7396); to replace the whole config, use PUT.')
  }
  let patch: unknown
  try {
    patch = JSON.parse(await c.req.text()) as unknown
  } catch {
    throw new ApiError(400, 'invalid_json', 'The request body is not valid JSON.')
  }
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) {
    throw new ApiError(400, 'validation_failed', 'The patch must be a JSON object.', {
      issues: [{ path: '(body)', code: 'wrong_type', message: 'must be an object of the fields to change, e.g. {"locale": "en"}' }],
    })
  }
  const { deps } = c.var
  const stored = await deps.sites.getSite(siteKey)
  if (!stored) throw new ApiError(404, 'not_found', `No site "${siteKey}" is configured; create it with PUT.`)
  // The stored config with its captcha in today's form, so a patched `captcha` replaces it.
  const { turnstile: _legacy, ...base } = stored.config as SiteConfig & { turnstile?: unknown }
  const captcha = siteCaptcha(stored.config)
  const { site } = await saveConfig(deps, siteKey, applyMergePatch({ ...base, ...(captcha && { captcha }) }, patch), stored, { by: configAuthorOf(c) })
  return c.json(describe(site), 200)
})

adminSitesRoute.get('/:site', async (c) => {
  const siteKey = siteKeyOf(c.req.param('site'))
  assertSiteAccess(c, siteKey, 'site')
  return c.json(describe(await configuredSite(c.var.deps, siteKey)))
})

adminSitesRoute.on(['POST', 'DELETE'], '/:site', methodNotAllowed(['GET', 'PUT', 'PATCH']))

/** The id a token is listed and revoked by: the first 8 hex digits of its SHA-256, never the token. */
function tokenIdOf(hash: string): string {
  return hash.slice(0, 8)
}

function describeToken(token: SiteTokenRecord): SiteTokenSummary {
  return { id: tokenIdOf(token.hash), label: token.label, managerId: token.managerId, createdAt: new Date(token.createdAt).toISOString() }
}

const LabelSchema = v.nullish(v.pipe(v.string(), v.maxLength(100)))

/**
 * A new site token, shown once: a site owner's integrations read this site's leads and nothing else.
 * With `managerId` it is a manager's token: takes and status changes made with it (or with a console
 * session made from it) are recorded as that manager's.
 */
adminSitesRoute.post('/:site/tokens', jsonBodyLimit({ maxBytes: 1024 }), async (c) => {
  assertOperator(c)
  const siteKey = siteKeyOf(c.req.param('site'))
  const body = c.req.header('Content-Length') === '0' ? {} : await readJsonBody(c, { allowTextPlain: false }).catch(() => ({}))
  const fields = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {}
  // A label that is not a string is dropped, as before; a manager must be named exactly.
  const parsedLabel = v.safeParse(LabelSchema, fields.label)
  const label = parsedLabel.success ? (parsedLabel.output ?? null) : null
  const managerId = fields.managerId ?? null
  const { deps } = c.var
  const site = await configuredSite(deps, siteKey)
  if (managerId !== null && (typeof managerId !== 'string' || !site.config.routing?.managers.some((m) => m.id === managerId))) {
    throw new ApiError(400, 'validation_failed', 'Unknown manager.', {
      issues: [{ path: 'managerId', message: 'is not a manager in the site routing' }],
    })
  }
  const random = new Uint8Array(32)
  crypto.getRandomValues(random)
  const token = `lct_${btoa(String.fromCharCode(...random))
    .replaceAll('+', '-')
    .replaceAll('/', '_')
    .replace(/=+$/, '')}`
  const hash = await siteTokenHash(token)
  const now = deps.now()
  await deps.siteTokens.add({ hash, siteId: siteKey, label, managerId, createdAt: now })
  return c.json({ site: siteKey, token, id: tokenIdOf(hash), label, managerId, createdAt: new Date(now).toISOString() }, 201)
})

/** A site's tokens without their secrets (id, label, manager, when), oldest first. */
adminSitesRoute.get('/:site/tokens', async (c) => {
  assertOperator(c)
  const siteKey = siteKeyOf(c.req.param('site'))
  const tokens = await c.var.deps.siteTokens.listTokens(siteKey)
  return c.json({ site: siteKey, tokens: tokens.map(describeToken) })
})

/** Revokes every token of a site and their console sessions (rotate by revoking, then making a new one). */
adminSitesRoute.delete('/:site/tokens', async (c) => {
  assertOperator(c)
  const siteKey = siteKeyOf(c.req.param('site'))
  const { deps } = c.var
  return c.json({ site: siteKey, revoked: await deps.siteTokens.revokeAll(siteKey, deps.now()) })
})

/** Revokes one token, by the id the listing shows, and its console sessions. */
adminSitesRoute.delete('/:site/tokens/:id', async (c) => {
  assertOperator(c)
  const siteKey = siteKeyOf(c.req.param('site'))
  const id = c.req.param('id')
  const { deps } = c.var
  const revoked = /^[0-9a-f]{8}$/.test(id) ? await deps.siteTokens.revokeById(siteKey, id, deps.now()) : 0
  // The id is not echoed: whatever was pasted into the URL (a token, by mistake) stays out of the answer.
  if (revoked === 0) throw new ApiError(404, 'not_found', `No such token for site "${siteKey}".`)
  return c.json({ site: siteKey, id, revoked })
})
