// The campaign check reads its windows on every lead, so its statement must walk the group's
// indexes newest first and stop at its LIMIT: a plan that scans the leads table or sorts the
// whole group would cost in proportion to the campaign's history. Checked on SQLite's own plan
// (D1 runs the same engine), over a group big enough that the cap matters.
import { join } from 'node:path'
import type { DatabaseSync, SQLInputValue } from 'node:sqlite'
import { describe, expect, it } from 'vitest'
import { applyMigrations } from '../../worker/src/node/migrate'
import { openSqlite, sqliteDatabase } from '../../worker/src/node/sqlite-database'
import { DAY_MS, countWindow, type QualityItem, type QualityItemKind } from '../../worker/src/quality/junk-spike'
import { groupKey, sqlQualityStore } from '../../worker/src/storage/sql-quality-store'
import type { QualityGroup } from '../../worker/src/storage/types'
import { recording } from './recording-database'
import { ROOT } from './server-process'

const NOW = Date.UTC(2026, 11, 3, 12)
const SITE = 'plan'

/** 3 000 leads over four days: a VK campaign, two pages without UTM tags, and refused phones. */
function seed(sqlite: DatabaseSync): QualityItem[] {
  sqlite.prepare("INSERT INTO sites (id, config, created_at, updated_at) VALUES (?, '{}', 0, 0)").run(SITE)
  const lead = sqlite.prepare(
    `INSERT INTO leads (id, site_id, source, payload, reply_text, created_at, status, stage, junk_reason, utm_source, utm_campaign, page)
     VALUES (?, ?, 'callback', '{}', '', ?, ?, ?, ?, ?, ?, ?)`,
  )
  const refused = sqlite.prepare("INSERT INTO rejections (site_id, code, utm_source, utm_campaign, page, created_at) VALUES (?, 'invalid_phone', ?, ?, ?, ?)")
  const campaign: QualityItem[] = []
  for (let i = 0; i < 3000; i++) {
    const at = NOW - 4 * DAY_MS + i * 115_000
    const inCampaign = i % 3 !== 0
    const utm: [string | null, string | null] = inCampaign ? ['vk', 'spring'] : [null, null]
    const page = inCampaign ? 'https://shop.example/' : `https://shop.example/${i % 2 ? 'sale' : 'about'}`
    if (i % 17 === 0) {
      refused.run(SITE, ...utm, page, at)
      if (inCampaign) campaign.push({ at, kind: 'invalid_phone' })
      continue
    }
    const kind: QualityItemKind = i % 11 === 0 ? 'spam' : i % 7 === 0 ? 'wrong_number' : i % 13 === 0 ? 'off_target' : 'ok'
    const row: SQLInputValue[] = kind === 'spam' ? ['spam', 'junk', 'spam'] : kind === 'ok' ? ['accepted', i % 5 ? 'new' : 'won', null] : ['accepted', 'junk', kind]
    lead.run(crypto.randomUUID(), SITE, at, ...row, ...utm, page)
    if (inCampaign) campaign.push({ at, kind })
  }
  return campaign.sort((a, b) => b.at - a.at)
}

describe('the campaign check windows read', () => {
  const sqlite = openSqlite(':memory:')
  applyMigrations(sqlite, join(ROOT, 'worker', 'migrations'))
  const items = seed(sqlite)
  const { db, statements } = recording(sqliteDatabase(sqlite))
  const store = sqlQualityStore(db)
  const query = { limit: 200, windowLeads: 20, dayFrom: NOW - DAY_MS, baselineFrom: NOW - 30 * DAY_MS, now: NOW, fresh: true }

  /** What each read sends: the totals as the statement that would carry them, the counts as sent. */
  const readers = {
    totals: async (group: QualityGroup) => {
      const { sql, values } = store.totalsRead(SITE, group, query).column(1)
      return { sql: `SELECT ${sql} AS snapshot`, values }
    },
    'by kind': async (group: QualityGroup) => {
      statements.length = 0
      await store.snapshot(SITE, group, query)
      // One statement: the windows, the group's state and the baseline come back in one value.
      expect(statements).toHaveLength(1)
      return statements[0]!
    },
  }

  const planOf = async (reader: keyof typeof readers, group: QualityGroup): Promise<string[]> => {
    const { sql, values } = await readers[reader](group)
    return sqlite
      .prepare(`EXPLAIN QUERY PLAN ${sql}`)
      .all(...(values as SQLInputValue[]))
      .map((row) => String(row.detail))
  }

  it.each([
    ['totals', 'a campaign', { utmSource: 'vk', utmCampaign: 'spring', page: null }],
    ['totals', 'a page without UTM tags', { utmSource: null, utmCampaign: null, page: 'https://shop.example/sale' }],
    ['by kind', 'a campaign', { utmSource: 'vk', utmCampaign: 'spring', page: null }],
    ['by kind', 'a page without UTM tags', { utmSource: null, utmCampaign: null, page: 'https://shop.example/sale' }],
  ] as const)('reads %s: walks the indexes of %s newest first, with no table scan and no sort', async (reader, _, group) => {
    const plan = await planOf(reader, group)
    expect(plan.filter((step) => step.includes('MERGE (UNION ALL)')).length).toBeGreaterThan(0)
    expect(plan.filter((step) => /^SEARCH leads USING (COVERING )?INDEX/.test(step)).length).toBeGreaterThan(0)
    expect(plan.filter((step) => /^SCAN (leads|rejections)\b/.test(step) || step.includes('TEMP B-TREE'))).toEqual([])
  })

  it('counts what countWindow counts of the same items: the last 20, and the last 24 h of the newest 200', async () => {
    const snapshot = await store.snapshot(SITE, { utmSource: 'vk', utmCampaign: 'spring', page: null }, query)
    expect(items.length).toBeGreaterThan(1500)
    const newest = items.slice(0, 200)
    // The cap matters here: the day holds more than 200 of the campaign's items.
    expect(items.filter((item) => item.at > query.dayFrom).length).toBeGreaterThan(200)
    expect(snapshot.recent).toEqual(countWindow(items.slice(0, 20)))
    expect(snapshot.day).toEqual(countWindow(newest.filter((item) => item.at > query.dayFrom)))
    expect(snapshot.day.leads).toBe(200)
  })

  it('totals the same windows as the counts by kind, with the same baseline and state', async () => {
    const group = { utmSource: 'vk', utmCampaign: 'spring', page: null }
    sqlite
      .prepare(
        "INSERT INTO quality_groups (site_id, group_key, utm_source, utm_campaign, alerting, since, last_alert_at, notified, version) VALUES (?, ?, 'vk', 'spring', 1, ?, ?, 1, 4)",
      )
      .run(SITE, groupKey(group), NOW - 3_600_000, NOW - 3_000_000)
    const full = await store.snapshot(SITE, group, query)
    expect(full.state).toEqual({ alerting: true, since: NOW - 3_600_000, lastAlertAt: NOW - 3_000_000, notified: true })
    expect(full.version).toBe(4)
    const { sql, values } = await readers.totals(group)
    const totals = store.totalsRead(SITE, group, query).read(sqlite.prepare(sql).get(...(values as SQLInputValue[]))?.snapshot)
    expect(full.recent.junk).toBeGreaterThan(0)
    expect(totals.recent).toEqual({ leads: full.recent.leads, junk: full.recent.junk })
    expect(totals.day).toEqual({ leads: full.day.leads, junk: full.day.junk })
    expect(totals).toMatchObject({ baseline: full.baseline, state: full.state, version: full.version })
    expect(full.baseline.junk).toBeGreaterThan(0)
  })
})
