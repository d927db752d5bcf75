// Grouped D1 batches, on the real local D1: batches that queue behind a call in flight go in one
// call, and every caller gets what its batch alone would have given it, failures included.
import { env } from 'cloudflare:workers'
import fc from 'fast-check'
import { beforeEach, describe, expect, it } from 'vitest'
import { type BatchQueue, groupedBatches, newBatchQueue } from './grouped-batches'
import type { SqlDatabase, SqlResult, SqlStatement } from './sql-database'

// The run's seed (vitest.config.ts prints it): a failure replays with FUZZ_SEED=<n>.
fc.configureGlobal({ seed: Number(env.FUZZ_SEED ?? 0) })

const d1: SqlDatabase = env.DB
let table = ''

beforeEach(async () => {
  // The worker project's files share one database: a table of this test's own.
  table = `grouped_${crypto.randomUUID().replaceAll('-', '')}`
  await d1.batch([
    d1.prepare(`CREATE TABLE ${table} (id TEXT PRIMARY KEY, n INTEGER NOT NULL)`),
    d1.prepare(`CREATE TABLE ${table}_count (one INTEGER PRIMARY KEY, n INTEGER NOT NULL)`),
    d1.prepare(`INSERT INTO ${table}_count VALUES (1, 0)`),
  ])
})

/** One caller's batch: its row (failing if the id is taken) and the shared count it bumps. */
function itemBatch(db: SqlDatabase, id: string): SqlStatement[] {
  return [
    db.prepare(`INSERT INTO ${table} (id, n) VALUES (?1, (SELECT n FROM ${table}_count)) RETURNING id`).bind(id),
    db.prepare(`UPDATE ${table}_count SET n = n + 1 RETURNING n`),
  ]
}

const rows = async () => (await d1.prepare(`SELECT id FROM ${table} ORDER BY id`).all<{ id: string }>()).results.map((r) => r.id)
const count = async () => (await d1.prepare(`SELECT n FROM ${table}_count`).first<{ n: number }>())?.n

/** D1 with every call counted, and a hold that keeps the next call in flight until released. */
function heldD1(): { db: SqlDatabase; calls: number[]; hold: () => () => void } {
  const calls: number[] = []
  let gate: Promise<void> | null = null
  return {
    calls,
    hold: () => {
      let release = () => {}
      gate = new Promise((resolve) => {
        release = resolve
      })
      return release
    },
    db: {
      prepare: (sql) => d1.prepare(sql),
      async batch<T>(statements: SqlStatement[]): Promise<SqlResult<T>[]> {
        calls.push(statements.length)
        const waitFor = gate
        gate = null
        if (waitFor) await waitFor
        return d1.batch<T>(statements)
      },
    },
  }
}

const noKeepAlive = () => {}
const flushTurns = () => new Promise((resolve) => setTimeout(resolve, 20))

