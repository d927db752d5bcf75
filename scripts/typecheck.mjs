// npm run typecheck: wrangler's check that worker/worker-configuration.d.ts matches wrangler.toml,
// then each TypeScript project. The projects have their own libs and types (workerd, Node, DOM),
// so each is its own tsc; they run as many at a time as there are cores (about 10 s instead of 20
// on two), and a failure's output is printed whole, with every check's status.
import { availableParallelism } from 'node:os'
import { runPool, seconds } from './run-steps.mjs'

const CHECKS = [
  'wrangler types --strict-vars=false --env-file /dev/null --check worker/worker-configuration.d.ts',
  'tsc -p tsconfig.json',
  'tsc -p worker/tsconfig.json',
  'tsc -p worker/src/node/tsconfig.json',
  'tsc -p widget/tsconfig.json',
  'tsc -p widget/console/tsconfig.json',
  'tsc -p test/tsconfig.json',
]

const started = performance.now()
const results = await runPool(CHECKS, Math.max(1, availableParallelism()))
const failed = results.filter((r) => r.code !== 0)
for (const r of failed) process.stdout.write(`\n✗ ${r.command} (exit ${r.code}, ${seconds(r.seconds)})\n${r.output}`)
for (const r of results) console.log(`${r.code === 0 ? '✓' : '✗'} ${r.command} (${seconds(r.seconds)})`)
console.log(`typecheck: ${results.length - failed.length} of ${results.length} passed in ${seconds((performance.now() - started) / 1000)}`)
process.exit(failed.length === 0 ? 0 : 1)
