// SiteTokenStore on SQL (D1 or node:sqlite): only the SHA-256 of a site token is stored. Revoking
// tokens revokes the console sessions made from them in the same transaction.
import type { SqlDatabase } from './sql-database'
import type { SiteTokenRecord, SiteTokenStore } from './types'

interface TokenRow {
  token_hash: string
  site_id: string
  label: string | null
  manager_id: string | null
  created_at: number
}

function recordOf(row: TokenRow): SiteTokenRecord {
  return { hash: row.token_hash, siteId: row.site_id, label: row.label, managerId: row.manager_id, createdAt: row.created_at }
}

export function sqlSiteTokenStore(db: SqlDatabase): SiteTokenStore {
  /** The sessions of the tokens `where` selects end first, then the tokens: one batch. */
  async function revoke(where: string, values: string[], now: number): Promise<number> {
    const [, deleted] = await db.batch([
      db
        .prepare(
          `UPDATE console_sessions SET revoked_at = ?
           WHERE revoked_at IS NULL AND kind = 'site' AND source_hash IN (SELECT token_hash FROM site_tokens WHERE ${where})`,
        )
        .bind(now, ...values),
      db.prepare(`DELETE FROM site_tokens WHERE ${where}`).bind(...values),
    ])
    return deleted?.meta.changes ?? 0
  }

  return {
    async findSite(tokenHash) {
      const row = await db.prepare('SELECT site_id FROM site_tokens WHERE token_hash = ?').bind(tokenHash).first<{ site_id: string }>()
      return row?.site_id ?? null
    },

    async findToken(tokenHash) {
      const row = await db.prepare('SELECT token_hash, site_id, label, manager_id, created_at FROM site_tokens WHERE token_hash = ?').bind(tokenHash).first<TokenRow>()
      return row ? recordOf(row) : null
    },

    async add({ hash, siteId, label, managerId = null, createdAt }) {
      await db.prepare('INSERT INTO site_tokens (token_hash, site_id, label, manager_id, created_at) VALUES (?, ?, ?, ?, ?)').bind(hash, siteId, label, managerId, createdAt).run()
    },

    async listTokens(siteId) {
      const { results } = await db
        .prepare('SELECT token_hash, site_id, label, manager_id, created_at FROM site_tokens WHERE site_id = ? ORDER BY created_at, token_hash')
        .bind(siteId)
        .all<TokenRow>()
      return results.map(recordOf)
    },

    async revokeAll(siteId, now = Date.now()) {
      return revoke('site_id = ?', [siteId], now)
    },

    async revokeById(siteId, idPrefix, now) {
      // substr, not LIKE: the prefix is hex, but nothing in it should ever be read as a pattern.
      return revoke('site_id = ? AND substr(token_hash, 1, 8) = ?', [siteId, idPrefix], now)
    },
  }
}
