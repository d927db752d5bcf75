// Setup files may run more than once; applyD1Migrations skips what is already applied.
import { applyD1Migrations } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { afterAll } from 'vitest'

await applyD1Migrations(env.DB, env.TEST_MIGRATIONS)

// The worker project's files share their runtime and database (isolate: false), one file at a
// time. A delivery a file leaves pending would be retried by the real queue consumer while a later
// file runs, into that file's fetch spy: what a file leaves unfinished ends with it.
afterAll(async () => {
  await env.DB.prepare("UPDATE deliveries SET status = 'failed', last_error = 'the test file ended', lease_until = NULL WHERE status = 'pending'").run()
})
