// npm test (npm run check): typecheck and lint side by side with the build and vitest, since
// neither depends on the other. Their output is held back and printed whole when they end (a
// failure at once; vitest goes on so its stacks shut down cleanly); vitest reports live. The exit
// code is the first failure's; a summary of every step closes the run. Arguments go to vitest.
import { runCaptured, runInherited, seconds } from './run-steps.mjs'

const vitestArgs = process.argv.slice(2).map((a) => `'${a.replaceAll("'", "'\\''")}'`)
const started = performance.now()
const results = []

function report(name, result) {
  results.push({ name, ...result })
  if (result.code !== 0) process.stdout.write(`\n✗ ${name} failed (exit ${result.code}, ${seconds(result.seconds)}); npm test will fail\n${result.output}\n`)
  return result
}

const sideSteps = Promise.all([runCaptured('npm run --silent typecheck').then((r) => report('typecheck', r)), runCaptured('npm run --silent lint').then((r) => report('lint', r))])
const build = report('build', await runCaptured('npm run --silent build'))
if (build.code === 0) {
  process.stdout.write(build.output)
  report('vitest', await runInherited(['vitest run', ...vitestArgs].join(' '), { env: { ...process.env, LEADCATCHER_PREBUILT: '1' } }))
}
await sideSteps

const order = ['typecheck', 'lint', 'build', 'vitest']
results.sort((a, b) => order.indexOf(a.name) - order.indexOf(b.name))
console.log(`\nnpm test in ${seconds((performance.now() - started) / 1000)}:`)
for (const r of results) console.log(`  ${r.code === 0 ? '✓' : '✗'} ${r.name} (${seconds(r.seconds)})`)
if (build.code !== 0) console.log('  - vitest not run: the build failed')
const failure = results.find((r) => r.code !== 0)
process.exit(failure ? failure.code || 1 : 0)
