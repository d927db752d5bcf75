// Applies worker/migrations/*.sql at start, each in a transaction, tracked in the same
// `d1_migrations` table wrangler keeps, and refuses a database that a newer version migrated.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { DatabaseSync } from 'node:sqlite'
import { KNOWN_MIGRATIONS, migrationState } from '../storage/migrations'
import { StartupError } from './startup-error'

const TABLE = `CREATE TABLE IF NOT EXISTS d1_migrations (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT UNIQUE,
  applied_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL
)`

export interface MigrationReport {
  applied: string[]
  alreadyApplied: number
}

export function applyMigrations(db: DatabaseSync, dir: string): MigrationReport {
  const files = readdirSync(dir)
    .filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f))
    .sort()
  const expected = [...KNOWN_MIGRATIONS]
  if (files.join() !== expected.join()) {
    throw new StartupError(
      'migration_failed',
      `The migrations in ${dir} (${files.join(', ') || 'none'}) are not the ones this build expects (${expected.join(', ')}). Reinstall this version.`,
    )
  }
  db.exec(TABLE)
  const done = db
    .prepare('SELECT name FROM d1_migrations ORDER BY id')
    .all()
    .map((row) => String(row.name))
  const state = migrationState(done)
  if (state.unknown.length > 0) {
    throw new StartupError(
      'database_newer',
      `The database was migrated by a newer version of Leadcatcher (it has ${state.unknown.join(', ')}, which this version does not know). Run the newer version, or restore a backup made before the upgrade.`,
    )
  }
  const record = db.prepare('INSERT INTO d1_migrations (name) VALUES (?)')
  for (const name of state.missing) {
    db.exec('BEGIN IMMEDIATE')
    try {
      db.exec(readFileSync(join(dir, name), 'utf8'))
      record.run(name)
      db.exec('COMMIT')
    } catch (error) {
      db.exec('ROLLBACK')
      throw new StartupError('migration_failed', `Migration ${name} failed and was rolled back: ${error instanceof Error ? error.message : String(error)}`)
    }
  }
  return { applied: state.missing, alreadyApplied: done.length }
}
