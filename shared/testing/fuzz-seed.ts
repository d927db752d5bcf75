// The run's fast-check seed for suites that run in Node or jsdom: vitest.config.ts picks one per
// run, prints it and provides it (FUZZ_SEED=<n> replays a run). Through inject, not process.env,
// because shared/ is type-checked without Node's types.
import { inject } from 'vitest'

declare module 'vitest' {
  interface ProvidedContext {
    fuzzSeed: number
  }
}

export function fuzzSeed(): number {
  return inject('fuzzSeed')
}
