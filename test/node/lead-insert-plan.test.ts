// Every lead runs the insert, so its plan must be a few index look-ups whatever the site's history:
// no scan, and no temporary b-tree (an OR'd dedupe look-up sorted by first_at built one per lead
// and cost 110 of the insert's 135 µs). Checked on SQLite's own plan (D1 runs the same engine).
import { join } from 'node:path'
import type { SQLInputValue } from 'node:sqlite'
import { beforeAll, describe, expect, it } from 'vitest'
import type { LeadPayload } from '../../worker/src/model/lead'
import { applyMigrations } from '../../worker/src/node/migrate'
import { openSqlite, sqliteDatabase } from '../../worker/src/node/sqlite-database'
import { DEFAULT_RATE_LIMITS, leadRateLimits } from '../../worker/src/security/rate-limiter'
import { sqlLeadStore } from '../../worker/src/storage/sql-lead-store'
import { sqlQualityStore } from '../../worker/src/storage/sql-quality-store'
import type { NewLead } from '../../worker/src/storage/types'
import { planLead } from './plan-lead'
import { recording } from './recording-database'
import { ROOT } from './server-process'

const NOW = Date.UTC(2026, 11, 4, 12)
const SITE = 'insert-plan'
const WINDOW = 30 * 24 * 3600 * 1000

const newLead = (i: number, contact: LeadPayload['contact'], at = NOW): NewLead => planLead(SITE, i, contact, at)

describe('the lead insert', () => {
  const sqlite = openSqlite(':memory:')
  applyMigrations(sqlite, join(ROOT, 'worker', 'migrations'))
  sqlite.prepare("INSERT INTO sites (id, config, created_at, updated_at) VALUES (?, '{}', 0, 0)").run(SITE)
  const { db, statements } = recording(sqliteDatabase(sqlite))
  const leads = sqlLeadStore(db)
  const insert = (lead: NewLead) =>
    leads.insertLead(lead, {
      deliveries: [],
      dedupeWindowMs: WINDOW,
      limits: leadRateLimits(SITE, lead.payload.contact, lead.ip, DEFAULT_RATE_LIMITS),
    })

  // A history of 500 leads with phones and emails, so that a scan or a sort would have rows to walk.
  beforeAll(async () => {
    for (let i = 0; i < 500; i++) {
      await insert(newLead(i, { phone: `+7912${String(1_000_000 + i)}`, email: `v${i}@shop.example` }, NOW - (500 - i) * 60_000))
    }
  })

  it('looks up the contact keys and the limits by index, with no scan and no sort', async () => {
    statements.length = 0
    const result = await insert(newLead(7, { phone: '+79121000042', email: 'v43@shop.example' }))
    expect(result).toMatchObject({ status: 'inserted' })
    const sent = statements.find((s) => s.sql.includes('INSERT INTO leads'))
    expect(sent).toBeDefined()
    const plan = sqlite
      .prepare(`EXPLAIN QUERY PLAN ${sent!.sql}`)
      .all(...(sent!.values as SQLInputValue[]))
      .map((row) => String(row.detail))
    expect(plan.filter((step) => /^SEARCH contact_keys USING (COVERING )?INDEX/.test(step)).length).toBe(2)
    expect(plan.filter((step) => /^SEARCH r USING INDEX/.test(step)).length).toBeGreaterThan(0)
    expect(plan.filter((step) => /^SCAN (contact_keys|rate_limits|leads|r)\b/.test(step) || step.includes('TEMP B-TREE'))).toEqual([])
  })

  it('returns its campaign totals from the group index, with no scan and no sort, counting the lead just stored', async () => {
    const quality = sqlQualityStore(db)
    const group = { utmSource: null, utmCampaign: null, page: null }
    // The day window's walk is capped at `limit`: above the site's history here, so it counts all of it.
    const query = { limit: 1000, windowLeads: 20, dayFrom: NOW - 24 * 3600 * 1000, baselineFrom: NOW - WINDOW, now: NOW, fresh: true }
    const before = await quality.snapshot(SITE, group, query)
    statements.length = 0
    // Before `now`: the baseline counts up to it, not including it.
    const lead = newLead(8, { phone: '+79121000043' }, NOW - 1000)
    const result = await leads.insertLead(lead, {
      deliveries: [],
      dedupeWindowMs: WINDOW,
      limits: leadRateLimits(SITE, lead.payload.contact, lead.ip, DEFAULT_RATE_LIMITS),
      after: quality.totalsRead(SITE, group, query),
    })
    expect(result).toMatchObject({ status: 'inserted', after: { recent: { leads: 20, junk: 0 }, day: { leads: before.day.leads + 1, junk: 0 } } })
    expect(result).toMatchObject({ after: { baseline: { leads: before.baseline.leads + 1, junk: 0 } } })
    const sent = statements.find((s) => s.sql.includes('INSERT INTO leads'))
    expect(sent?.sql).toMatch(/RETURNING duplicate_of, \(WITH items AS NOT MATERIALIZED/)
    const plan = sqlite
      .prepare(`EXPLAIN QUERY PLAN ${sent!.sql}`)
      .all(...(sent!.values as SQLInputValue[]))
      .map((row) => String(row.detail))
    expect(plan.filter((step) => step.includes('MERGE (UNION ALL)')).length).toBeGreaterThan(0)
    expect(plan.filter((step) => /^SCAN (contact_keys|rate_limits|leads|rejections|quality_groups|r)\b/.test(step) || step.includes('TEMP B-TREE'))).toEqual([])
  })
})
