// GET /v1/admin/sites/:site/versions (newest first, in pages), GET …/versions/:n (secrets
// redacted), GET …/versions/:from/diff/:to (what changed, secrets only as changed or not) and
// POST …/versions/:n/restore (operator only): every saved config is a version (sql-site-store keeps
// one per save), and a restore saves the old config again as a new version, its secrets taken from
// the stored version, never from the browser.
import { Hono } from 'hono'
import type { Context } from 'hono'
import * as v from 'valibot'
import { diffJson, leafPaths, valueAt } from '../../../shared/config-diff'
import type { ConfigChangeBody, ConfigDiffBody, ConfigRestoreBody, ConfigVersionBody, ConfigVersionListBody, ConfigVersionSummaryBody } from '../../../shared/config-versions-api'
import { siteCaptcha } from '../../../shared/schemas/site-config'
import type { SiteConfig } from '../../../shared/schemas/site-config'
import type { AdminEnv } from '../deps'
import { ApiError } from '../http/api-error'
import { configAuthorOf } from '../http/config-author'
import { configuredSite } from '../http/configured-site'
import { LimitParamSchema } from '../http/query-params'
import { parseOrReject } from '../http/valibot-issues'
import { assertOperator, assertSiteAccess } from '../security/access-scope'
import { redactSiteConfig } from '../security/config-secrets'
import { CONFIG_VERSIONS_KEPT } from '../storage/sql-config-version-store'
import type { ConfigVersionRecord, ConfigVersionSummary } from '../storage/types'
import { describe, saveConfig, siteKeyOf } from './admin-sites'

export const adminConfigVersionsRoute = new Hono<AdminEnv>()

const VersionNumberSchema = v.pipe(v.string(), v.regex(/^[1-9]\d{0,8}$/, 'must be a version number (1, 2, …)'), v.transform(Number))

const ListQuerySchema = v.object({
  limit: LimitParamSchema,
  before: v.optional(VersionNumberSchema),
})

function summaryBody(version: ConfigVersionSummary): ConfigVersionSummaryBody {
  return { version: version.version, savedAt: new Date(version.savedAt).toISOString(), savedBy: version.by, restoredFrom: version.restoredFrom }
}

/** The site from the path, which a site token may read only when it is its own. */
function readableSite(c: Context<AdminEnv>): string {
  const siteKey = siteKeyOf(c.req.param('site') ?? '')
  assertSiteAccess(c, siteKey, 'site')
  return siteKey
}

function versionNumber(raw: string | undefined, name: string): number {
  const parsed = v.safeParse(VersionNumberSchema, raw)
  if (!parsed.success) {
    throw new ApiError(400, 'validation_failed', 'Invalid version number.', { issues: [{ path: name, message: 'must be a version number (1, 2, …)' }] })
  }
  return parsed.output
}

async function storedVersion(c: Context<AdminEnv>, siteKey: string, n: number): Promise<ConfigVersionRecord> {
  const version = await c.var.deps.configVersions.getVersion(siteKey, n)
  if (!version) {
    throw new ApiError(404, 'not_found', `Site "${siteKey}" has no config version ${n} (a site keeps its newest ${CONFIG_VERSIONS_KEPT}).`)
  }
  return version
}

/** The config as stored, its captcha in today's form, so it lines up leaf by leaf with its redaction. */
function rawConfig(config: SiteConfig): SiteConfig {
  const { turnstile: _legacy, ...rest } = config as SiteConfig & { turnstile?: unknown }
  const captcha = siteCaptcha(config)
  return captcha ? { ...rest, captcha } : rest
}

/** The leaves a redaction changes: the secrets, and URLs with secret parts. */
function secretPaths(config: SiteConfig): Set<string> {
  const raw = rawConfig(config)
  const shown = redactSiteConfig(config)
  return new Set(leafPaths(raw).filter((path) => valueAt(raw, path) !== valueAt(shown, path)))
}

/** A secret at this path or under it (a whole target replaced by one of another kind). */
const holdsSecret = (secrets: Set<string>, path: string) => [...secrets].some((s) => s === path || s.startsWith(`${path}.`))

adminConfigVersionsRoute.get('/:site/versions', async (c) => {
  const siteKey = readableSite(c)
  const { limit, before } = parseOrReject(ListQuerySchema, c.req.query(), 'Invalid query.')
  const { deps } = c.var
  await configuredSite(deps, siteKey)
  // One row more than asked tells whether there is an older page.
  const rows = await deps.configVersions.listVersions(siteKey, { limit: limit + 1, ...(before !== undefined && { before }) })
  const page = rows.slice(0, limit)
  return c.json({
    site: siteKey,
    versions: page.map(summaryBody),
    nextBefore: rows.length > limit ? page.at(-1)!.version : null,
    kept: CONFIG_VERSIONS_KEPT,
  } satisfies ConfigVersionListBody)
})

adminConfigVersionsRoute.get('/:site/versions/:n', async (c) => {
  const siteKey = readableSite(c)
  const version = await storedVersion(c, siteKey, versionNumber(c.req.param('n'), 'n'))
  return c.json({ site: siteKey, ...summaryBody(version), config: redactSiteConfig(version.config) } satisfies ConfigVersionBody)
})

/**
 * What changed from one version to another, leaf by leaf. Compared on the stored configs, so a
 * secret replaced by another with the same last four characters still counts as changed; values
 * shown are the redacted ones, and a secret's are left out.
 */
adminConfigVersionsRoute.get('/:site/versions/:from/diff/:to', async (c) => {
  const siteKey = readableSite(c)
  const from = await storedVersion(c, siteKey, versionNumber(c.req.param('from'), 'from'))
  const to = await storedVersion(c, siteKey, versionNumber(c.req.param('to'), 'to'))
  const secrets = new Set([...secretPaths(from.config), ...secretPaths(to.config)])
  const [shownFrom, shownTo] = [redactSiteConfig(from.config), redactSiteConfig(to.config)]
  const changed = diffJson(rawConfig(from.config), rawConfig(to.config))
  const changes = changed.map(({ path, kind }): ConfigChangeBody => {
    if (holdsSecret(secrets, path)) return { path, kind, secret: true }
    const before = valueAt(shownFrom, path)
    const after = valueAt(shownTo, path)
    return { path, kind, ...(kind !== 'added' && { before }), ...(kind !== 'removed' && { after }) }
  })
  const changedPaths = new Set(changed.map((change) => change.path))
  return c.json({
    site: siteKey,
    from: from.version,
    to: to.version,
    changes,
    secrets: [...secrets].sort().map((path) => ({ path, changed: [...changedPaths].some((p) => p === path || path.startsWith(`${p}.`)) })),
  } satisfies ConfigDiffBody)
})

/**
 * Saves version n's config again, checked like a PUT body (a target that now resolves to a private
 * address is refused), as a new version that says it restores n. The secrets are the stored
 * version's own: the request has no body.
 */
adminConfigVersionsRoute.post('/:site/versions/:n/restore', async (c) => {
  assertOperator(c)
  const siteKey = siteKeyOf(c.req.param('site'))
  const n = versionNumber(c.req.param('n'), 'n')
  const { deps } = c.var
  const current = await configuredSite(deps, siteKey)
  const version = await storedVersion(c, siteKey, n)
  const { site } = await saveConfig(deps, siteKey, rawConfig(version.config), current, { by: configAuthorOf(c), restoredFrom: n })
  const [made] = await deps.configVersions.listVersions(siteKey, { limit: 1 })
  return c.json({ ...describe(site), version: summaryBody(made!) } satisfies ConfigRestoreBody)
})
