// The SqlDatabase seam on node:sqlite (built into Node 22: no native addon to compile or download).
// One connection per process, WAL mode, a busy timeout, and group commit: the writes of one turn of
// the event loop share one transaction and one disk flush, each batch in a savepoint of its own.
import { DatabaseSync } from 'node:sqlite'
import type { StatementSync } from 'node:sqlite'
import { setImmediate } from 'node:timers'
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
  // FULL: a 202 means the lead is on disk, even if the machine loses power right after.
  db.exec('PRAGMA synchronous = FULL')
  // D1 enforces foreign keys; the schema's ON DELETE CASCADE relies on it.
  db.exec('PRAGMA foreign_keys = ON')
  return db
}

export interface SqliteDatabaseOptions {
  /** A group commits at once when it holds this many batches and statements, not at the end of the turn. */
  maxGroup?: number
}

/** The driver, plus what the server's shutdown needs: nothing acknowledged may stay uncommitted. */
export interface NodeSqlDatabase extends SqlDatabase {
  /** Commits the open group now (its promises settle on the next microtask). */
  flush(): void
  /** Commits the open group, then closes the connection. */
  close(): void
}

interface Prepared {
  statement: StatementSync
  /** Whether the statement yields rows (SELECT, or a write with RETURNING). */
  returnsRows: boolean
  /** Whether it can only read: then, with no group open, it runs at once and joins none. */
  readOnly: boolean
}

/** A caller waiting for its group's commit: its result, or its own failure. */
interface Member {
  settle: (commitError: unknown) => void
}

interface Group {
  /** Opened with synchronous = FULL (a disk flush at COMMIT) or NORMAL (counters only). */
  durable: boolean
  members: Member[]
}

const WRITE_WORD = /\b(insert|update|delete|replace|create|drop|alter)\b/i

/** Conservative: only a plain SELECT, or a WITH without a writing word, counts as a read. */
function isReadOnly(sql: string): boolean {
  const text = sql.replace(/^(\s+|--[^\n]*\n?|\/\*[\s\S]*?\*\/)+/, '')
  if (/^select\b/i.test(text)) return true
  return /^with\b/i.test(text) && !WRITE_WORD.test(text)
}

/**
 * Every write (a batch, or a statement's run outside one) runs at once, in issue order, inside the
 * open group's transaction; its promise settles when that transaction commits, at the end of this
 * turn of the event loop (setImmediate), so a resolved write is on disk and a 202 stays durable.
 * A failing batch rolls back to its own savepoint and rejects alone. A read with no group open
 * runs at once; inside one it sees the group's writes and settles with them, so no caller ever
 * sees a row that might not commit.
 *
 * @example
 * const db = sqliteDatabase(openSqlite(path))
 * await Promise.all([db.batch([a]), db.batch([b])]) // one COMMIT, one fsync
 * db.close() // commits what is still open first
 */