describe('grouped D1 batches', () => {
  it('batches that queue behind a call in flight go in one call, each with its own results', async () => {
    const { db: raw, calls, hold } = heldD1()
    const queue = newBatchQueue()
    const db = groupedBatches(raw, queue, noKeepAlive)
    const release = hold()
    const first = db.batch<{ id?: string; n?: number }>(itemBatch(db, 'a'))
    await flushTurns()
    const rest = ['b', 'c', 'd', 'e'].map((id) => db.batch<{ id?: string; n?: number }>(itemBatch(db, id)))
    await flushTurns()
    expect(calls).toEqual([2])
    release()
    const results = await Promise.all([first, ...rest])
    expect(calls).toEqual([2, 8])
    expect(queue.counts).toEqual({ calls: 2, batches: 5 })
    // Each caller's results are its own two statements', in the order the batches queued.
    expect(results.map((r) => [r[0]!.results[0]!.id, r[1]!.results[0]!.n])).toEqual([
      ['a', 1],
      ['b', 2],
      ['c', 3],
      ['d', 4],
      ['e', 5],
    ])
    expect(await rows()).toEqual(['a', 'b', 'c', 'd', 'e'])
  })

  it('a failing batch in a group: the call rolls back, the others run alone and apply, it fails alone', async () => {
    const { db: raw, calls, hold } = heldD1()
    const queue = newBatchQueue()
    const db = groupedBatches(raw, queue, noKeepAlive)
    await db.batch(itemBatch(db, 'taken'))
    const release = hold()
    const first = db.batch(itemBatch(db, 'a'))
    await flushTurns()
    const rest = ['b', 'taken', 'c'].map((id) => db.batch(itemBatch(db, id)))
    await flushTurns()
    release()
    const settled = await Promise.allSettled([first, ...rest])
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled'])
    const failure = settled[2]
    expect(failure?.status === 'rejected' && String(failure.reason)).toMatch(/UNIQUE constraint failed/)
    // The held call, the group of three that failed, then each of the three alone.
    expect(calls).toEqual([2, 2, 6, 2, 2, 2])
    expect(await rows()).toEqual(['a', 'b', 'c', 'taken'])
    // The failed call's bumps rolled back with it: one per stored row.
    expect(await count()).toBe(4)
  })

  it('a group stops short of the statement cap; a batch over it goes alone', async () => {
    const { db: raw, calls, hold } = heldD1()
    const queue = newBatchQueue({ maxStatements: 5 })
    const db = groupedBatches(raw, queue, noKeepAlive)
    const release = hold()
    const first = db.batch(itemBatch(db, 'a'))
    await flushTurns()
    const long = [...itemBatch(db, 'x'), ...itemBatch(db, 'y'), ...itemBatch(db, 'z')]
    const rest = [db.batch(itemBatch(db, 'b')), db.batch(itemBatch(db, 'c')), db.batch(itemBatch(db, 'd')), db.batch(long)]
    await flushTurns()
    release()
    await Promise.all([first, ...rest])
    expect(calls).toEqual([2, 4, 2, 6])
    expect(await rows()).toEqual(['a', 'b', 'c', 'd', 'x', 'y', 'z'])
  })

  it('a call that never answers is given up: its caller fails, the queue goes on without it', async () => {
    const { db: raw, calls } = heldD1()
    let answered = 0
    const never: SqlDatabase = {
      prepare: raw.prepare,
      batch: (statements) => (answered++ === 0 ? new Promise(() => {}) : raw.batch(statements)),
    }
    const queue = newBatchQueue({ stuckMs: 200 })
    const db = groupedBatches(never, queue, noKeepAlive)
    const stuck = db.batch(itemBatch(db, 'lost'))
    await flushTurns()
    const waiting = db.batch(itemBatch(db, 'b'))
    await expect(stuck).rejects.toThrow(/did not answer a batch in 200 ms/)
    await waiting
    // Arriving after the give-up, a batch is sent at once.
    await db.batch(itemBatch(db, 'c'))
    expect(calls).toEqual([2, 2])
    expect(await rows()).toEqual(['b', 'c'])
  })

  it('hands each call to keepAlive, so the request that sends it outlives its visitor', async () => {
    const kept: Promise<unknown>[] = []
    const db = groupedBatches(d1, newBatchQueue(), (task) => kept.push(task))
    await db.batch(itemBatch(db, 'a'))
    expect(kept).toHaveLength(1)
    await expect(kept[0]).resolves.toBeUndefined()
  })

  it('any mix of arrivals and clashes: every caller settles, each id is stored once, the count is the rows', async () => {
    let grouped = 0
    // Each caller starts at once, or once an earlier one has its answer: the second kind arrives
    // while later calls are in flight.
    const arrival = fc.record({ id: fc.constantFrom('p', 'q', 'r', 's', 't', 'u'), after: fc.option(fc.nat(), { nil: null }) })
    await fc.assert(
      fc.asyncProperty(fc.array(arrival, { minLength: 1, maxLength: 14 }), fc.integer({ min: 2, max: 12 }), async (arrivals, maxStatements) => {
        await d1.batch([d1.prepare(`DELETE FROM ${table}`), d1.prepare(`UPDATE ${table}_count SET n = 0`)])
        const queue: BatchQueue = newBatchQueue({ maxStatements })
        const db = groupedBatches(d1, queue, noKeepAlive)
        const started: Promise<string>[] = []
        for (const [i, { id, after }] of arrivals.entries()) {
          const earlier = after === null || i === 0 ? null : started[after % i]
          started.push(
            (async () => {
              if (earlier) await earlier.catch(() => {})
              const [inserted] = await db.batch<{ id: string }>(itemBatch(db, id))
              return inserted!.results[0]!.id
            })(),
          )
        }
        const settled = await Promise.allSettled(started)
        const won = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []))
        const lost = settled.flatMap((s) => (s.status === 'rejected' ? [String(s.reason)] : []))
        const ids = [...new Set(arrivals.map((a) => a.id))].sort()
        // Each id's first insert to reach D1 wins, whoever it grouped with; the others clash.
        expect([...won].sort()).toEqual(ids)
        expect(lost).toHaveLength(arrivals.length - ids.length)
        for (const reason of lost) expect(reason).toMatch(/UNIQUE constraint failed/)
        expect(await rows()).toEqual(ids)
        expect(await count()).toBe(ids.length)
        expect(queue.busy).toBe(false)
        expect(queue.waiting).toHaveLength(0)
        if (queue.counts.calls < queue.counts.batches) grouped += 1
      }),
      { numRuns: 40 },
    )
    // The property is about groups: a run of one or two callers makes none, but many runs must.
    expect(grouped).toBeGreaterThanOrEqual(10)
  })
})
