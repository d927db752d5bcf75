// The e2e project's global setup: one `npm run build` for all browser tests, which then start their
// stacks on it (the harness passes LEADCATCHER_SKIP_BUILD=1 to start.mjs). Each start used to
// rebuild with emptyOutDir while other suites read dist/. `npm test` has just built, and says so
// with LEADCATCHER_PREBUILT=1.
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
// @ts-expect-error -- a plain ES module of the scripts, without type declarations
import { ensureDevVars } from '../../scripts/dev-vars.mjs'

const ROOT = join(import.meta.dirname, '..', '..')
const OUTPUTS = ['dist/widget/widget.js', 'dist/widget/console/index.html', 'dist/server/server.mjs']

export default function setup(): void {
  if (process.env.LEADCATCHER_PREBUILT !== '1') {
    execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' })
    // Both browser projects (e2e, e2e-timing) run this setup: the second finds the build made.
    process.env.LEADCATCHER_PREBUILT = '1'
  }
  const missing = OUTPUTS.filter((file) => !existsSync(join(ROOT, file)))
  if (missing.length > 0) throw new Error(`The build lacks ${missing.join(', ')}: run \`npm run build\``)
  // Files run side by side: .dev.vars (the admin token every stack reads) is written here, once,
  // before any start.mjs could be the first to write it while another reads it.
  ensureDevVars(join(ROOT, '.dev.vars'), { runtime: 'node', log: () => {}, warn: () => {} })
}