export function sqliteDatabase(db: DatabaseSync, { maxGroup = 256 }: SqliteDatabaseOptions = {}): NodeSqlDatabase {
  // Preparing is most of the cost of a small query; the stores use a few dozen distinct texts.
  const cache = new Map<string, Prepared>()
  const prepared = (sql: string): Prepared => {
    let entry = cache.get(sql)
    if (!entry) {
      const statement = db.prepare(sql)
      entry = { statement, returnsRows: statement.columns().length > 0, readOnly: isReadOnly(sql) }
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

  function first<T>(sql: string, values: SqlValue[]): T | null {
    const row = prepared(sql).statement.get(...values)
    return row === undefined ? null : ({ ...row } as T)
  }

  let group: Group | null = null
  let commitScheduled = false

  const commitAtTurnEnd = () => {
    commitScheduled = false
    commit()
  }

  function open(durable: boolean): Group {
    // synchronous cannot change inside a transaction: a durable write closes a counters-only group
    // (a commit without a flush, cheap) and opens a flushed one.
    if (group && durable && !group.durable) commit()
    if (group) return group
    if (!durable) db.exec('PRAGMA synchronous = NORMAL')
    try {
      db.exec('BEGIN IMMEDIATE')
    } catch (error) {
      if (!durable) db.exec('PRAGMA synchronous = FULL')
      throw error
    }
    group = { durable, members: [] }
    if (!commitScheduled) {
      commitScheduled = true
      setImmediate(commitAtTurnEnd)
    }
    return group
  }

  /** Ends the group: COMMIT (or ROLLBACK when `failure` says it cannot), then settles its members. */
  function end(failure: unknown = null): void {
    const ending = group
    if (!ending) return
    group = null
    let commitError = failure
    try {
      try {
        if (commitError === null && db.isTransaction) db.exec('COMMIT')
        else commitError ??= new Error('the group transaction ended before its commit')
      } catch (error) {
        commitError = error
      }
      if (db.isTransaction) db.exec('ROLLBACK')
      if (!ending.durable) db.exec('PRAGMA synchronous = FULL')
    } catch (error) {
      commitError ??= error
    } finally {
      // A member's own error wins over the commit's; a member settles even if the connection broke.
      for (const member of ending.members) member.settle(commitError)
    }
  }

  function commit(): void {
    end()
  }

  /** Runs `work` in the open group (opening one) and settles with the group's commit. */
  function inGroup<R>(durable: boolean, work: () => R): Promise<R> {
    let current: Group
    try {
      current = open(durable)
    } catch (error) {
      return Promise.reject(error)
    }
    let outcome: { ok: true; value: R } | { ok: false; error: unknown }
    try {
      outcome = { ok: true, value: work() }
    } catch (error) {
      outcome = { ok: false, error }
    }
    const promise = new Promise<R>((resolve, reject) => {
      current.members.push({
        settle: (commitError) => {
          if (!outcome.ok) reject(outcome.error)
          else if (commitError !== null) reject(commitError)
          else resolve(outcome.value)
        },
      })
    })
    // Some errors (a full disk, I/O) roll the whole transaction back, the others' writes with it.
    if (!outcome.ok && !db.isTransaction) end(outcome.error)
    else if (current.members.length >= maxGroup) commit()
    return promise
  }

  function runBatch<T>(statements: SqlStatement[]): SqlResult<T>[] {
    const run = () =>
      statements.map((s) => {
        const { sql, values } = s as ReturnType<typeof statementOf>
        return execute<T>(sql, values)
      })
    // One statement is atomic by itself; several share a savepoint, so a failure undoes only them.
    if (statements.length < 2) return run()
    db.exec('SAVEPOINT lc_batch')
    try {
      const results = run()
      db.exec('RELEASE lc_batch')
      return results
    } catch (error) {
      if (db.isTransaction) {
        db.exec('ROLLBACK TO lc_batch')
        db.exec('RELEASE lc_batch')
      }
      throw error
    }
  }

  /** A single statement: a read outside a group runs alone; anything else goes through the group. */
  function single<R>(sql: string, work: () => R): Promise<R> {
    let entry: Prepared
    try {
      entry = prepared(sql)
    } catch (error) {
      return Promise.reject(error)
    }
    if (entry.readOnly) {
      if (group === null) {
        try {
          return Promise.resolve(work())
        } catch (error) {
          return Promise.reject(error)
        }
      }
      return inGroup(group.durable, work)
    }
    return inGroup(true, work)
  }

  function statementOf(sql: string, values: SqlValue[]): SqlStatement & { sql: string; values: SqlValue[] } {
    return {
      sql,
      values,
      bind: (...next) => statementOf(sql, next),
      first: <T>() => single(sql, () => first<T>(sql, values)),
      all: <T>() => single(sql, () => execute<T>(sql, values)),
      run: <T>() => single(sql, () => execute<T>(sql, values)),
    }
  }

  return {
    prepare: (sql) => statementOf(sql, []),
    batch<T>(statements: SqlStatement[], { durable = true }: BatchOptions = {}) {
      // In WAL mode NORMAL still survives a crash of the process (kill -9); only the machine's power
      // can take the last such commits, and the next durable commit flushes them with its own.
      return inGroup(durable, () => runBatch<T>(statements))
    },
    flush: commit,
    close() {
      commit()
      db.close()
    },
  }
}
