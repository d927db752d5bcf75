// Response bodies of the config-version routes (/v1/admin/sites/:site/versions…), shared so the
// console and the tests read the same shapes. Types only: nothing here is bundled.
import type { DiffKind } from './config-diff'

export interface ConfigAuthorBody {
  kind: 'admin_token' | 'console_session' | 'site_token' | 'system'
  /** Readable: "admin token", "console (operator)", a site token's label, "before versions". */
  name: string
}

/** One row of `GET /v1/admin/sites/:site/versions`. */
export interface ConfigVersionSummaryBody {
  version: number
  /** ISO 8601. */
  savedAt: string
  savedBy: ConfigAuthorBody
  /** The version this one is a restore of. */
  restoredFrom: number | null
}

/** `GET /v1/admin/sites/:site/versions`: newest first. */
export interface ConfigVersionListBody {
  site: string
  versions: ConfigVersionSummaryBody[]
  /** Pass as `before` for the next (older) page; null on the last page. */
  nextBefore: number | null
  /** How many versions a site keeps (the newest ones). */
  kept: number
}

/** `GET /v1/admin/sites/:site/versions/:n`: the config as every admin read shows it, secrets redacted. */
export interface ConfigVersionBody extends ConfigVersionSummaryBody {
  site: string
  config: Record<string, unknown>
}

/** One changed leaf. A secret's values never appear: only that it changed. */
export interface ConfigChangeBody {
  path: string
  kind: DiffKind
  before?: unknown
  after?: unknown
  /** The path holds a secret (or a URL with secret parts): no values, only the kind. */
  secret?: true
}

/** `GET /v1/admin/sites/:site/versions/:from/diff/:to`. */
export interface ConfigDiffBody {
  site: string
  from: number
  to: number
  changes: ConfigChangeBody[]
  /** Every secret either version holds, and whether it differs between them. */
  secrets: { path: string; changed: boolean }[]
}

/** `POST /v1/admin/sites/:site/versions/:n/restore`: the site as GET reads it, and the new version. */
export interface ConfigRestoreBody {
  site: string
  config: Record<string, unknown>
  version: ConfigVersionSummaryBody
}
