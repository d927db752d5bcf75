// RateLimiter on SQL (D1 or node:sqlite): exact fixed windows, all keys of a hit counted in one
// statement or none of them.
import type { RateDecision, RateLimit, RateLimiter } from '../security/rate-limiter'
import type { SqlDatabase, SqlValue } from './sql-database'

function windowStart(limit: RateLimit, now: number): number {
  return Math.floor(now / limit.windowMs) * limit.windowMs
}

/** Seconds until the key's current window ends, at least 1. */
function retryAfterSeconds(limit: RateLimit, now: number): number {
  return Math.max(1, Math.ceil((windowStart(limit, now) + limit.windowMs - now) / 1000))
}

export function sqlRateLimiter(db: SqlDatabase): RateLimiter {
  return {
    async hit(limits, now) {
      if (limits.length === 0) return { allowed: true }
      // A limit of 0 lets nothing through; the statement below would let a key's first hit in.
      const closed = limits.find((limit) => limit.limit <= 0)
      if (closed) return { allowed: false, key: closed.key, retryAfterSeconds: retryAfterSeconds(closed, now) }
      const rows = limits.map((_, i) => `(?${i * 3 + 1}, ?${i * 3 + 2}, ?${i * 3 + 3})`).join(', ')
      const values: SqlValue[] = limits.flatMap((limit) => [limit.key, windowStart(limit, now), limit.limit])
      const keys = limits.map((_, i) => `?${i + 1}`).join(', ')
      const [counted, counters] = await db.batch<{ key: string; window_start: number; count: number }>(
        [
          // The NOT EXISTS is evaluated on the counters as they were: when any key is at its
          // limit, no row is inserted or updated, so a refused hit costs nobody else's budget.
          db
            .prepare(
              `WITH hit (key, window_start, lim) AS (VALUES ${rows})
               INSERT INTO rate_limits (key, window_start, count)
               SELECT key, window_start, 1 FROM hit
               WHERE NOT EXISTS (
                 SELECT 1 FROM rate_limits r JOIN hit h ON r.key = h.key AND r.window_start = h.window_start
                 WHERE r.count >= h.lim)
               ON CONFLICT (key) DO UPDATE SET
                 count = CASE WHEN window_start = excluded.window_start THEN count + 1 ELSE 1 END,
                 window_start = excluded.window_start
               RETURNING key`,
            )
            .bind(...values),
          db.prepare(`SELECT key, window_start, count FROM rate_limits WHERE key IN (${keys})`).bind(...limits.map((l) => l.key)),
        ],
        // Counters of windows of an hour at most: losing the last ones with the power costs nothing,
        // and it saves the self-hosted server one disk flush per lead.
        { durable: false },
      )
      if ((counted?.results.length ?? 0) > 0) return { allowed: true }
      const current = new Map((counters?.results ?? []).map((row) => [row.key, row]))
      // A refusal always finds a full key; should none be found, the hit is not refused for nothing.
      let refused: RateDecision = { allowed: true }
      for (const limit of limits) {
        const row = current.get(limit.key)
        if (!row || row.window_start !== windowStart(limit, now) || row.count < limit.limit) continue
        const retryAfter = retryAfterSeconds(limit, now)
        if (refused.allowed || retryAfter > refused.retryAfterSeconds) refused = { allowed: false, key: limit.key, retryAfterSeconds: retryAfter }
      }
      return refused
    },

    // Windows are at most an hour long: older counters are dead weight.
    async cleanup(now) {
      await db.prepare('DELETE FROM rate_limits WHERE window_start < ?').bind(now - 2 * 3_600_000).run()
    },
  }
}
