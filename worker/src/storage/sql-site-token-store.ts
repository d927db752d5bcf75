// SiteTokenStore on SQL (D1 or node:sqlite): only the SHA-256 of a site token is stored.
import type { SqlDatabase } from './sql-database'
import type { SiteTokenStore } from './types'

export function sqlSiteTokenStore(db: SqlDatabase): SiteTokenStore {
  return {
    async findSite(tokenHash) {
      const row = await db.prepare('SELECT site_id FROM site_tokens WHERE token_hash = ?').bind(tokenHash).first<{ site_id: string }>()
      return row?.site_id ?? null
    },

    async add({ hash, siteId, label, createdAt }) {
      await db.prepare('INSERT INTO site_tokens (token_hash, site_id, label, created_at) VALUES (?, ?, ?, ?)').bind(hash, siteId, label, createdAt).run()
    },

    async revokeAll(siteId) {
      const result = await db.prepare('DELETE FROM site_tokens WHERE site_id = ?').bind(siteId).run()
      return result.meta.changes
    },
  }
}
