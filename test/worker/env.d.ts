// Test-only bindings added by vitest.config.ts.
import type { D1Migration } from 'cloudflare:test'

declare global {
  namespace Cloudflare {
    interface Env {
      TEST_MIGRATIONS: D1Migration[]
      /** How many bodies the fuzz test generates (vitest.config.ts passes FUZZ_RUNS through). */
      FUZZ_RUNS?: string
    }
  }
}
export {}
