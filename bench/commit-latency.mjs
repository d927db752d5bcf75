// How long one durable SQLite commit takes on a folder's disk, with the server's settings (WAL,
// synchronous = FULL: one fsync of the WAL per commit). node:sqlite is synchronous, so the server's
// event loop waits this long for every write transaction; the ingest figures are read against it.
// Runs in a child process (node:sqlite warns it is experimental, and the probe blocks while it runs).
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** @returns {{ commits: number, medianMs: number, meanMs: number }} */
export function commitLatency(root, { commits = 200 } = {}) {
  const out = execFileSync(process.execPath, ['--disable-warning=ExperimentalWarning', fileURLToPath(import.meta.url), root, String(commits)], {
    encoding: 'utf8',
    timeout: 60_000,
  })
  return JSON.parse(out)
}

async function probe(root, commits) {
  const { DatabaseSync } = await import('node:sqlite')
  const dir = mkdtempSync(join(root, 'lc-bench-commit-'))
  try {
    const db = new DatabaseSync(join(dir, 'probe.db'))
    db.exec('PRAGMA journal_mode = WAL')
    db.exec('PRAGMA synchronous = FULL')
    db.exec('CREATE TABLE t (id TEXT PRIMARY KEY, body TEXT NOT NULL)')
    const insert = db.prepare('INSERT INTO t (id, body) VALUES (?, ?)')
    const times = []
    for (let i = 0; i < commits; i++) {
      const t0 = performance.now()
      db.exec('BEGIN IMMEDIATE')
      insert.run(crypto.randomUUID(), 'x'.repeat(600))
      db.exec('COMMIT')
      times.push(performance.now() - t0)
    }
    db.close()
    const sorted = [...times].sort((a, b) => a - b)
    return { commits, medianMs: sorted[Math.floor(sorted.length / 2)], meanMs: times.reduce((a, b) => a + b, 0) / times.length }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  console.log(JSON.stringify(await probe(process.argv[2], Number(process.argv[3]))))
}
