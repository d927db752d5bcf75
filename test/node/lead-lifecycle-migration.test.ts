// Migration 0007 on a database that already holds leads: spam caught at ingest becomes junk/spam,
// taken leads are in work since they were taken, the rest is new. The same SQL runs on D1.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import { expect, it } from 'vitest'

const MIGRATIONS = join(import.meta.dirname, '..', '..', 'worker', 'migrations')
const BEFORE = ['0001_initial.sql', '0002_spam_dedupe_score.sql', '0004_routing.sql', '0005_site_tokens.sql', '0006_sla_checks.sql']

it('backfills the lifecycle of the leads stored before it', () => {
  const db = new DatabaseSync(':memory:')
  for (const name of BEFORE) db.exec(readFileSync(join(MIGRATIONS, name), 'utf8'))
  db.exec(`INSERT INTO sites (id, config, created_at, updated_at) VALUES ('shop', '{}', 0, 0)`)
  const insert = db.prepare(
    `INSERT INTO leads (id, site_id, source, payload, reply_text, created_at, status, taken_by, taken_at)
     VALUES (?, 'shop', 'callback', '{}', '', ?, ?, ?, ?)`,
  )
  insert.run('spam', 1000, 'spam', null, null)
  insert.run('taken', 2000, 'accepted', 'olga', 5000)
  insert.run('fresh', 3000, 'accepted', null, null)

  db.exec(readFileSync(join(MIGRATIONS, '0007_lead_lifecycle.sql'), 'utf8'))

  const rows = db.prepare('SELECT id, status, stage, junk_reason, first_action_at, stage_changed_at FROM leads ORDER BY created_at').all()
  expect(rows.map((r) => ({ ...r }))).toEqual([
    { id: 'spam', status: 'spam', stage: 'junk', junk_reason: 'spam', first_action_at: null, stage_changed_at: 1000 },
    { id: 'taken', status: 'accepted', stage: 'in_work', junk_reason: null, first_action_at: 5000, stage_changed_at: 5000 },
    { id: 'fresh', status: 'accepted', stage: 'new', junk_reason: null, first_action_at: null, stage_changed_at: null },
  ])
  expect(db.prepare('SELECT COUNT(*) AS n FROM lead_events').get()).toEqual({ n: 0 })
})
