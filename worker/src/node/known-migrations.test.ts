// KNOWN_MIGRATIONS is what /healthz and the Node migrator compare a database with: it must list
// exactly the files in worker/migrations, in order, or a new migration would go unnoticed.
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { expect, it } from 'vitest'
import { KNOWN_MIGRATIONS } from '../storage/migrations'

it('lists exactly the migration files, in order', () => {
  const files = readdirSync(join(import.meta.dirname, '..', '..', 'migrations'))
    .filter((f) => f.endsWith('.sql'))
    .sort()
  expect([...KNOWN_MIGRATIONS]).toEqual(files)
})
