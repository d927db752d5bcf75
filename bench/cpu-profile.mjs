// Summarises a V8 .cpuprofile (node --cpu-prof): self time per function, positions in the bundled
// server mapped back to their source file through its source map, and the same time per source
// (our worker/src and shared/ files, each node_modules package, Node's internals, GC; idle left out).
// `node bench/cpu-profile.mjs <file.cpuprofile> [top] [fromUs toUs]` prints both lists (the window
// as results.json's selfHosted.profile.*.window has it).
import { readFileSync } from 'node:fs'
import { SourceMap } from 'node:module'
import { fileURLToPath } from 'node:url'

/** The script's source map and its lines (to find where code starts on a line), or null. */
function sourceMapFor(url, cache) {
  if (cache.has(url)) return cache.get(url)
  let entry = null
  try {
    const path = fileURLToPath(url)
    entry = { map: new SourceMap(JSON.parse(readFileSync(`${path}.map`, 'utf8'))), lines: readFileSync(path, 'utf8').split('\n') }
  } catch {}
  cache.set(url, entry)
  return entry
}

const shortPath = (source) => source.replace(/^.*?\/(worker\/src|shared|node_modules)\//, '$1/')

/** A 1-based line of a script (V8's positionTicks) as `file:line` of its source. */
function sourceLine(url, line, maps) {
  const mapped = url.startsWith('file:') ? sourceMapFor(url, maps) : null
  if (!mapped) return `${url.replace(/^.*\//, '')}:${line}`
  const text = mapped.lines[line - 1] ?? ''
  const entry = mapped.map.findEntry(line - 1, text.length - text.trimStart().length)
  return entry?.originalSource ? `${shortPath(entry.originalSource)}:${entry.originalLine + 1}` : `${url.replace(/^.*\//, '')}:${line}`
}

/** Where a frame's code came from: a source file (through the map) or what V8 names it. */
function origin(frame, maps) {
  const { url, lineNumber, columnNumber, functionName } = frame
  if (!url) return { file: `(${functionName || 'anonymous'})`, line: 0 }
  if (url.startsWith('node:')) return { file: url, line: lineNumber + 1 }
  const entry = (url.startsWith('file:') ? sourceMapFor(url, maps) : null)?.map.findEntry(lineNumber, columnNumber)
  if (entry?.originalSource) return { file: shortPath(entry.originalSource), line: entry.originalLine + 1 }
  return { file: url.replace(/^.*\//, ''), line: lineNumber + 1 }
}

/** The bucket a file counts in: a package, Node's internals, or the file itself. */
function bucket(file) {
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file)
  if (pkg) return pkg[1]
  if (file.startsWith('node:')) return 'node: internals'
  return file
}

/**
 * @param {string} path a .cpuprofile file
 * @param {number} [top] how many functions and sources to keep
 * @param {{ fromUs?: number, toUs?: number }} [window] only samples taken in this span, in the
 *   profile's clock (CLOCK_MONOTONIC microseconds on Linux: what `process.hrtime.bigint() / 1000n`
 *   reads in any process), so a bench can leave start-up and shutdown out
 * @returns {{ totalMs: number, idleMs: number, functions: { name: string, where: string, selfMs: number, share: number, hotLine: string, hotLineShare: number }[], sources: { source: string, selfMs: number, share: number }[] }}
 */
export function summariseCpuProfile(path, top = 20, { fromUs = -Infinity, toUs = Infinity } = {}) {
  const profile = JSON.parse(readFileSync(path, 'utf8'))
  const byId = new Map(profile.nodes.map((n) => [n.id, n]))
  const self = new Map()
  // Sample i was taken at startTime + timeDeltas[0..i] and stands for the time until the next one;
  // the last sample's time is unknown and left out.
  let at = profile.startTime
  for (let i = 0; i < profile.samples.length - 1; i++) {
    at += profile.timeDeltas[i]
    if (at < fromUs || at > toUs) continue
    self.set(profile.samples[i], (self.get(profile.samples[i]) ?? 0) + profile.timeDeltas[i + 1] / 1000)
  }
  const maps = new Map()
  const functions = new Map()
  const sources = new Map()
  let totalMs = 0
  let idleMs = 0
  for (const [id, time] of self) {
    const frame = byId.get(id).callFrame
    // Waiting for I/O is not work; it is reported beside the shares, not in them.
    if (frame.functionName === '(idle)') {
      idleMs += time
      continue
    }
    const { file, line } = origin(frame, maps)
    const name = frame.functionName || '(anonymous)'
    const key = `${name} ${file}:${line}`
    const f = functions.get(key) ?? { name, where: `${file}:${line}`, selfMs: 0, ticks: new Map() }
    f.selfMs += time
    // Lines inside the function, counted over the whole profile (V8 does not time-stamp them).
    for (const { line: at, ticks } of byId.get(id).positionTicks ?? []) {
      const where = frame.url ? sourceLine(frame.url, at, maps) : '-'
      f.ticks.set(where, (f.ticks.get(where) ?? 0) + ticks)
    }
    functions.set(key, f)
    const b = bucket(file)
    sources.set(b, (sources.get(b) ?? 0) + time)
    totalMs += time
  }
  const share = (ms) => ms / totalMs
  return {
    totalMs,
    idleMs,
    functions: [...functions.values()]
      .sort((a, b) => b.selfMs - a.selfMs)
      .slice(0, top)
      .map(({ ticks, ...f }) => {
        const all = [...ticks.values()].reduce((a, b) => a + b, 0)
        const [hotLine, hot] = [...ticks].sort((a, b) => b[1] - a[1])[0] ?? ['-', 0]
        return { ...f, share: share(f.selfMs), hotLine, hotLineShare: all ? hot / all : 0 }
      }),
    sources: [...sources]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([source, selfMs]) => ({ source, selfMs, share: share(selfMs) })),
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const [, , file, top = '25', fromUs, toUs] = process.argv
  const summary = summariseCpuProfile(file, Number(top), fromUs && toUs ? { fromUs: Number(fromUs), toUs: Number(toUs) } : {})
  const pct = (x) => `${(x * 100).toFixed(1).padStart(5)} %`
  // Samples are wall-clock: time blocked in a synchronous call (a COMMIT's fsync) counts as its caller's.
  console.log(`self time, ${summary.totalMs.toFixed(0)} ms sampled outside (idle), blocking calls included (idle ${summary.idleMs.toFixed(0)} ms left out)\n\nby function:`)
  for (const f of summary.functions)
    console.log(`${pct(f.share)}  ${f.selfMs.toFixed(0).padStart(6)} ms  ${f.name}  ${f.where}  (hottest line ${f.hotLine}, ${(f.hotLineShare * 100).toFixed(0)} % of its ticks)`)
  console.log('\nby source:')
  for (const s of summary.sources) console.log(`${pct(s.share)}  ${s.selfMs.toFixed(0).padStart(6)} ms  ${s.source}`)
}
