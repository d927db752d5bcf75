// RateLimiter on SQL (D1 or node:sqlite): exact fixed windows, all keys of a hit counted in one
// statement or none of them. The statements are also composed into the lead store's admitLead,
// which asks "seen this lead before?" and counts the hit in the same round trip.
import * as v from 'valibot'
import type { RateDecision, RateLimit, RateLimiter } from '../security/rate-limiter'
import type { SqlDatabase, SqlResult, SqlStatement, SqlValue } from './sql-database'

function windowStart(limit: RateLimit, now: number): number {
  return Math.floor(now / limit.windowMs) * limit.windowMs
}

/** Seconds until the key's current window ends, at least 1. */
function retryAfterSeconds(limit: RateLimit, now: number): number {
  return Math.max(1, Math.ceil((windowStart(limit, now) + limit.windowMs - now) / 1000))
}

/** A limit of 0 lets nothing through; the statement below would let a key's first hit in. */
export function closedLimit(limits: RateLimit[], now: number): Extract<RateDecision, { allowed: false }> | null {
  const closed = limits.find((limit) => limit.limit <= 0)
  return closed ? { allowed: false, key: closed.key, retryAfterSeconds: retryAfterSeconds(closed, now) } : null
}

/** A condition the hit also needs, as SQL with its own values (numbered after the limits'). */
export interface HitGuard {
  sql: (firstParam: number) => string
  values: SqlValue[]
}

/**
 * The limits as a CTE `hit (key, window_start, lim)` and the condition "no key is full yet", with
 * their values numbered from `firstParam`. The counting statement below uses them, and so does the
 * lead insert that counts its own hit in the same batch (LeadStore.insertLead with `limits`).
 */
export function openLimits(limits: RateLimit[], now: number, firstParam = 1): { cte: string; condition: string; values: SqlValue[] } {
  const rows = limits.map((_, i) => `(?${firstParam + i * 3}, ?${firstParam + i * 3 + 1}, ?${firstParam + i * 3 + 2})`).join(', ')
  return {
    cte: `hit (key, window_start, lim) AS (VALUES ${rows})`,
    condition: 'NOT EXISTS (SELECT 1 FROM rate_limits r JOIN hit h ON r.key = h.key AND r.window_start = h.window_start WHERE r.count >= h.lim)',
    values: limits.flatMap((limit) => [limit.key, windowStart(limit, now), limit.limit]),
  }
}

/**
 * The counting statement: when no key is full, one hit on every key, and a row per key back;
 * otherwise nothing written and no rows.
 */
export function hitStatement(db: SqlDatabase, limits: RateLimit[], now: number, guard?: HitGuard): SqlStatement {
  const open = openLimits(limits, now)
  const extra = guard ? ` AND ${guard.sql(open.values.length + 1)}` : ''
  // The NOT EXISTS is evaluated on the counters as they were: when any key is at its
  // limit, no row is inserted or updated, so a refused hit costs nobody else's budget.
  return db
    .prepare(
      `WITH ${open.cte}
       INSERT INTO rate_limits (key, window_start, count)
       SELECT key, window_start, 1 FROM hit
       WHERE ${open.condition}${extra}
       ON CONFLICT (key) DO UPDATE SET
         count = CASE WHEN window_start = excluded.window_start THEN count + 1 ELSE 1 END,
         window_start = excluded.window_start
       RETURNING key`,
    )
    .bind(...open.values, ...(guard?.values ?? []))
}

/** The limits' counters as they are, which a refusal is explained by. */
export function counterRead(db: SqlDatabase, limits: RateLimit[]): SqlStatement {
  const keys = limits.map((_, i) => `?${i + 1}`).join(', ')
  return db.prepare(`SELECT key, window_start, count FROM rate_limits WHERE key IN (${keys})`).bind(...limits.map((l) => l.key))
}

/** The counting statement and the read of the counters after it, for one batch. */
export function hitStatements(db: SqlDatabase, limits: RateLimit[], now: number, guard?: HitGuard): [SqlStatement, SqlStatement] {
  return [hitStatement(db, limits, now, guard), counterRead(db, limits)]
}

const CounterRowSchema = v.object({ key: v.string(), window_start: v.number(), count: v.number() })

/**
 * A refused hit, on the key that frees up last among those full in `counters`. Should none be full
 * (its window ended since the hit was refused), the visitor may try again at once: one second.
 */
export function refusalOf(counters: SqlResult<unknown> | undefined, limits: RateLimit[], now: number): Extract<RateDecision, { allowed: false }> {
  const current = new Map((counters?.results ?? []).map((row) => v.parse(CounterRowSchema, row)).map((row) => [row.key, row]))
  let refused: Extract<RateDecision, { allowed: false }> | null = null
  for (const limit of limits) {
    const row = current.get(limit.key)
    if (!row || row.window_start !== windowStart(limit, now) || row.count < limit.limit) continue
    const retryAfter = retryAfterSeconds(limit, now)
    if (refused === null || retryAfter > refused.retryAfterSeconds) refused = { allowed: false, key: limit.key, retryAfterSeconds: retryAfter }
  }
  return refused ?? { allowed: false, key: limits[0]?.key ?? '', retryAfterSeconds: 1 }
}

/** What the two statements' results say: counted, or refused on the key that frees up last. */
export function hitDecision(counted: SqlResult<unknown> | undefined, counters: SqlResult<unknown> | undefined, limits: RateLimit[], now: number): RateDecision {
  if ((counted?.results.length ?? 0) > 0) return { allowed: true }
  return refusalOf(counters, limits, now)
}

export function sqlRateLimiter(db: SqlDatabase): RateLimiter {
  return {
    async hit(limits, now) {
      if (limits.length === 0) return { allowed: true }
      const closed = closedLimit(limits, now)
      if (closed) return closed
      const [counted, counters] = await db.batch<unknown>(
        hitStatements(db, limits, now),
        // Counters of windows of an hour at most: losing the last ones with the power costs nothing,
        // and it saves the self-hosted server one disk flush per lead.
        { durable: false },
      )
      return hitDecision(counted, counters, limits, now)
    },

    // Windows are at most an hour long: older counters are dead weight.
    async cleanup(now) {
      await db
        .prepare('DELETE FROM rate_limits WHERE window_start < ?')
        .bind(now - 2 * 3_600_000)
        .run()
    },
  }
}
