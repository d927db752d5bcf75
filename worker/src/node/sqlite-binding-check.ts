// The Node server's SQL numbers its parameters (?1, ?2 …) and binds them by position. node:sqlite
// did that only from Node 22.20 and 24.7 (nodejs/node#59350): before, every such statement fails
// with "column index out of range". Asked of node:sqlite itself at start, so an older Node stops
// with what to do instead of answering every lead with a 500.
import { DatabaseSync } from 'node:sqlite'
import { StartupError } from './startup-error'

export function assertNumberedParameters(db: Pick<DatabaseSync, 'prepare'>, version = process.versions.node): void {
  let row: unknown
  try {
    row = db.prepare('SELECT ?2 AS second, ?1 AS first').get('a', 'b')
  } catch {
    row = null
  }
  const bound = typeof row === 'object' && row !== null && 'first' in row && 'second' in row && row.first === 'a' && row.second === 'b'
  if (!bound) {
    throw new StartupError(
      'node_too_old',
      `Node ${version} binds numbered SQL parameters (?1, ?2) wrongly in node:sqlite, and the server's every statement uses them. Install Node 22.20 or newer (22.x), or 24.7 or newer.`,
    )
  }
}

/** The same check on a database of its own, opened and closed here (the server's first step). */
export function checkNodeSqlite(): void {
  const probe = new DatabaseSync(':memory:')
  try {
    assertNumberedParameters(probe)
  } finally {
    probe.close()
  }
}
