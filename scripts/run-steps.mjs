// Runs commands side by side for `npm run typecheck` and `npm test`, each one's output held back
// and printed whole when it ends, so parallel steps never interleave their lines.
import { spawn } from 'node:child_process'

/**
 * Runs `command` through the shell with its output captured; resolves (never rejects) with the
 * exit code, the output and the seconds it took.
 * @example const { code, output } = await runCaptured('tsc -p tsconfig.json')
 */
export function runCaptured(command, { env = process.env } = {}) {
  const started = performance.now()
  return new Promise((resolve) => {
    const child = spawn(command, { shell: true, env, stdio: ['ignore', 'pipe', 'pipe'] })
    const chunks = []
    child.stdout.on('data', (chunk) => chunks.push(chunk))
    child.stderr.on('data', (chunk) => chunks.push(chunk))
    child.on('error', (error) => chunks.push(Buffer.from(`${error.message}\n`)))
    child.on('close', (code, signal) => {
      resolve({ command, code: code ?? (signal ? 1 : 0), output: Buffer.concat(chunks).toString('utf8'), seconds: (performance.now() - started) / 1000 })
    })
  })
}

/** Runs `command` with the terminal as its output (vitest's live report). */
export function runInherited(command, { env = process.env } = {}) {
  const started = performance.now()
  return new Promise((resolve) => {
    const child = spawn(command, { shell: true, env, stdio: 'inherit' })
    // Ctrl-C reaches the child through the terminal's process group; wait for it to finish.
    const ignore = () => {}
    process.on('SIGINT', ignore)
    child.on('close', (code, signal) => {
      process.off('SIGINT', ignore)
      resolve({ command, code: code ?? (signal ? 1 : 0), output: '', seconds: (performance.now() - started) / 1000 })
    })
  })
}

/** Runs the commands at most `limit` at a time, in order; the results in the commands' order. */
export async function runPool(commands, limit, run = runCaptured) {
  const results = new Array(commands.length)
  let next = 0
  const lane = async () => {
    while (next < commands.length) {
      const index = next++
      results[index] = await run(commands[index])
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, commands.length) }, lane))
  return results
}

export const seconds = (s) => `${s.toFixed(1)} s`
