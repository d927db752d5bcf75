// Temporary directories of one test file, removed when the file's tests end: each run used to
// leave its SQLite files in the system's temp directory, up to 23 MB a file.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll } from 'vitest'

const made: string[] = []

// Registered while the file that imports this is collected, once per module instance: that is per
// test file in the projects that use it, which isolate their files (with isolate: false only the
// first file would register it). A database in a directory may still be open for a test's late
// background work; on Linux the removal only unlinks its names.
afterAll(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true })
})

/** A new directory under the temp directory, named `prefix` and six random characters. */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  made.push(dir)
  return dir
}
