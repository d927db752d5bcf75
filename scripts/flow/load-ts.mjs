// Lets Node run shared/ TypeScript as it is: Node strips the types itself, and a resolve hook adds
// the `.ts` that shared/ imports leave out (they are written for bundlers). No build step.
import { spawnSync } from 'node:child_process'
import module from 'node:module'

// Type stripping is on by default from Node 22.18; 22.12–22.17 (the `engines` floor) need the
// flag, so the CLI runs itself again with it.
if (!process.features.typescript) {
  if (process.env.LEADCATCHER_FLOW_RESPAWNED) {
    console.error('This Node cannot run TypeScript; use Node 22.12 or newer.')
    process.exit(2)
  }
  const flags = process.execArgv.filter((flag) => !flag.includes('strip-types'))
  const result = spawnSync(process.execPath, [...flags, '--experimental-strip-types', ...process.argv.slice(1)], {
    stdio: 'inherit',
    env: { ...process.env, LEADCATCHER_FLOW_RESPAWNED: '1' },
  })
  process.exit(result.status ?? 1)
}

if (typeof module.registerHooks === 'function') {
  const { resolveTs } = await import('./ts-resolve.mjs')
  module.registerHooks({ resolve: resolveTs })
} else {
  // Before 22.15 only the asynchronous hooks exist; they run on a separate thread.
  module.register('./ts-resolve.mjs', import.meta.url)
}

// Node announces type stripping on every run; the site owner running the CLI has no use for it.
const defaultWarningListeners = process.listeners('warning')
process.removeAllListeners('warning')
process.on('warning', (warning) => {
  if (warning.name === 'ExperimentalWarning' && /Type Stripping/i.test(warning.message)) return
  for (const listener of defaultWarningListeners) listener.call(process, warning)
})
