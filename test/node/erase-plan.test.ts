// Erasure runs for every request to forget a person and for retention's nightly sweep, on a site
// with years of history: each of its statements must reach the erased leads' rows by index.
// Checked on SQLite's own plan (D1 runs the same engine).
import { join } from 'node:path'
import type { SQLInputValue } from 'node:sqlite'
import { describe, expect, it } from 'vitest'
import { applyMigrations } from '../../worker/src/node/migrate'
import { openSqlite, sqliteDatabase } from '../../worker/src/node/sqlite-database'
import { sqlLeadStore } from '../../worker/src/storage/sql-lead-store'
import { planLead } from './plan-lead'
import { recording } from './recording-database'
import { ROOT } from './server-process'

const NOW = Date.UTC(2026, 11, 4, 12)
const SITE = 'erase-plan'

describe('erasing a lead', () => {
  it('reaches every table it touches by index, with no scan but the short-lived rate-limit counters', async () => {
    const sqlite = openSqlite(':memory:')
    applyMigrations(sqlite, join(ROOT, 'worker', 'migrations'))
    sqlite.prepare("INSERT INTO sites (id, config, created_at, updated_at) VALUES (?, '{}', 0, 0)").run(SITE)
    const { db, statements } = recording(sqliteDatabase(sqlite))
    const leads = sqlLeadStore(db)
    const lead = planLead(SITE, 7, { phone: '+79121000001' }, NOW)
    const { id } = lead.payload
    await leads.insertLead(lead, { deliveries: [], dedupeWindowMs: 30 * 24 * 3600 * 1000 })
    statements.length = 0
    expect(await leads.erasePersonalData([id], NOW + 1000)).toMatchObject({ leads: 1 })
    const scans = statements.flatMap(({ sql, values }) =>
      sqlite
        .prepare(`EXPLAIN QUERY PLAN ${sql}`)
        .all(...(values as SQLInputValue[]))
        .map((row) => String(row.detail))
        // json_each walks the ids (or a lead's flags) it was given; the counters are few and short-lived.
        .filter((step) => /^SCAN /.test(step) && !/VIRTUAL TABLE|^SCAN (rate_limits|CONSTANT ROW)\b/.test(step))
        .map((step) => `${step}  ← ${sql.replace(/\s+/g, ' ').slice(0, 60)}`),
    )
    expect(statements.length).toBeGreaterThan(5)
    expect(scans).toEqual([])
  })
})
