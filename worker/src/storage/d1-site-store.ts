// SiteStore on D1: the config as JSON plus one row per allowed origin for CORS look-ups.
import type { SiteConfig } from '../../../shared/schemas/site-config'
import type { SiteRecord, SiteStore } from './types'

interface SiteRow {
  id: string
  config: string
  created_at: number
  updated_at: number
}

export function d1SiteStore(db: D1Database): SiteStore {
  return {
    async getSite(id) {
      const row = await db.prepare('SELECT id, config, created_at, updated_at FROM sites WHERE id = ?').bind(id).first<SiteRow>()
      if (!row) return null
      return { id: row.id, config: JSON.parse(row.config) as SiteConfig, createdAt: row.created_at, updatedAt: row.updated_at } satisfies SiteRecord
    },

    async listSites() {
      const { results } = await db.prepare('SELECT id, config, created_at, updated_at FROM sites ORDER BY id').all<SiteRow>()
      return results.map((row) => ({
        id: row.id,
        config: JSON.parse(row.config) as SiteConfig,
        createdAt: row.created_at,
        updatedAt: row.updated_at,
      }))
    },

    async putSite(id, config, now) {
      const existed = await db.prepare('SELECT 1 AS found FROM sites WHERE id = ?').bind(id).first()
      await db.batch([
        db
          .prepare(
            `INSERT INTO sites (id, config, created_at, updated_at) VALUES (?1, ?2, ?3, ?3)
             ON CONFLICT (id) DO UPDATE SET config = excluded.config, updated_at = excluded.updated_at`,
          )
          .bind(id, JSON.stringify(config), now),
        db.prepare('DELETE FROM site_origins WHERE site_id = ?').bind(id),
        ...[...new Set(config.origins)].map((origin) =>
          db.prepare('INSERT INTO site_origins (origin, site_id) VALUES (?, ?)').bind(origin, id),
        ),
      ])
      return existed ? 'replaced' : 'created'
    },

    async isKnownOrigin(origin) {
      const row = await db.prepare('SELECT 1 AS found FROM site_origins WHERE origin = ? LIMIT 1').bind(origin).first()
      return row !== null
    },
  }
}
