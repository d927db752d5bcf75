// Test-only bindings added by vitest.config.ts.
import type { D1Migration } from 'cloudflare:test'

declare global {
  namespace Cloudflare {
    interface Env {
      TEST_MIGRATIONS: D1Migration[]
      /** How many bodies the fuzz test generates (vitest.config.ts passes FUZZ_RUNS through). */
      FUZZ_RUNS?: string
      /** The run's fast-check seed (vitest.config.ts picks and prints it; FUZZ_SEED replays one). */
      FUZZ_SEED?: string
      /** The local simulator of the Cloudflare Email binding (allows hello@shop.example as sender). */
      SEND_EMAIL?: SendEmail
      /** Which runtime runs the suite: workerd here, node in the worker-node project (test/node-runtime). */
      TEST_RUNTIME: 'workerd' | 'node'
    }
  }
}
