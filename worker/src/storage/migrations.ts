// The schema versions this code knows, in order. The Node server applies them from
// worker/migrations at start; /healthz on both runtimes compares them with what the database
// has. worker/src/node/known-migrations.test.ts keeps this list equal to the folder.
export const KNOWN_MIGRATIONS = [
  '0001_initial.sql',
  '0002_spam_dedupe_score.sql',
  '0004_routing.sql',
  '0005_site_tokens.sql',
  '0006_sla_checks.sql',
  '0007_lead_lifecycle.sql',
  '0008_console_sessions.sql',
  '0011_closed_loop.sql',
  '0012_quality_alerts.sql',
  '0013_auto_dial.sql',
  '0014_test_leads.sql',
  '0015_config_versions.sql',
  '0016_tag_seen.sql',
  '0017_erase_by_index.sql',
] as const

export interface MigrationState {
  /** Known to this code, not applied yet. */
  missing: string[]
  /** Applied by a newer version of Leadcatcher: this code may not understand the schema. */
  unknown: string[]
}

export function migrationState(applied: string[]): MigrationState {
  const known = new Set<string>(KNOWN_MIGRATIONS)
  const done = new Set(applied)
  return {
    missing: KNOWN_MIGRATIONS.filter((name) => !done.has(name)),
    unknown: applied.filter((name) => !known.has(name)),
  }
}
