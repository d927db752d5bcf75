import { join } from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import { describe, expect, it, vi } from 'vitest'
import { openSqlite, sqliteDatabase } from './sqlite-database'
import { tempDir } from '../../../test/node-runtime/temp-dir'

function fresh() {
  const sqlite = openSqlite(join(tempDir('lc-sqlite-'), 'db.sqlite'))
  sqlite.exec('CREATE TABLE t (id TEXT PRIMARY KEY, n INTEGER NOT NULL)')
  return { sqlite, db: sqliteDatabase(sqlite) }
}

const synchronous = (sqlite: ReturnType<typeof fresh>['sqlite']) => Number(sqlite.prepare('PRAGMA synchronous').get()?.synchronous)

it('opens in WAL mode with full sync, a busy timeout and foreign keys, as the stores expect', () => {
  const { sqlite } = fresh()
  expect(sqlite.prepare('PRAGMA journal_mode').get()).toEqual(expect.objectContaining({ journal_mode: 'wal' }))
  expect(synchronous(sqlite)).toBe(2)
  expect(Number(sqlite.prepare('PRAGMA foreign_keys').get()?.foreign_keys)).toBe(1)
  expect(Number(sqlite.prepare('PRAGMA busy_timeout').get()?.timeout)).toBe(5000)
})

it('answers like D1: first, all with results, run with changes, numbered parameters, plain objects', async () => {
  const { db } = fresh()
  expect((await db.prepare('INSERT INTO t VALUES (?1, ?2)').bind('a', 1).run()).meta.changes).toBe(1)
  await db.prepare('INSERT INTO t VALUES (?, ?)').bind('b', 2).run()
  const row = await db.prepare('SELECT id, n FROM t WHERE id = ?1 OR id = ?1').bind('a').first<{ id: string; n: number }>()
  expect(row).toEqual({ id: 'a', n: 1 })
  expect(Object.getPrototypeOf(row)).toBe(Object.prototype)
  expect(await db.prepare('SELECT id FROM t WHERE id = ?').bind('zz').first()).toBeNull()
  expect((await db.prepare('SELECT id FROM t ORDER BY id').all<{ id: string }>()).results.map((r) => r.id)).toEqual(['a', 'b'])
  const returned = await db.prepare('UPDATE t SET n = n + 10 RETURNING id, n').run<{ id: string; n: number }>()
  expect(returned.results).toHaveLength(2)
  expect((await db.prepare('DELETE FROM t WHERE n > 100').run()).meta.changes).toBe(0)
})

it('runs a batch as one transaction: a failing statement rolls back the ones before it', async () => {
  const { db } = fresh()
  await db.prepare('INSERT INTO t VALUES (?, ?)').bind('a', 1).run()
  await expect(db.batch([db.prepare('INSERT INTO t VALUES (?, ?)').bind('b', 2), db.prepare('INSERT INTO t VALUES (?, ?)').bind('a', 3)])).rejects.toThrow(
    /UNIQUE constraint failed: t\.id/,
  )
  expect((await db.prepare('SELECT id FROM t ORDER BY id').all<{ id: string }>()).results.map((r) => r.id)).toEqual(['a'])
})

it('commits a batch marked not durable, and restores full sync after it, failed or not', async () => {
  const { sqlite, db } = fresh()
  await db.batch([db.prepare('INSERT INTO t VALUES (?, ?)').bind('x', 1)], { durable: false })
  expect(synchronous(sqlite)).toBe(2)
  expect(await db.prepare('SELECT n FROM t WHERE id = ?').bind('x').first()).toEqual({ n: 1 })
  await expect(db.batch([db.prepare('INSERT INTO t VALUES (?, ?)').bind('x', 2)], { durable: false })).rejects.toThrow()
  expect(synchronous(sqlite)).toBe(2)
})

