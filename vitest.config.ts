// One `vitest run` covers every side: shared code in Node, the worker inside workerd (real D1 and
// Queues), the widget in jsdom, and the browser/e2e tests in Node driving Chromium.
import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-plugin'
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url))

const migrations = await readD1Migrations('worker/migrations')

// One fast-check seed for the whole run, printed so a failure can be replayed with FUZZ_SEED=<n>.
// (Projects with a Vite server of their own evaluate this file again: the first pick is kept.)
// The worker fuzzers' size: 1 000 bodies in `npm test` (seconds on Node, about half a minute in
// workerd); `npm run bench:reliability` runs 50 000, and FUZZ_RUNS=<n> any other count.
if (!process.env.FUZZ_SEED) {
  process.env.FUZZ_SEED = String(Math.floor(Math.random() * 2 ** 31))
  process.env.FUZZ_RUNS ??= '1000'
  console.log(`fuzz seed ${process.env.FUZZ_SEED} (replay: FUZZ_SEED=${process.env.FUZZ_SEED}), ${process.env.FUZZ_RUNS} fuzz runs (FUZZ_RUNS)`)
}
const FUZZ_SEED = process.env.FUZZ_SEED
const FUZZ_RUNS = process.env.FUZZ_RUNS ?? '1000'

// Files run three at a time on two cores, the browser tests among the others: an e2e file spends
// most of its time waiting on its browser and its stack, which leaves a core to the CPU-bound
// suites. Each e2e file starts its own stack on free ports with its own state folder and its own
// Chromium, on the one build made before them (build-once.ts), so they share nothing but the CPU.
// LEADCATCHER_TEST_WORKERS=<n> changes the count (1 runs every file one by one). The admin-timing
// test measures fractions of a millisecond from outside, so it runs last and alone (groupOrder).
// The Node-side projects (shared, node, worker-node) reuse one module graph per worker across files
// (isolate: false), as the workerd project always has: their files keep no module state another
// depends on, and a fresh worker per file cost about 0.6 s each, 40 s in all. The widget's files
// do rely on fresh modules (a page load's outbox, loader and picker state), so they stay isolated.
const TEST_WORKERS = Number(process.env.LEADCATCHER_TEST_WORKERS ?? 3)
const TIMING_TESTS = ['test/e2e/admin-timing.e2e.test.ts']
const e2eProject = {
  environment: 'node',
  globalSetup: ['test/e2e/build-once.ts'],
  testTimeout: 120_000,
  hookTimeout: 180_000,
} as const

export default defineConfig({
  test: {
    maxWorkers: TEST_WORKERS,
    projects: [
      {
        test: {
          name: 'shared',
          environment: 'node',
          isolate: false,
          include: ['shared/**/*.test.ts', 'test/flow-cli.test.ts', 'test/bench-report.test.ts'],
          provide: { fuzzSeed: Number(FUZZ_SEED) },
        },
      },
      {
        plugins: [
          cloudflareTest({
            wrangler: { configPath: './wrangler.toml' },
            miniflare: {
              // The Cloudflare Email binding, simulated locally (it validates, then logs and keeps
              // each message; nothing leaves the machine); wrangler.toml keeps it commented out.
              email: {
                send_email: [{ name: 'SEND_EMAIL', allowed_sender_addresses: ['hello@shop.example'] }],
              },
              bindings: {
                TEST_MIGRATIONS: migrations,
                TEST_RUNTIME: 'workerd',
                ADMIN_TOKEN: 'test-admin-token-0123456789',
                ALLOW_PRIVATE_TARGETS: 'false',
                // No DNS from tests; the one test of the look-up stubs it and turns it on.
                RESOLVE_TARGET_HOSTS: 'false',
                FUZZ_RUNS,
                FUZZ_SEED,
              },
            },
          }),
        ],
        test: {
          name: 'worker',
          isolate: false,
          include: ['worker/**/*.test.ts', 'test/worker/**/*.test.ts'],
          // The self-hosted runtime's own modules run in Node (node:sqlite, node:dns), not workerd.
          exclude: ['worker/src/node/**'],
          setupFiles: ['test/worker/apply-migrations.ts'],
        },
      },
      {
        test: {
          name: 'node',
          environment: 'node',
          isolate: false,
          globalSetup: ['test/node-runtime/temp-root.ts'],
          include: ['worker/src/node/**/*.test.ts', 'test/node/**/*.test.ts'],
        },
      },
      {
        // The same worker suites on the self-hosted runtime: the Worker's bindings and entry are
        // swapped for node:sqlite and the Node app (test/node-runtime/), nothing else.
        resolve: {
          alias: [
            { find: /^cloudflare:workers$/, replacement: here('./test/node-runtime/cloudflare-workers.ts') },
            { find: /^cloudflare:test$/, replacement: here('./test/node-runtime/cloudflare-test.ts') },
            // The whole specifier must match: an alias replaces only the matched part, so a pattern
            // without `^.*` left '../../' in front of the absolute path, which resolved only in a
            // checkout exactly two folders deep (/work/main) and failed in CI's /check/work/main.
            { find: /^.*\/worker\/src\/cloudflare\/index$/, replacement: here('./test/node-runtime/worker.ts') },
            { find: /^.*\/worker\/src\/cloudflare\/deps$/, replacement: here('./test/node-runtime/deps.ts') },
          ],
        },
        test: {
          name: 'worker-node',
          environment: 'node',
          isolate: false,
          globalSetup: ['test/node-runtime/temp-root.ts'],
          include: ['test/worker/**/*.test.ts'],
          env: { FUZZ_RUNS, FUZZ_SEED },
        },
      },
      {
        test: {
          name: 'widget',
          environment: 'jsdom',
          setupFiles: ['widget/src/test-setup.ts'],
          provide: { fuzzSeed: Number(FUZZ_SEED) },
          include: ['widget/**/*.test.{ts,tsx}'],
        },
      },
      {
        test: {
          ...e2eProject,
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          exclude: TIMING_TESTS,
        },
      },
      {
        test: {
          ...e2eProject,
          name: 'e2e-timing',
          include: TIMING_TESTS,
          maxWorkers: 1,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
})
