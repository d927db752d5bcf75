// SiteStore on SQL (D1 or node:sqlite): the config as JSON plus one row per allowed origin for CORS
// look-ups, and each saved config kept as a version (sql-config-version-store.ts).
import * as v from 'valibot'
import { SiteConfigSchema } from '../../../shared/schemas/site-config'
import { saveVersionStatements } from './sql-config-version-store'
import type { SqlDatabase } from './sql-database'
import type { SiteRecord, SiteStore } from './types'

interface SiteRow {
  id: string
  config: string
  created_at: number
  updated_at: number
}

/**
 * Parsed, not cast: defaults added to the schema after a row was written reach it on read, and a
 * row the schema no longer accepts fails loudly here instead of deep inside a request.
 */
function toRecord(row: SiteRow): SiteRecord {
  const parsed = v.safeParse(SiteConfigSchema, JSON.parse(row.config))
  if (!parsed.success) throw new Error(`stored config of site "${row.id}" does not parse: ${parsed.issues[0]?.message ?? 'invalid'}`)
  return { id: row.id, config: parsed.output, createdAt: row.created_at, updatedAt: row.updated_at }
}

export function sqlSiteStore(db: SqlDatabase): SiteStore {
  return {
    async getSite(id) {
      const row = await db.prepare('SELECT id, config, created_at, updated_at FROM sites WHERE id = ?').bind(id).first<SiteRow>()
      return row ? toRecord(row) : null
    },

    async listSites() {
      const { results } = await db.prepare('SELECT id, config, created_at, updated_at FROM sites ORDER BY id').all<SiteRow>()
      return results.map(toRecord)
    },

    async putSite(id, config, now, note) {
      const existed = await db.prepare('SELECT 1 AS found FROM sites WHERE id = ?').bind(id).first()
      const json = JSON.stringify(config)
      await db.batch([
        db
          .prepare(
            `INSERT INTO sites (id, config, created_at, updated_at) VALUES (?1, ?2, ?3, ?3)
             ON CONFLICT (id) DO UPDATE SET config = excluded.config, updated_at = excluded.updated_at`,
          )
          .bind(id, json, now),
        db.prepare('DELETE FROM site_origins WHERE site_id = ?').bind(id),
        ...[...new Set(config.origins)].map((origin) => db.prepare('INSERT INTO site_origins (origin, site_id) VALUES (?, ?)').bind(origin, id)),
        // Every save is a version, in the same transaction (admin-config-versions.ts reads them).
        ...saveVersionStatements(db, id, json, now, note),
      ])
      return existed ? 'replaced' : 'created'
    },

    async isKnownOrigin(origin) {
      const row = await db.prepare('SELECT 1 AS found FROM site_origins WHERE origin = ? LIMIT 1').bind(origin).first()
      return row !== null
    },
  }
}
