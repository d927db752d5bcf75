// One server process per database file. Two schedulers on one file would each think they own the
// leases' timing, and two processes' start-up migrations could race. The lock is an exclusive
// transaction held open on a small side file (`<db>.lock`): the OS releases it when the process
// dies, even by kill -9, so a restart never waits for a stale lock. The database itself stays in
// plain WAL mode, so backups and Litestream can still read it.
import { DatabaseSync } from 'node:sqlite'
import { StartupError } from './startup-error'

export interface ProcessLock {
  release(): void
}

export function lockDatabaseFile(databasePath: string): ProcessLock {
  const path = `${databasePath}.lock`
  let lock: DatabaseSync
  try {
    lock = new DatabaseSync(path)
  } catch (error) {
    throw new StartupError(
      'data_dir',
      `The lock file ${path} cannot be created (${error instanceof Error ? error.message : String(error)}). Check that the server's user owns the data folder.`,
    )
  }
  try {
    lock.exec('PRAGMA busy_timeout = 0')
    lock.exec('PRAGMA locking_mode = EXCLUSIVE')
    lock.exec('CREATE TABLE IF NOT EXISTS holder (pid INTEGER, started_at TEXT)')
    lock.exec('BEGIN EXCLUSIVE')
    lock.prepare('DELETE FROM holder').run()
    lock.prepare('INSERT INTO holder VALUES (?, ?)').run(process.pid, new Date().toISOString())
  } catch (error) {
    lock.close()
    const busy = error instanceof Error && /locked|busy/i.test(error.message)
    if (busy) {
      throw new StartupError(
        'database_locked',
        `Another Leadcatcher server is already using ${databasePath}. Run one server per database file (stop the other one, or give this one its own DATA_DIR).`,
      )
    }
    throw new StartupError(
      'data_dir',
      `The lock file ${path} cannot be written (${error instanceof Error ? error.message : String(error)}). Check that the server's user owns the data folder and its files.`,
    )
  }
  return {
    release() {
      try {
        lock.exec('ROLLBACK')
      } finally {
        lock.close()
      }
    },
  }
}
