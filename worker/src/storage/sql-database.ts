// The SQL driver seam: the subset of D1's API the stores use. D1 satisfies it as it is; the
// self-hosted runtime implements it on node:sqlite (worker/src/node/sqlite-database.ts). Both are
// SQLite, so the stores' SQL is one code path.
export type SqlValue = string | number | null

export interface SqlResult<T> {
  results: T[]
  meta: { changes: number }
}

export interface SqlStatement {
  bind(...values: SqlValue[]): SqlStatement
  first<T = Record<string, unknown>>(): Promise<T | null>
  all<T = Record<string, unknown>>(): Promise<SqlResult<T>>
  run<T = Record<string, unknown>>(): Promise<SqlResult<T>>
}

export interface BatchOptions {
  durable?: boolean
}

export interface SqlDatabase {
  prepare(sql: string): SqlStatement
  /**
   * All statements in one transaction: every one applies, or none. `durable: false` says the
   * writes may be lost with the machine's power (rate-limit counters): the self-hosted driver then
   * skips the disk flush of that commit; D1 ignores it.
   */
  batch<T = Record<string, unknown>>(statements: SqlStatement[], options?: BatchOptions): Promise<SqlResult<T>[]>
}

/**
 * A read that rides on another store's statement as one more returned column: a scalar subquery
 * with its values numbered from `firstParam`, and how to read the value it returns. It costs no
 * round trip and no statement of its own (the campaign check's totals come back with the lead's
 * insert).
 */
export interface ReturnedRead<T> {
  column(firstParam: number): { sql: string; values: SqlValue[] }
  read(value: unknown): T
}
