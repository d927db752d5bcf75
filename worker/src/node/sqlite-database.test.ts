import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, it } from 'vitest'
import { openSqlite, sqliteDatabase } from './sqlite-database'

function fresh() {
  const sqlite = openSqlite(join(mkdtempSync(join(tmpdir(), 'lc-sqlite-')), 'db.sqlite'))
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
