// The SqlDatabase seam on node:sqlite (built into Node 22: no native addon to compile or download).
// One connection per process, WAL mode, a busy timeout, and one transaction where D1 uses a batch.
import { DatabaseSync } from 'node:sqlite'
import type { StatementSync } from 'node:sqlite'
import type { BatchOptions, SqlDatabase, SqlResult, SqlStatement, SqlValue } from '../storage/sql-database'

export interface OpenOptions {
  /** How long a write waits for another connection's lock (backups, the sqlite3 shell). */
  busyTimeoutMs?: number
}

/** Opens (or creates) the database file with the settings the stores rely on. */
export function openSqlite(path: string, { busyTimeoutMs = 5000 }: OpenOptions = {}): DatabaseSync {
  const db = new DatabaseSync(path)
  db.exec(`PRAGMA busy_timeout = ${Math.max(0, Math.floor(busyTimeoutMs))}`)
  if (path !== ':memory:') db.exec('PRAGMA journal_mode = WAL')
  // FULL: a 201 means the lead is on disk, even if the machine loses power right after.
  db.exec('PRAGMA synchronous = FULL')
  // D1 enforces foreign keys; the schema's ON DELETE CASCADE relies on it.
  db.exec('PRAGMA foreign_keys = ON')
  return db
}

interface Prepared {
  statement: StatementSync
  /** Whether the statement yields rows (SELECT, or a write with RETURNING). */
  returnsRows: boolean
}

export function sqliteDatabase(db: DatabaseSync): SqlDatabase {
  // Preparing is most of the cost of a small query; the stores use a few dozen distinct texts.
  const cache = new Map<string, Prepared>()
  const prepared = (sql: string): Prepared => {
    let entry = cache.get(sql)
    if (!entry) {
      const statement = db.prepare(sql)
      entry = { statement, returnsRows: statement.columns().length > 0 }
      cache.set(sql, entry)
    }
    return entry
  }

  function execute<T>(sql: string, values: SqlValue[]): SqlResult<T> {
    const { statement, returnsRows } = prepared(sql)
    if (returnsRows) {
      // Rows come with a null prototype; spread them into plain objects like D1's.
      const rows = statement.all(...values).map((row) => ({ ...row }) as T)
      return { results: rows, meta: { changes: rows.length } }
    }
    const { changes } = statement.run(...values)
    return { results: [], meta: { changes: Number(changes) } }
  }

  function statementOf(sql: string, values: SqlValue[]): SqlStatement & { sql: string; values: SqlValue[] } {
    return {
      sql,
      values,
      bind: (...next) => statementOf(sql, next),
      first: async <T>() => {
        const row = prepared(sql).statement.get(...values)
        return row === undefined ? null : ({ ...row } as T)
      },
      all: async <T>() => execute<T>(sql, values),
      run: async <T>() => execute<T>(sql, values),
    }
  }

  return {
    prepare: (sql) => statementOf(sql, []),
    async batch<T>(statements: SqlStatement[], { durable = true }: BatchOptions = {}) {
      // In WAL mode NORMAL still survives a crash of the process (kill -9); only the machine's power
      // can take the last such commits, and the next durable commit flushes them with its own.
      if (!durable) db.exec('PRAGMA synchronous = NORMAL')
      try {
        // Synchronous from BEGIN to COMMIT: no other request's statements can interleave.
        db.exec('BEGIN IMMEDIATE')
        try {
          const results = statements.map((s) => {
            const { sql, values } = s as ReturnType<typeof statementOf>
            return execute<T>(sql, values)
          })
          db.exec('COMMIT')
          return results
        } catch (error) {
          db.exec('ROLLBACK')
          throw error
        }
      } finally {
        if (!durable) db.exec('PRAGMA synchronous = FULL')
      }
    },
  }
}
