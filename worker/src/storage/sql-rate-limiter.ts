// RateLimiter on SQL (D1 or node:sqlite): exact fixed windows, one upsert per key in one batch.
import type { RateLimiter } from '../security/rate-limiter'
import type { SqlDatabase } from './sql-database'

export function sqlRateLimiter(db: SqlDatabase): RateLimiter {
  return {
    async hit(limits, now) {
      if (limits.length === 0) return { allowed: true }
      const results = await db.batch<{ count: number }>(
        limits.map(({ key, windowMs }) =>
          db
            .prepare(
              `INSERT INTO rate_limits (key, window_start, count) VALUES (?1, ?2, 1)
               ON CONFLICT (key) DO UPDATE SET
                 count = CASE WHEN window_start = ?2 THEN count + 1 ELSE 1 END, window_start = ?2
               RETURNING count`,
            )
            .bind(key, Math.floor(now / windowMs) * windowMs),
        ),
        // Counters of windows of an hour at most: losing the last ones with the power costs nothing,
        // and it saves the self-hosted server one disk flush per lead.
        { durable: false },
      )
      for (const [i, limit] of limits.entries()) {
        const count = results[i]?.results[0]?.count ?? 0
        if (count > limit.limit) {
          const windowEnd = (Math.floor(now / limit.windowMs) + 1) * limit.windowMs
          return { allowed: false, key: limit.key, retryAfterSeconds: Math.max(1, Math.ceil((windowEnd - now) / 1000)) }
        }
      }
      return { allowed: true }
    },

    // Windows are at most an hour long: older counters are dead weight.
    async cleanup(now) {
      await db.prepare('DELETE FROM rate_limits WHERE window_start < ?').bind(now - 2 * 3_600_000).run()
    },
  }
}
