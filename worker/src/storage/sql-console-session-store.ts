// ConsoleSessionStore on SQL (D1 or node:sqlite): hashes of the session id and CSRF token only,
// and, with each session, whether the site token it was made from still exists (one query).
import type { SqlDatabase } from './sql-database'
import type { ConsoleSessionStore } from './types'

interface SessionRow {
  id_hash: string
  kind: 'operator' | 'site'
  site_id: string | null
  manager_id: string | null
  source_hash: string
  csrf_hash: string
  created_at: number
  expires_at: number
  revoked_at: number | null
  token_exists: number
}

export function sqlConsoleSessionStore(db: SqlDatabase): ConsoleSessionStore {
  return {
    async create({ idHash, scope, sourceHash, csrfHash, createdAt, expiresAt }) {
      await db
        .prepare(
          `INSERT INTO console_sessions (id_hash, kind, site_id, manager_id, source_hash, csrf_hash, created_at, expires_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .bind(idHash, scope.kind, scope.kind === 'site' ? scope.siteId : null, scope.kind === 'site' ? scope.managerId : null, sourceHash, csrfHash, createdAt, expiresAt)
        .run()
    },

    async find(idHash) {
      const row = await db
        .prepare(
          `SELECT s.*, EXISTS (SELECT 1 FROM site_tokens t WHERE t.token_hash = s.source_hash AND t.site_id = s.site_id) AS token_exists
           FROM console_sessions s WHERE s.id_hash = ?`,
        )
        .bind(idHash)
        .first<SessionRow>()
      if (!row) return null
      return {
        idHash: row.id_hash,
        scope: row.kind === 'site' ? { kind: 'site', siteId: row.site_id!, managerId: row.manager_id } : { kind: 'operator' },
        sourceHash: row.source_hash,
        csrfHash: row.csrf_hash,
        createdAt: row.created_at,
        expiresAt: row.expires_at,
        revokedAt: row.revoked_at,
        sourceTokenExists: row.token_exists === 1,
      }
    },

    async revoke(idHash, now) {
      await db.prepare('UPDATE console_sessions SET revoked_at = ? WHERE id_hash = ? AND revoked_at IS NULL').bind(now, idHash).run()
    },

    async pruneExpired(now) {
      const result = await db.prepare('DELETE FROM console_sessions WHERE expires_at <= ?').bind(now).run()
      return result.meta.changes
    },
  }
}
