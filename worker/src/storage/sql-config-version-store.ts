// Config versions on SQL (D1 or node:sqlite): every saved site config as a numbered row with who
// saved it and when. The site store writes them (saveVersionStatements) in the same transaction as
// the config itself, so no save goes unversioned; this store reads them.
import * as v from 'valibot'
import { SiteConfigSchema } from '../../../shared/schemas/site-config'
import type { SqlDatabase, SqlStatement } from './sql-database'
import type { ConfigAuthor, ConfigVersionRecord, ConfigVersionStore, ConfigVersionSummary, SaveNote } from './types'

/** How many versions a site keeps: the newest ones; older ones are deleted as new ones come. */
export const CONFIG_VERSIONS_KEPT = 100

const AUTHOR_KINDS = ['admin_token', 'console_session', 'site_token', 'system'] as const

interface VersionRow {
  site_id: string
  version: number
  config?: string
  saved_by_kind: string
  saved_by: string
  restored_from: number | null
  saved_at: number
}

const SYSTEM: SaveNote = { by: { kind: 'system', name: 'system' } }

function authorOf(row: VersionRow): ConfigAuthor {
  const kind = (AUTHOR_KINDS as readonly string[]).includes(row.saved_by_kind) ? (row.saved_by_kind as ConfigAuthor['kind']) : 'system'
  return { kind, name: row.saved_by }
}

function toSummary(row: VersionRow): ConfigVersionSummary {
  return { siteId: row.site_id, version: row.version, by: authorOf(row), restoredFrom: row.restored_from, savedAt: row.saved_at }
}

/**
 * The statements that keep `configJson` as the site's next version and drop the ones past
 * CONFIG_VERSIONS_KEPT. The number is the site's highest plus one, computed inside the insert, so
 * two saves in a row never share a number.
 */
export function saveVersionStatements(db: SqlDatabase, siteId: string, configJson: string, now: number, note: SaveNote = SYSTEM): SqlStatement[] {
  return [
    db
      .prepare(
        `INSERT INTO config_versions (site_id, version, config, saved_by_kind, saved_by, restored_from, saved_at)
         SELECT ?1, COALESCE(MAX(version), 0) + 1, ?2, ?3, ?4, ?5, ?6 FROM config_versions WHERE site_id = ?1`,
      )
      .bind(siteId, configJson, note.by.kind, note.by.name, note.restoredFrom ?? null, now),
    db
      .prepare('DELETE FROM config_versions WHERE site_id = ?1 AND version <= (SELECT MAX(version) FROM config_versions WHERE site_id = ?1) - ?2')
      .bind(siteId, CONFIG_VERSIONS_KEPT),
  ]
}

export function sqlConfigVersionStore(db: SqlDatabase): ConfigVersionStore {
  return {
    async listVersions(siteId, { limit, before }) {
      const { results } = await db
        .prepare(
          `SELECT site_id, version, saved_by_kind, saved_by, restored_from, saved_at FROM config_versions
           WHERE site_id = ?1 AND version < ?2 ORDER BY version DESC LIMIT ?3`,
        )
        .bind(siteId, before ?? Number.MAX_SAFE_INTEGER, limit)
        .all<VersionRow>()
      return results.map(toSummary)
    },

    async getVersion(siteId, version): Promise<ConfigVersionRecord | null> {
      const row = await db
        .prepare('SELECT site_id, version, config, saved_by_kind, saved_by, restored_from, saved_at FROM config_versions WHERE site_id = ? AND version = ?')
        .bind(siteId, version)
        .first<VersionRow>()
      if (!row) return null
      // Parsed, not cast, like the live config: an old version gets today's defaults on read.
      const parsed = v.safeParse(SiteConfigSchema, JSON.parse(row.config ?? 'null'))
      if (!parsed.success) throw new Error(`config version ${version} of site "${siteId}" does not parse: ${parsed.issues[0]?.message ?? 'invalid'}`)
      return { ...toSummary(row), config: parsed.output }
    },
  }
}
