// How many database round trips one lead costs. On Workers each is a D1 call (the ingest
// benchmark's limit under wrangler dev), and both runtimes run the same stores, so the count taken
// here on node:sqlite is the Worker's count too.
import * as v from 'valibot'
import { describe, expect, it } from 'vitest'
import { join } from 'node:path'
import { SiteConfigSchema } from '../../shared/schemas/site-config'
import type { SiteConfigInput } from '../../shared/schemas/site-config'
import { applyMigrations } from '../../worker/src/node/migrate'
import { SETTLED_TTL_MS } from '../../worker/src/quality/settled-groups'
import { parseTrustProxy } from '../../worker/src/node/client-ip'
import type { TrustProxy } from '../../worker/src/node/client-ip'
import { createNodeApp } from '../../worker/src/node/node-app'
import { createNodeDeps } from '../../worker/src/node/node-deps'
import { openSqlite, sqliteDatabase } from '../../worker/src/node/sqlite-database'
import type { SqlDatabase, SqlStatement } from '../../worker/src/storage/sql-database'
import { ADMIN_TOKEN, ROOT } from './server-process'

/** Wraps a database so that every call that reaches it (a statement run, or a batch) is counted. */
function counting(db: SqlDatabase): { db: SqlDatabase; calls: string[] } {
  const calls: string[] = []
  // A batch hands the driver its own statements back.
  const inner = new WeakMap<SqlStatement, SqlStatement>()
  const texts = new WeakMap<SqlStatement, string>()
  const wrap = (statement: SqlStatement, sql: string): SqlStatement => {
    const counted = <T>(kind: string, call: () => Promise<T>): Promise<T> => {
      calls.push(`${kind} ${sql}`)
      return call()
    }
    const wrapped: SqlStatement = {
      bind: (...values) => wrap(statement.bind(...values), sql),
      first: () => counted('first', () => statement.first()),
      all: () => counted('all', () => statement.all()),
      run: () => counted('run', () => statement.run()),
    }
    inner.set(wrapped, statement)
    texts.set(wrapped, sql)
    return wrapped
  }
  return {
    calls,
    db: {
      prepare: (sql) => wrap(db.prepare(sql), sql.replace(/\s+/g, ' ')),
      batch: (statements, options) => {
        calls.push(`batch [${statements.map((s) => texts.get(s)).join('; ')}]`)
        return db.batch(
          statements.map((s) => inner.get(s) ?? s),
          options,
        )
      },
    },
  }
}

async function stack(config: SiteConfigInput, now: () => number = () => Date.now()) {
  const sqlite = openSqlite(':memory:')
  applyMigrations(sqlite, join(ROOT, 'worker', 'migrations'))
  const { db, calls } = counting(sqliteDatabase(sqlite))
  const deps = createNodeDeps({
    db,
    queue: { wake: async () => {}, scheduleSla: async () => {} },
    adminToken: ADMIN_TOKEN,
    allowPrivateTargets: false,
    resolveTargetHosts: false,
    schedulerLastTickAt: () => Date.now(),
    fetch: async () => new Response(null, { status: 204 }),
    now,
  })
  const background: Promise<unknown>[] = []
  const app = createNodeApp({ deps, trustProxy: parseTrustProxy('') as TrustProxy, background: (task) => void background.push(task) })
  await deps.sites.putSite('shop', v.parse(SiteConfigSchema, config), Date.now())
  const counters = () =>
    sqlite
      .prepare('SELECT key, window_start, count FROM rate_limits ORDER BY key')
      .all()
      .map((row) => ({ ...row }))
  const keys = () =>
    sqlite
      .prepare('SELECT kind, value, lead_id FROM contact_keys ORDER BY kind, value')
      .all()
      .map((row) => ({ ...row }))
  return { app, calls, background, counters, keys }
}

const lead = (phone: string, elapsedMs = 5000) =>
  JSON.stringify({ id: crypto.randomUUID(), site: 'shop', source: 'callback', contact: { phone }, elapsedMs, context: { utm: { source: 'ya', campaign: 'spring' } } })