describe('group commit', () => {
  const ids = async (db: ReturnType<typeof fresh>['db']) => (await db.prepare('SELECT id FROM t ORDER BY id').all<{ id: string }>()).results.map((r) => r.id)
  const insert = (db: ReturnType<typeof fresh>['db'], id: string, n = 1) => db.prepare('INSERT INTO t VALUES (?, ?)').bind(id, n)
  /** Counts the COMMITs, with the synchronous level each ran at (2 FULL: a disk flush; 1 NORMAL). */
  function commits(sqlite: ReturnType<typeof fresh>['sqlite']) {
    const levels: number[] = []
    const exec = sqlite.exec.bind(sqlite)
    vi.spyOn(sqlite, 'exec').mockImplementation((sql) => {
      if (sql === 'COMMIT') levels.push(synchronous(sqlite))
      return exec(sql)
    })
    return levels
  }

  it('commits the batches of one turn together: one transaction, one flush', async () => {
    const { sqlite, db } = fresh()
    const levels = commits(sqlite)
    const results = await Promise.all(['a', 'b', 'c', 'd', 'e'].map((id) => db.batch([insert(db, id), db.prepare('UPDATE t SET n = n + 1 WHERE id = ?').bind(id)])))
    expect(results.map((r) => r.map((x) => x.meta.changes))).toEqual(Array(5).fill([1, 1]))
    expect(levels).toEqual([2])
    expect(await ids(db)).toEqual(['a', 'b', 'c', 'd', 'e'])
  })

  it('rejects only the failing batch: its own statements roll back, the others of the group commit', async () => {
    const { sqlite, db } = fresh()
    await insert(db, 'taken').run()
    const levels = commits(sqlite)
    const settled = await Promise.allSettled([
      db.batch([insert(db, 'a')]),
      db.batch([insert(db, 'b'), insert(db, 'taken')]),
      db.batch([insert(db, 'c')]),
      insert(db, 'taken').run(),
    ])
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'rejected'])
    expect(settled[1]).toEqual({ status: 'rejected', reason: expect.objectContaining({ message: expect.stringMatching(/UNIQUE constraint failed: t\.id/) }) })
    expect(levels).toEqual([2])
    expect(await ids(db)).toEqual(['a', 'c', 'taken'])
  })

  it('lets a read see the writes issued before it, and settles it only once they are committed', async () => {
    const { db, sqlite } = fresh()
    const other = new DatabaseSync(sqlite.location() ?? '')
    const order: string[] = []
    const write = db.batch([insert(db, 'x', 7)]).then(() => order.push('write'))
    const read = db
      .prepare('SELECT n FROM t WHERE id = ?')
      .bind('x')
      .first()
      .then((row) => {
        order.push('read')
        return row
      })
    // Issued, not yet committed: another connection does not see it, and nobody has been answered.
    expect(other.prepare('SELECT count(*) AS c FROM t').get()).toEqual(expect.objectContaining({ c: 0 }))
    expect(order).toEqual([])
    expect(await read).toEqual({ n: 7 })
    await write
    expect(order).toEqual(['write', 'read'])
    expect(other.prepare('SELECT count(*) AS c FROM t').get()).toEqual(expect.objectContaining({ c: 1 }))
    other.close()
  })

  it('answers a read at once when no write is waiting', async () => {
    const { sqlite, db } = fresh()
    await insert(db, 'a').run()
    const levels = commits(sqlite)
    expect(await db.prepare('WITH x AS (SELECT id FROM t) SELECT id FROM x').first()).toEqual({ id: 'a' })
    expect(levels).toEqual([])
  })

  it('commits counters-only batches without a flush, and a durable one in a flushed group of its own', async () => {
    const { sqlite, db } = fresh()
    const levels = commits(sqlite)
    await Promise.all([db.batch([insert(db, 'a')], { durable: false }), db.batch([insert(db, 'b')]), db.batch([insert(db, 'c')], { durable: false })])
    expect(levels).toEqual([1, 2])
    expect(synchronous(sqlite)).toBe(2)
    await Promise.all([db.batch([insert(db, 'd')], { durable: false }), db.batch([insert(db, 'e')], { durable: false })])
    expect(levels).toEqual([1, 2, 1])
    expect(await ids(db)).toEqual(['a', 'b', 'c', 'd', 'e'])
  })

  it('commits at once when the group is full', async () => {
    const sqlite = openSqlite(join(tempDir('lc-sqlite-'), 'db.sqlite'))
    sqlite.exec('CREATE TABLE t (id TEXT PRIMARY KEY, n INTEGER NOT NULL)')
    const db = sqliteDatabase(sqlite, { maxGroup: 2 })
    const levels = commits(sqlite)
    await Promise.all(['a', 'b', 'c', 'd', 'e'].map((id) => db.batch([insert(db, id)])))
    expect(levels).toEqual([2, 2, 2])
  })

  it('rejects every member when an error rolls the whole transaction back, and commits what comes after', async () => {
    const { sqlite, db } = fresh()
    sqlite.exec("CREATE TABLE u (id TEXT); CREATE TRIGGER u_boom AFTER INSERT ON u BEGIN SELECT RAISE(ROLLBACK, 'boom'); END")
    const settled = await Promise.allSettled([db.batch([insert(db, 'a')]), db.batch([db.prepare('INSERT INTO u VALUES (?)').bind('z')]), db.batch([insert(db, 'b')])])
    expect(settled.map((s) => s.status)).toEqual(['rejected', 'rejected', 'fulfilled'])
    expect(settled[0]).toEqual({ status: 'rejected', reason: expect.objectContaining({ message: 'boom' }) })
    expect(await ids(db)).toEqual(['b'])
    expect(sqlite.isTransaction).toBe(false)
  })

  it('close commits what is still waiting: every write issued is on disk, and its promise resolves', async () => {
    const { sqlite, db } = fresh()
    const path = sqlite.location() ?? ''
    const writes = Promise.all([db.batch([insert(db, 'a')]), insert(db, 'b').run(), db.batch([insert(db, 'c')], { durable: false })])
    db.close()
    await expect(writes).resolves.toHaveLength(3)
    const reopened = new DatabaseSync(path)
    expect(
      reopened
        .prepare('SELECT id FROM t ORDER BY id')
        .all()
        .map((r) => r.id),
    ).toEqual(['a', 'b', 'c'])
    reopened.close()
  })
})
