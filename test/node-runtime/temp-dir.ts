// Temporary directories of the Node-side tests, inside the run's own folder (temp-root.ts, removed
// when the run ends): each run used to leave its SQLite files in the system's temp directory, up
// to 23 MB a file.
import { mkdtempSync } from 'node:fs'
import { join } from 'node:path'
import { inject } from 'vitest'

declare module 'vitest' {
  interface ProvidedContext {
    /** The run's temporary folder, made and removed by temp-root.ts. */
    tempRoot: string
  }
}

/** A new directory in the run's temporary folder, named `prefix` and six random characters. */
export function tempDir(prefix: string): string {
  return mkdtempSync(join(inject('tempRoot'), prefix))
}
