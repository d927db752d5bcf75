// A CPU profile of the Worker under `wrangler dev`, taken through wrangler's own inspector (the
// `--inspector-port` start.mjs passes on from LEADCATCHER_WORKER_INSPECTOR_PORT): its /json lists
// the user worker, and the DevTools Profiler domain answers over its WebSocket. Only the user
// worker's isolate is sampled; miniflare's D1 object runs in another one, so a D1 call shows up as
// the binding's own JavaScript and the time its native fetch takes to send and read.
import { copyFileSync, existsSync, readdirSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'

/** The DevTools WebSocket of the user worker behind wrangler's inspector on `port`. */
async function workerTarget(port) {
  const deadline = Date.now() + 15_000
  for (;;) {
    try {
      const targets = await (await fetch(`http://127.0.0.1:${port}/json`)).json()
      const target = targets.find((t) => t.webSocketDebuggerUrl)
      if (target) return target.webSocketDebuggerUrl
    } catch {}
    if (Date.now() > deadline) throw new Error(`no worker on the inspector at 127.0.0.1:${port}`)
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
}

/** A DevTools session: `send(method, params)` resolves with the method's result. */
async function devtools(url) {
  // Wrangler's inspector proxy answers 400 "Expected `Origin` header" without one (Node's
  // WebSocket takes headers as an extension of the standard constructor).
  const socket = new WebSocket(url, { headers: { Origin: new URL(url).origin.replace(/^ws/, 'http') } })
  await new Promise((resolve, reject) => {
    socket.addEventListener('open', resolve, { once: true })
    socket.addEventListener('error', () => reject(new Error(`inspector WebSocket ${url} did not open`)), { once: true })
  })
  let next = 0
  const pending = new Map()
  // A dropped connection fails what waits on it instead of hanging the bench.
  socket.addEventListener('close', () => {
    for (const waiter of pending.values()) waiter.reject(new Error(`${waiter.method}: the inspector closed the connection`))
    pending.clear()
  })
  socket.addEventListener('message', (event) => {
    const message = JSON.parse(String(event.data))
    const waiter = pending.get(message.id)
    if (!waiter) return
    pending.delete(message.id)
    if (message.error) waiter.reject(new Error(`${waiter.method}: ${message.error.message}`))
    else waiter.resolve(message.result)
  })
  return {
    send: (method, params = {}) =>
      new Promise((resolve, reject) => {
        const id = ++next
        const timer = setTimeout(() => {
          pending.delete(id)
          reject(new Error(`${method}: no answer from the inspector in 60 s`))
        }, 60_000)
        const done = (settle) => (value) => {
          clearTimeout(timer)
          settle(value)
        }
        pending.set(id, { resolve: done(resolve), reject: done(reject), method })
        socket.send(JSON.stringify({ id, method, params }))
      }),
    close: () => socket.close(),
  }
}

/**
 * The bundle wrangler serves (`.wrangler/tmp/dev-*\/index.js`, newest), whose source map takes the
 * profile's positions back to worker/src; the profile names it only `index.js`.
 */
function devBundle(root) {
  const tmp = join(root, '.wrangler', 'tmp')
  if (!existsSync(tmp)) return null
  const bundles = readdirSync(tmp)
    .filter((d) => d.startsWith('dev-'))
    .map((d) => join(tmp, d, 'index.js'))
    .filter((file) => {
      try {
        return statSync(file).isFile()
      } catch {
        return false
      }
    })
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)
  return bundles[0] ?? null
}

/**
 * Samples the worker while `during()` runs and writes the profile to `file`, its bundle positions
 * pointed at a copy of the dev bundle and its map beside it (`*.bundle.js`), so that
 * bench/cpu-profile.mjs maps them to their sources.
 * @param {{ inspectorPort: number, root: string, file: string, during: () => Promise<unknown> }} options
 */
export async function profileWorker({ inspectorPort, root, file, during }) {
  const session = await devtools(await workerTarget(inspectorPort))
  try {
    await session.send('Profiler.enable')
    await session.send('Profiler.setSamplingInterval', { interval: 200 })
    await session.send('Profiler.start')
    await during()
    const { profile } = await session.send('Profiler.stop')
    // Written first as it came, so a failure to find or copy the bundle still leaves the profile.
    writeFileSync(file, JSON.stringify(profile))
    // wrangler deletes its dev bundle on exit: a copy beside the profile keeps it readable later.
    // The newest dev-* bundle is ours unless another wrangler dev runs in this checkout.
    const bundle = devBundle(root)
    if (bundle && existsSync(`${bundle}.map`)) {
      const copy = file.replace(/\.cpuprofile$/, '.bundle.js')
      copyFileSync(bundle, copy)
      copyFileSync(`${bundle}.map`, `${copy}.map`)
      const url = pathToFileURL(copy).href
      for (const node of profile.nodes) if (node.callFrame.url === 'index.js') node.callFrame.url = url
    }
    writeFileSync(file, JSON.stringify(profile))
    return { file }
  } finally {
    session.close()
  }
}
