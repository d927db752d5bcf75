// The config the preview's widget runs on: the stored config (as the admin API reads it) with the
// Settings form's unsaved state merged in as the PATCH route merges it (RFC 7396), checked by the
// API's own schema and shaped by the public-config route's own function (toPublicConfig), so the
// preview shows what visitors would get if the draft were saved now, with no second copy of either.
import * as v from 'valibot'
import { applyMergePatch } from '../../../../shared/merge-patch'
import { SiteConfigSchema, toPublicConfig } from '../../../../shared/schemas/site-config'
import type { SiteConfig } from '../../../../shared/schemas/site-config'
import { patchOf } from '../settings/settings-form'
import type { FormState } from '../settings/settings-form'

export type PreviewConfig =
  | { ok: true; config: SiteConfig; publicConfig: ReturnType<typeof toPublicConfig> }
  /** The draft does not pass the schema yet (a half-typed colour, say): the paths it names. */
  | { ok: false; paths: string[] }

/**
 * The draft: every section of the form as a patch over the stored config. Compared with an empty
 * form every field counts as changed, so the patch holds the whole form however long ago the
 * stored copy was read: it can be stale only in what the form does not show.
 */
export function draftOf(stored: unknown, form: FormState): unknown {
  return applyMergePatch(stored, patchOf({}, form))
}

/**
 * Checks the draft and shapes it as GET /v1/sites/:site/config would. Targets and the captcha are
 * left out before the check: admin reads show their secrets redacted (which the schema refuses),
 * the widget never sees targets, and the preview's leads are test leads, which need no captcha (a
 * real challenge would not run in the sandboxed frame either).
 * @example
 * const preview = previewConfig('shop', draftOf(stored, form))
 * if (preview.ok) post({ type: 'lc-preview:show', config: preview.publicConfig, … })
 */
export function previewConfig(site: string, draft: unknown): PreviewConfig {
  const record = typeof draft === 'object' && draft !== null && !Array.isArray(draft) ? (draft as Record<string, unknown>) : {}
  const { targets: _targets, captcha: _captcha, turnstile: _turnstile, ...rest } = record
  const parsed = v.safeParse(SiteConfigSchema, { ...rest, targets: [] })
  if (!parsed.success) return { ok: false, paths: [...new Set(parsed.issues.map((issue) => v.getDotPath(issue) ?? ''))] }
  return { ok: true, config: parsed.output, publicConfig: toPublicConfig(site, parsed.output) }
}
