// PUT/GET /v1/admin/sites/:site: create or replace a site's configuration, and read it back.
import { Hono } from 'hono'
import * as v from 'valibot'
import { isKnownCountry } from '../../../shared/phone'
import { SITE_KEY_PATTERN } from '../../../shared/schemas/lead'
import { SiteConfigSchema } from '../../../shared/schemas/site-config'
import type { SiteConfig } from '../../../shared/schemas/site-config'
import type { FieldIssue } from '../../../shared/api'
import { createDeps } from '../deps'
import { ApiError } from '../http/api-error'
import { methodNotAllowed } from '../http/method-not-allowed'
import { readJsonBody } from '../http/read-json-body'
import { toFieldIssues } from '../http/valibot-issues'
import { jsonBodyLimit } from '../middleware/json-body-limit'
import { PHONE_METADATA } from '../pipeline/phone-metadata'
import { isPrivateTarget } from '../security/private-target'
import type { SiteRecord } from '../storage/types'

export const adminSitesRoute = new Hono<{ Bindings: Env }>()

function siteKeyOf(raw: string): string {
  if (!SITE_KEY_PATTERN.test(raw)) {
    throw new ApiError(400, 'validation_failed', 'Invalid site key.', {
      issues: [{ path: 'site', message: 'must be 1–64 lowercase letters, digits, "_" or "-", starting with a letter or digit' }],
    })
  }
  return raw
}

/** Secrets are write-only: reads show that one is set and its last characters, never the key. */
function redact(config: SiteConfig): SiteConfig {
  return {
    ...config,
    targets: config.targets.map((t) => ({ ...t, secret: `whsec_…${t.secret.slice(-4)}` })),
    ...(config.turnstile && { turnstile: { ...config.turnstile, secret: `…${config.turnstile.secret.slice(-4)}` } }),
  }
}

function describe(site: SiteRecord) {
  return {
    site: site.id,
    config: redact(site.config),
    createdAt: new Date(site.createdAt).toISOString(),
    updatedAt: new Date(site.updatedAt).toISOString(),
  }
}

function semanticIssues(config: SiteConfig, allowPrivateTargets: boolean): FieldIssue[] {
  const issues: FieldIssue[] = []
  if (!isKnownCountry(config.country, PHONE_METADATA)) {
    issues.push({ path: 'country', message: `unknown country code "${config.country}"` })
  }
  config.targets.forEach((target, i) => {
    if (!allowPrivateTargets && isPrivateTarget(target.url)) {
      issues.push({
        path: `targets.${i}.url`,
        message: 'private, loopback and link-local addresses are not allowed as targets',
      })
    }
  })
  return issues
}

adminSitesRoute.put('/:site', jsonBodyLimit({ maxBytes: 64 * 1024 }), async (c) => {
  const siteKey = siteKeyOf(c.req.param('site'))
  const json = await readJsonBody(c, { allowTextPlain: false })
  const parsed = v.safeParse(SiteConfigSchema, json)
  if (!parsed.success) {
    throw new ApiError(400, 'validation_failed', 'The site configuration is not valid.', { issues: toFieldIssues(parsed.issues) })
  }
  const deps = createDeps(c.env)
  const issues = semanticIssues(parsed.output, deps.allowPrivateTargets)
  if (issues.length > 0) {
    throw new ApiError(400, 'validation_failed', 'The site configuration is not valid.', { issues })
  }
  const outcome = await deps.sites.putSite(siteKey, parsed.output, deps.now())
  const stored = await deps.sites.getSite(siteKey)
  return c.json(describe(stored!), outcome === 'created' ? 201 : 200)
})

adminSitesRoute.get('/:site', async (c) => {
  const siteKey = siteKeyOf(c.req.param('site'))
  const site = await createDeps(c.env).sites.getSite(siteKey)
  if (!site) throw new ApiError(404, 'not_found', `No site "${siteKey}" is configured.`)
  return c.json(describe(site))
})

adminSitesRoute.on(['POST', 'PATCH', 'DELETE'], '/:site', methodNotAllowed(['GET', 'PUT']))