async function post(app: Awaited<ReturnType<typeof stack>>['app'], body: string): Promise<Response> {
  return app.request('/v1/leads', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body })
}

describe('database round trips per lead', () => {
  it('a lead costs one: its insert, returning its campaign totals, with its rate-limit hit in the same batch', async () => {
    const { app, calls, background, counters } = await stack({ origins: [], country: 'RU', locale: 'ru', targets: [] })
    // The first lead reads the site and the month's baseline; the second is what a busy site sees.
    expect((await post(app, lead('+79121000001'))).status).toBe(201)
    await Promise.all(background.splice(0))
    calls.length = 0
    const body = lead('+79121000002')
    expect((await post(app, body)).status).toBe(201)
    // Its campaign's totals, read in that batch, cannot move the campaign: no check is started.
    expect(background).toHaveLength(0)
    const steady = calls.splice(0)
    console.log(`round trips per lead: ${steady.length}\n  ${steady.map((call) => call.slice(0, 120)).join('\n  ')}`)
    expect(steady).toHaveLength(1)
    expect(steady[0]).toMatch(
      /^batch \[WITH prior AS .*, hit \(key, window_start, lim\) AS .*RETURNING duplicate_of, \(WITH items AS NOT MATERIALIZED .*recent_leads.*day_leads.*LEFT JOIN quality_groups[^;]*; [^;]*; WITH hit .*INSERT INTO rate_limits[^;]*\]$/s,
    )
    // Three statements: the insert with its campaign's totals, its contact key, its rate-limit hit.
    expect(steady[0]!.split('; ')).toHaveLength(3)

    // A replay: its insert fails and rolls its hit back (no budget spent), and the lead is read.
    const before = counters()
    expect((await post(app, body)).status).toBe(200)
    const replay = calls.splice(0)
    expect(replay).toHaveLength(2)
    expect(replay[1]).toMatch(/^first SELECT .* FROM leads WHERE id = \?/)
    expect(counters()).toEqual(before)
    expect(before.length).toBeGreaterThan(0)
  })

  it('a good lead of a campaign read settled a moment ago is stored without its totals; spam, and a lead after the TTL, read them', async () => {
    let now = Date.now()
    const { app, calls, background } = await stack({ origins: [], country: 'RU', locale: 'ru', targets: [] }, () => now)
    const totalsIn = (call: string | undefined) => call?.includes('WITH items AS NOT MATERIALIZED') ?? false
    // Until its last 20 are full, a good lead could complete a window that alerts: each reads them.
    for (let i = 0; i < 20; i++) {
      calls.length = 0
      now += 1_000
      expect((await post(app, lead(`+7912200${String(i).padStart(4, '0')}`))).status).toBe(201)
      await Promise.all(background.splice(0))
      expect(totalsIn(calls.find((call) => call.startsWith('batch [')))).toBe(true)
    }
    // Now its 20th said: quiet, full, no spike. The next good lead is the insert, its key and its hit.
    calls.length = 0
    now += 1_000
    expect((await post(app, lead('+79122001000'))).status).toBe(201)
    expect(background).toHaveLength(0)
    const settled = calls.splice(0)
    expect(settled).toHaveLength(1)
    expect(totalsIn(settled[0])).toBe(false)
    expect(settled[0]).toMatch(/RETURNING duplicate_of;/)
    expect(settled[0]!.split('; ')).toHaveLength(3)
    // Spam is junk: it always reads them (it may be what tips the campaign).
    now += 1_000
    expect((await post(app, lead('+79122001001', 50))).status).toBe(201)
    await Promise.all(background.splice(0))
    expect(totalsIn(calls.splice(0).find((call) => call.startsWith('batch [')))).toBe(true)
    // That read found it settled still; a minute after it, the next good lead reads them again.
    now += SETTLED_TTL_MS - 1
    expect((await post(app, lead('+79122001002'))).status).toBe(201)
    expect(totalsIn(calls.splice(0)[0])).toBe(false)
    now += 1
    expect((await post(app, lead('+79122001003'))).status).toBe(201)
    await Promise.all(background.splice(0))
    expect(totalsIn(calls.splice(0).find((call) => call.startsWith('batch [')))).toBe(true)
  })

  it('a lead with a phone and an email remembers both in one statement, and a repeat by either finds it', async () => {
    const { app, calls, background, keys } = await stack({ origins: [], country: 'RU', locale: 'ru', targets: [] })
    const first = JSON.parse(lead('+79121000011')) as { id: string; contact: Record<string, string> }
    first.contact.email = 'Anna@Shop.example'
    calls.length = 0
    expect((await post(app, JSON.stringify(first))).status).toBe(201)
    await Promise.all(background.splice(0))
    // (The site's config is read first: this is its first lead.) The insert, both contact keys in
    // one statement, the rate-limit hit.
    const batch = calls.find((call) => call.startsWith('batch ['))
    expect(batch?.split('; ')).toHaveLength(3)
    expect(keys()).toEqual([
      { kind: 'email', value: 'anna@shop.example', lead_id: first.id },
      { kind: 'phone', value: '+79121000011', lead_id: first.id },
    ])
    // A new phone with the same email is a repeat of the first lead, and its phone points there too.
    const repeat = JSON.parse(lead('+79121000012')) as { id: string; contact: Record<string, string> }
    repeat.contact.email = 'anna@shop.example'
    const answer = await post(app, JSON.stringify(repeat))
    expect(answer.status).toBe(201)
    expect(await answer.json()).toMatchObject({ duplicate: true })
    expect(keys()).toContainEqual({ kind: 'phone', value: '+79121000012', lead_id: first.id })
  })

  it('a lead over a limit is refused by its batch and one read of why, storing and counting nothing', async () => {
    const { app, calls, background, counters } = await stack({ origins: [], country: 'RU', locale: 'ru', targets: [], rateLimits: { perPhonePerHour: 1 } })
    expect((await post(app, lead('+79121000003'))).status).toBe(201)
    await Promise.all(background.splice(0))
    const before = counters()
    calls.length = 0
    const refused = await post(app, lead('+79121000003'))
    expect(refused.status).toBe(429)
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0)
    await Promise.all(background.splice(0))
    // The refused batch, the read of which key is full (and whether the id came first), then (in the
    // background) its count in the source statistics.
    const trips = calls.splice(0)
    expect(trips).toHaveLength(3)
    expect(trips[0]).toMatch(/^batch \[WITH prior AS/)
    expect(trips[1]).toMatch(/^batch \[SELECT 1 AS found FROM leads WHERE id = \?; SELECT key, window_start, count FROM rate_limits/)
    expect(trips[2]).toMatch(/^run INSERT INTO rejections/)
    expect(counters()).toEqual(before)
  })

  it('with a captcha or routing, the replay check and the limits come first, so neither is spent on a replay', async () => {
    const managers = [{ id: 'olga', name: 'Olga' }]
    const { app, calls, background } = await stack({ origins: [], country: 'RU', locale: 'ru', targets: [], routing: { managers } })
    expect((await post(app, lead('+79121000004'))).status).toBe(201)
    await Promise.all(background.splice(0))
    calls.length = 0
    const body = lead('+79121000005')
    expect((await post(app, body)).status).toBe(201)
    await Promise.all(background.splice(0))
    const steady = calls.splice(0)
    expect(steady[0]).toMatch(/^batch \[SELECT .* FROM leads WHERE id = \?; WITH hit .*; SELECT key, window_start, count FROM rate_limits/s)
    // A replay stops at the first round trip: no manager's turn is taken for it.
    expect((await post(app, body)).status).toBe(200)
    expect(calls.splice(0)).toHaveLength(1)
  })
})
