// `npm run bench`: widget weight next to published peers, host-page cost in Chromium, ingest
// throughput next to a bare worker, a 1 000-lead burst and speed to lead — measured side by side in
// one run on loopback — then the same for the self-hosted Node server (bench/node.mjs), printed as
// one table and written to artifacts/bench/results.json (its table also to docs/performance.md,
// scripts/bench-report.mjs). BENCH_ONLY=node (`npm run bench:node`)
// runs the Node part alone and updates only its key in results.json; BENCH_ONLY=console
// (`npm run bench:console`) likewise for the console's weight and first list (bench/console.mjs).
import { execFileSync, spawn } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, sep } from 'node:path'
import { brotliCompressSync, gzipSync, constants } from 'node:zlib'
import { OPEN_SITE, lead, putSite } from '../bench/fixtures.mjs'
import { hostPageCost, hostPageRows } from '../bench/host-page.mjs'
import { load, percentiles } from '../bench/load.mjs'
import { consoleBench } from '../bench/console.mjs'
import { nodeBench } from '../bench/node.mjs'
import { readProcCpuMs } from '../bench/node-server.mjs'
import { REFERENCE_COUNTRIES, phoneMetadataBody } from './phone-metadata-weight.mjs'
import { newSecret, startReceiver } from '../bench/receiver.mjs'
import { ROOT, delay, freePort, startStack } from '../test/e2e/harness.ts'
import { profileWorker } from '../bench/worker-profile.mjs'
import { summariseCpuProfile } from '../bench/cpu-profile.mjs'
import { DOC, latestBlock, measuredCommit, mergeTables, tableFromMarkdown, writeLatestRun } from './bench-report.mjs'

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10)
const BURST = Number(process.env.BENCH_BURST ?? 1000)
const SPEED_LEADS = Number(process.env.BENCH_SPEED_LEADS ?? 200)
const PAGE_RUNS = Number(process.env.BENCH_PAGE_RUNS ?? 7)
const MEMORY_LEADS = Number(process.env.BENCH_MEMORY_LEADS ?? 10_000)
/** `node`: only the self-hosted runtime's part. */
const ONLY = process.env.BENCH_ONLY ?? ''
// Ours without wrangler's `/__scheduled` middleware (start.mjs), which the bare workers lack too
// and no deployed worker has: about 0.04 ms of the user isolate's CPU per lead.
const WORKER_AS_DEPLOYED = { LEADCATCHER_WORKER_TEST_SCHEDULED: '0' }
const WORKER_PROFILE = ['1', 'true'].includes(process.env.BENCH_WORKER_PROFILE ?? '')
/** Set: one more ingest run on a server under --cpu-prof, summarised (the measured runs are not profiled). */
const PROFILE = ['1', 'true'].includes(process.env.BENCH_NODE_PROFILE ?? '')
/** Set: the memory run's server gets --max-old-space-size=<this> (as a deployment may cap it). */
const MAX_OLD_SPACE_MB = process.env.BENCH_NODE_MAX_OLD_SPACE_MB ? Number(process.env.BENCH_NODE_MAX_OLD_SPACE_MB) : undefined
/** The memory run's SCHEDULER_INTERVAL_MS: its backlog drains 8 deliveries per tick. */
const MEMORY_TICK_MS = Number(process.env.BENCH_NODE_MEMORY_TICK_MS ?? 100)
const rows = []
const results = { date: new Date().toISOString(), node: process.version }
/** What this run measures, read as it starts (the run itself writes docs/performance.md). */
const MEASURED = measuredCommit()

function sizes(buffer) {
  return {
    raw: buffer.length,
    gzip: gzipSync(buffer, { level: 9 }).length,
    brotli: brotliCompressSync(buffer, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  }
}
const kb = (n) => `${(n / 1024).toFixed(1)} KB`
const ms = (n) => `${n.toFixed(1)} ms`

// ── Widget weight ────────────────────────────────────────────────────────────
function widgetWeight() {
  const dir = join(ROOT, 'dist', 'widget')
  // The console (dist/widget/console/) is served beside the widget but no visitor ever loads it.
  const files = readdirSync(dir, { recursive: true })
    .map(String)
    .filter((f) => f.endsWith('.js') && !f.split(sep).includes('console'))
  const first = sizes(readFileSync(join(dir, 'widget.js')))
  // With the phone metadata the worker serves for a site's countries (a reference site's here),
  // which is in no file: everything a visitor can load, held to 45 KB gzip by `npm run size`.
  const phoneMetadata = sizes(phoneMetadataBody())
  const full = [...files.map((f) => sizes(readFileSync(join(dir, f)))), phoneMetadata].reduce((a, b) => ({
    raw: a.raw + b.raw,
    gzip: a.gzip + b.gzip,
    brotli: a.brotli + b.brotli,
  }))
  results.widget = { firstLoad: first, full, files, phoneMetadata: { countries: REFERENCE_COUNTRIES, ...phoneMetadata } }
  rows.push(['weight', 'Leadcatcher first load (widget.js)', `${kb(first.raw)} / ${kb(first.gzip)} gz / ${kb(first.brotli)} br`, 'what the tag downloads'])
  rows.push([
    'weight',
    `Leadcatcher full (${files.length} files + phone metadata for ${REFERENCE_COUNTRIES.length} countries)`,
    `${kb(full.raw)} / ${kb(full.gzip)} gz / ${kb(full.brotli)} br`,
    'everything, loaded on use (budget 45 KB gz)',
  ])

  // Published peers, fetched from the npm registry in this run (npm pack runs no install scripts).
  const peers = [
    { name: '@typebot.io/js', file: 'dist/web.js', note: 'complete bundle (web component)' },
    { name: '@botpress/webchat', file: 'dist/index.js', note: 'ESM entry only; its 36 dependencies (React…) not counted' },
    { name: 'crisp-sdk-web', file: 'dist/crisp.esm.js', note: 'loader only; the chat loads from Crisp servers' },
    { name: '@formbricks/js', file: 'dist/index.js', note: 'loader only; the app loads from Formbricks servers' },
  ]
  const dir2 = mkdtempSync(join(tmpdir(), 'lc-peers-'))
  results.peers = []
  for (const peer of peers) {
    try {
      const tgz = execFileSync('npm', ['pack', peer.name, '--silent', '--pack-destination', dir2], { encoding: 'utf8' }).trim().split('\n').pop()
      const out = join(dir2, tgz.replace(/\.tgz$/, ''))
      mkdirSync(out, { recursive: true })
      execFileSync('tar', ['xzf', join(dir2, tgz), '-C', out])
      const version = JSON.parse(readFileSync(join(out, 'package', 'package.json'), 'utf8')).version
      const s = sizes(readFileSync(join(out, 'package', peer.file)))
      results.peers.push({ ...peer, version, ...s })
      rows.push(['weight', `${peer.name}@${version} ${peer.file}`, `${kb(s.raw)} / ${kb(s.gzip)} gz / ${kb(s.brotli)} br`, peer.note])
    } catch (error) {
      rows.push(['weight', peer.name, 'n/a', `could not fetch: ${String(error).slice(0, 60)}`])
    }
  }
}

function devVars() {
  return Object.fromEntries(
    readFileSync(join(ROOT, '.dev.vars'), 'utf8')
      .split('\n')
      .filter((l) => l.includes('='))
      .map((l) => [
        l.slice(0, l.indexOf('=')).trim(),
        l
          .slice(l.indexOf('=') + 1)
          .trim()
          .replace(/^"|"$/g, ''),
      ]),
  )
}

/**
 * A baseline worker under `wrangler dev`: the bare one (no work), with `withAssets` the same behind
 * our static assets, or with `withD1` the floor that stores each body with one D1 insert (its local
 * database in a temporary folder).
 */
async function startBareWorker({ withD1 = false, withAssets = false } = {}) {
  const port = await freePort()
  const config = withD1 ? 'bench/wrangler.bare-d1.toml' : withAssets ? 'bench/wrangler.bare-assets.toml' : 'bench/wrangler.bare.toml'
  const persist = withD1 ? ['--persist-to', mkdtempSync(join(tmpdir(), 'leadcatcher-bench-d1-'))] : []
  const child = spawn('npx', ['wrangler', 'dev', '--config', config, '--port', String(port), '--ip', '127.0.0.1', ...persist], {
    cwd: ROOT,
    // The mark lets the bench find its processes for their CPU time (groupCpuMs).
    env: { ...process.env, WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false', BENCH_BARE_PORT: String(port) },
    stdio: 'ignore',
    detached: true,
  })
  const url = `http://127.0.0.1:${port}`
  for (let i = 0; i < 120; i++) {
    try {
      if ((await fetch(`${url}/v1/leads`, { method: 'POST', body: '{}' })).status === 201) break
    } catch {}
    await delay(500)
  }
  return {
    url,
    mark: `BENCH_BARE_PORT=${port}`,
    stop: () => {
      process.kill(-child.pid, 'SIGTERM')
      if (persist.length > 0) rmSync(persist[1], { recursive: true, force: true })
    },
  }
}

async function main() {
  if (ONLY === 'node') return nodeOnly()
  if (ONLY === 'console') return consoleOnly()
  if (ONLY === 'ingest') return ingestOnly()
  if (ONLY) throw new Error(`BENCH_ONLY=${ONLY}: only "node", "console" and "ingest" are known`)
  widgetWeight()
  // The Worker's rows run on wrangler dev (start.mjs's default runtime is the Node server).
  const stack = await startStack({ runtime: 'cloudflare', env: WORKER_AS_DEPLOYED })
  const token = devVars().ADMIN_TOKEN
  try {
    results.hostPage = await hostPageCost(stack, { runs: PAGE_RUNS })
    rows.push(...hostPageRows(results.hostPage))

    // ── Ingest: our worker next to a bare one, same runtime, same load ────────
    await putSite(stack.worker, token, 'bench-ingest', OPEN_SITE)
    const ingestLoad = (server) => load({ url: `${server}/v1/leads`, body: (i) => lead('bench-ingest', i), concurrency: 16, durationMs: SECONDS * 1000 })
    /** One baseline worker started, loaded like ours, and stopped. */
    const baselineLoad = async (options) => {
      const worker = await startBareWorker(options)
      try {
        return await ingestLoad(worker.url)
      } finally {
        worker.stop()
      }
    }
    const ours = await ingestLoad(stack.worker)
    const baseline = await baselineLoad()
    const sameShape = await baselineLoad({ withAssets: true })
    results.ingest = {
      ours,
      bare: baseline,
      bareBehindAssets: sameShape,
      share: ours.perSecond / baseline.perSecond,
      shareOfBareBehindAssets: ours.perSecond / sameShape.perSecond,
    }
    rows.push([
      'ingest',
      `POST /v1/leads, ours (${SECONDS} s, 16 lanes)`,
      `${ours.perSecond.toFixed(0)}/s`,
      `p50 ${ms(ours.p50)}, p99 ${ms(ours.p99)}, ${JSON.stringify(ours.statuses)}`,
    ])
    rows.push(['ingest', 'bare Hono worker, same load', `${baseline.perSecond.toFixed(0)}/s`, `p50 ${ms(baseline.p50)}, p99 ${ms(baseline.p99)}`])
    rows.push(['ingest', 'our share of the bare limit', `${(results.ingest.share * 100).toFixed(0)} %`, 'validation, D1 batch, scoring, dedupe, rate limits'])
    rows.push([
      'ingest',
      'bare behind our static assets, same load',
      `${sameShape.perSecond.toFixed(0)}/s`,
      `ours ${(results.ingest.shareOfBareBehindAssets * 100).toFixed(0)} % of it (each request passes the assets router first, as ours do)`,
    ])

    // ── Burst: 1 000 leads over 5 sites, each delivered to a verifying receiver ──
    const secret = newSecret()
    const receiver = await startReceiver(secret)
    const sites = Array.from({ length: 5 }, (_, i) => `bench-burst-${i}`)
    for (const site of sites) {
      await putSite(stack.worker, token, site, { ...OPEN_SITE, targets: [{ type: 'webhook', id: 'receiver', url: receiver.url, secret }] })
    }
    const burst = await load({ url: `${stack.worker}/v1/leads`, body: (i) => lead(sites[i % 5], i), concurrency: 32, requests: BURST })
    const deadline = Date.now() + 120_000
    while (receiver.received.size < (burst.statuses[201] ?? 0) && Date.now() < deadline) await delay(500)
    const doubled = [...receiver.received.values()].filter((n) => n > 1).length
    results.burst = { ...burst, delivered: receiver.received.size, doubleForwarded: doubled, forged: receiver.forged() }
    rows.push([
      'burst',
      `${BURST} leads, 5 sites, 32 lanes`,
      `${burst.perSecond.toFixed(0)}/s accepted`,
      `p99 ${ms(burst.p99)}, 5xx ${Object.entries(burst.statuses)
        .filter(([s]) => s >= 500)
        .reduce((a, [, n]) => a + n, 0)}, errors ${burst.errors}`,
    ])
    rows.push([
      'burst',
      'delivered / lost / double-forwarded',
      `${receiver.received.size} / ${(burst.statuses[201] ?? 0) - receiver.received.size} / ${doubled}`,
      'receiver dedupes on webhook-id and counts',
    ])

    // ── Speed to lead: submit → signed webhook at the receiver ──────────────────
    await putSite(stack.worker, token, 'bench-speed', { ...OPEN_SITE, targets: [{ type: 'webhook', id: 'receiver', url: receiver.url, secret }] })
    const sentAt = new Map()
    for (let i = 0; i < SPEED_LEADS; i++) {
      const body = lead('bench-speed', i)
      sentAt.set(JSON.parse(body).id, performance.now())
      await fetch(`${stack.worker}/v1/leads`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body })
    }
    const until = Date.now() + 60_000
    while ([...sentAt.keys()].some((id) => !receiver.arrivals.has(id)) && Date.now() < until) await delay(200)
    const speeds = [...sentAt].filter(([id]) => receiver.arrivals.has(id)).map(([id, t]) => receiver.arrivals.get(id) - t)
    results.speedToLead = { leads: SPEED_LEADS, arrived: speeds.length, ...percentiles(speeds) }
    rows.push(['speed to lead', `submit → webhook received (${speeds.length}/${SPEED_LEADS})`, `p50 ${ms(results.speedToLead.p50)}`, `p99 ${ms(results.speedToLead.p99)}`])
    receiver.close()
  } finally {
    await stack.stop()
  }

  // ── The self-hosted runtime, once wrangler is gone (the two never share the CPU) ──
  await runNodePart()
  await runConsolePart()
  printAndWrite(results)
}

async function runConsolePart() {
  const part = await consoleBench({ runs: Number(process.env.BENCH_CONSOLE_RUNS ?? 7) })
  results.console = part.results
  rows.push(...part.rows)
}

/** BENCH_ONLY=console: the console rows, and only `console` replaced in an existing results.json. */
async function consoleOnly() {
  await runConsolePart()
  const path = join(ROOT, 'artifacts', 'bench', 'results.json')
  const previous = previousResults(path)
  printAndWrite({ ...previous, console: results.console })
}

async function runNodePart() {
  const node = await nodeBench({
    seconds: SECONDS,
    memoryLeads: MEMORY_LEADS,
    speedLeads: SPEED_LEADS,
    profile: PROFILE,
    maxOldSpaceMb: MAX_OLD_SPACE_MB,
    schedulerIntervalMs: MEMORY_TICK_MS,
  })
  results.selfHosted = node.results
  rows.push(...node.rows)
}

/** BENCH_ONLY=node: the Node rows, and only `selfHosted` replaced in an existing results.json. */
async function nodeOnly() {
  await runNodePart()
  const path = join(ROOT, 'artifacts', 'bench', 'results.json')
  const previous = previousResults(path)
  printAndWrite({ ...previous, selfHosted: results.selfHosted, selfHostedDate: results.date, selfHostedNode: results.node })
}

/**
 * BENCH_ONLY=ingest: the Worker's ingest against the bare worker, alternated BENCH_ROUNDS times
 * (default 3) so that a load on the machine weighs on both sides alike; the ratio is the median of
 * the rounds'. Only `ingest` is replaced in an existing results.json.
 */
async function ingestOnly() {
  const rounds = Number(process.env.BENCH_ROUNDS ?? 3)
  const inspectorPort = WORKER_PROFILE ? await freePort() : null
  const stack = await startStack({ runtime: 'cloudflare', env: { ...WORKER_AS_DEPLOYED, ...(inspectorPort && { LEADCATCHER_WORKER_INSPECTOR_PORT: String(inspectorPort) }) } })
  const bare = await startBareWorker()
  const bareAssets = await startBareWorker({ withAssets: true })
  const floor = await startBareWorker({ withD1: true })
  const oursMark = `LEADCATCHER_WORKER_PORT=${new URL(stack.worker).port}`
  const runs = []
  let profile = null
  try {
    await putSite(stack.worker, devVars().ADMIN_TOKEN, 'bench-ingest', OPEN_SITE)
    // One short warm-up each: the first requests compile and open the database.
    await load({ url: `${stack.worker}/v1/leads`, body: (i) => lead('bench-ingest', i), concurrency: 4, requests: 50 })
    await load({ url: `${bare.url}/v1/leads`, body: (i) => lead('bench-ingest', i), concurrency: 4, requests: 50 })
    await load({ url: `${floor.url}/v1/leads`, body: (i) => lead('bench-ingest', i), concurrency: 4, requests: 50 })
    await load({ url: `${bareAssets.url}/v1/leads`, body: (i) => lead('bench-ingest', i), concurrency: 4, requests: 50 })
    const measured = async (url, mark) => {
      const before = groupCpuMs(mark)
      const result = await load({ url: `${url}/v1/leads`, body: (i) => lead('bench-ingest', i), concurrency: 16, durationMs: SECONDS * 1000 })
      const count = Object.values(result.statuses).reduce((a, b) => a + b, 0)
      return { ...result, cpuMsPerRequest: (groupCpuMs(mark) - before) / count }
    }
    for (let round = 0; round < rounds; round++) {
      const ours = await measured(stack.worker, oursMark)
      const baseline = await measured(bare.url, bare.mark)
      const oneInsert = await measured(floor.url, floor.mark)
      const sameShape = await measured(bareAssets.url, bareAssets.mark)
      runs.push({
        ours,
        bare: baseline,
        floor: oneInsert,
        bareBehindAssets: sameShape,
        share: ours.perSecond / baseline.perSecond,
        floorShare: oneInsert.perSecond / baseline.perSecond,
        shareOfBareBehindAssets: ours.perSecond / sameShape.perSecond,
      })
      rows.push([
        'ingest',
        `round ${round + 1}: ours / bare`,
        `${ours.perSecond.toFixed(0)}/s / ${baseline.perSecond.toFixed(0)}/s`,
        `${((ours.perSecond / baseline.perSecond) * 100).toFixed(0)} %, p50 ${ms(ours.p50)} / ${ms(baseline.p50)}, runtime CPU per lead ${ms(ours.cpuMsPerRequest)} / ${ms(baseline.cpuMsPerRequest)}, ${JSON.stringify(ours.statuses)}`,
      ])
      rows.push([
        'ingest',
        `round ${round + 1}: bare + one D1 insert`,
        `${oneInsert.perSecond.toFixed(0)}/s`,
        `${((oneInsert.perSecond / baseline.perSecond) * 100).toFixed(0)} % of bare, runtime CPU per lead ${ms(oneInsert.cpuMsPerRequest)}, ${JSON.stringify(oneInsert.statuses)}`,
      ])
      rows.push([
        'ingest',
        `round ${round + 1}: bare behind our static assets`,
        `${sameShape.perSecond.toFixed(0)}/s`,
        `ours ${((ours.perSecond / sameShape.perSecond) * 100).toFixed(0)} % of it, runtime CPU per lead ${ms(sameShape.cpuMsPerRequest)}, ${JSON.stringify(sameShape.statuses)}`,
      ])
    }
    // A failed profile costs its rows, not the rounds measured before it.
    if (inspectorPort)
      profile = await profileIngest(stack.worker, inspectorPort).catch((error) => {
        rows.push(['worker profile', 'not taken', '—', String(error?.message ?? error)])
        return null
      })
  } finally {
    bare.stop()
    bareAssets.stop()
    floor.stop()
    await stack.stop()
  }
  const median = (values) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)]
  const share = median(runs.map((r) => r.share))
  const floorShare = median(runs.map((r) => r.floorShare))
  const cpuFloor = median(runs.map((r) => r.floor.cpuMsPerRequest))
  const cpuOurs = median(runs.map((r) => r.ours.cpuMsPerRequest))
  const cpuBare = median(runs.map((r) => r.bare.cpuMsPerRequest))
  const assetsShare = median(runs.map((r) => r.shareOfBareBehindAssets))
  const cpuBareAssets = median(runs.map((r) => r.bareBehindAssets.cpuMsPerRequest))
  rows.push([
    'ingest',
    `our share of the bare limit, median of ${rounds}`,
    `${(share * 100).toFixed(0)} %`,
    `rounds ${runs.map((r) => `${(r.share * 100).toFixed(0)} %`).join(', ')}`,
  ])
  rows.push([
    'ingest',
    'runtime CPU per lead, ours / bare (median)',
    `${ms(cpuOurs)} / ${ms(cpuBare)}`,
    'workerd and wrangler processes of each side; steadier than req/s on a busy machine',
  ])
  rows.push([
    'ingest',
    'bare + one D1 insert: share of bare, median',
    `${(floorShare * 100).toFixed(0)} %`,
    `runtime CPU per lead ${ms(cpuFloor)}: the most a worker that stores each lead in D1 before answering can reach here`,
  ])
  rows.push([
    'ingest',
    'our share of bare behind the same static assets, median',
    `${(assetsShare * 100).toFixed(0)} %`,
    `rounds ${runs.map((r) => `${(r.shareOfBareBehindAssets * 100).toFixed(0)} %`).join(', ')}; its runtime CPU per lead ${ms(cpuBareAssets)} against ${ms(cpuBare)}: what the assets router adds to each request`,
  ])
  const path = join(ROOT, 'artifacts', 'bench', 'results.json')
  const previous = previousResults(path)
  const middle = runs.find((r) => r.share === share)
  printAndWrite({
    ...previous,
    ingest: {
      // The round whose share is the median; its other shares are replaced by their medians.
      ...middle,
      cpuMsPerLead: { ours: cpuOurs, bare: cpuBare, oneD1Insert: cpuFloor, bareBehindAssets: cpuBareAssets },
      oneD1InsertShare: floorShare,
      floorShare,
      shareOfBareBehindAssets: assetsShare,
      rounds: runs.map((r) => ({
        ours: r.ours.perSecond,
        bare: r.bare.perSecond,
        oneD1Insert: r.floor.perSecond,
        bareBehindAssets: r.bareBehindAssets.perSecond,
        share: r.share,
        shareOfBareBehindAssets: r.shareOfBareBehindAssets,
        cpuOurs: r.ours.cpuMsPerRequest,
        cpuBare: r.bare.cpuMsPerRequest,
        cpuOneD1Insert: r.floor.cpuMsPerRequest,
        cpuBareBehindAssets: r.bareBehindAssets.cpuMsPerRequest,
      })),
      ...(profile && { profile }),
    },
    ingestDate: results.date,
  })
}

/**
 * BENCH_WORKER_PROFILE=1: one more run of our ingest under the worker's profiler, written to
 * artifacts/bench/worker-ingest.cpuprofile; its sources (worker/src files, packages, the runtime's
 * own modules) become rows, and the D1 binding's share is the figure the ingest goal turns on.
 */
async function profileIngest(worker, inspectorPort) {
  const file = join(ROOT, 'artifacts', 'bench', 'worker-ingest.cpuprofile')
  mkdirSync(join(ROOT, 'artifacts', 'bench'), { recursive: true })
  let leads = 0
  await profileWorker({
    inspectorPort,
    root: ROOT,
    file,
    during: async () => {
      const result = await load({ url: `${worker}/v1/leads`, body: (i) => lead('bench-ingest', i), concurrency: 16, durationMs: SECONDS * 1000 })
      leads = Object.values(result.statuses).reduce((a, b) => a + b, 0)
    },
  })
  const summary = summariseCpuProfile(file, 12)
  const sources = summary.sources.map((s) => ({ source: s.source, share: s.share, usPerLead: (s.selfMs * 1000) / leads }))
  const perLead = (summary.totalMs * 1000) / leads
  for (const s of sources)
    rows.push(['worker profile', s.source, `${(s.share * 100).toFixed(1)} %`, `${s.usPerLead.toFixed(0)} us per lead of the user isolate's ${perLead.toFixed(0)}`])
  // The bench site has no targets, so the isolate's only fetch is the D1 binding's own.
  const d1 = sources.filter((s) => s.source === 'cloudflare-internal:d1-api' || s.source === '(fetch)').reduce((a, s) => a + s.share, 0)
  rows.push(['worker profile', 'D1 binding: its JavaScript and its fetch', `${(d1 * 100).toFixed(1)} %`, `${(d1 * perLead).toFixed(0)} us per lead (one batch per lead)`])
  return {
    file: 'artifacts/bench/worker-ingest.cpuprofile',
    leads,
    sampledMs: summary.totalMs,
    d1Share: d1,
    sources,
    functions: summary.functions.map(({ name, where, share }) => ({ name, where, share })),
  }
}

/** CPU milliseconds used so far by every process whose environment holds `mark` (a stack and its children). */
function groupCpuMs(mark) {
  let total = 0
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      if (!readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0').includes(mark)) continue
      total += readProcCpuMs(pid).total
    } catch {}
  }
  return total
}

/**
 * The results a BENCH_ONLY part updates: results.json, or where there is none (a fresh clone) the
 * table docs/performance.md shows, so the sections this part does not measure stay there.
 */
function previousResults(path) {
  if (existsSync(path)) return JSON.parse(readFileSync(path, 'utf8'))
  const block = latestBlock(readFileSync(DOC, 'utf8'))
  return block === null ? {} : { table: tableFromMarkdown(block) }
}

function printAndWrite(output) {
  const widths = [0, 1, 2, 3].map((c) => Math.max(...rows.map((r) => String(r[c]).length), 8))
  const line = (r) => r.map((cell, c) => String(cell).padEnd(widths[c])).join('  ')
  console.log(`\n${line(['section', 'measure', 'value', 'detail'])}\n${widths.map((w) => '-'.repeat(w)).join('  ')}`)
  for (const r of rows) console.log(line(r))
  // The printed rows, stamped, go into results.json's table (replacing only the sections this run
  // measured) and from there into docs/performance.md.
  const written = { ...output, table: mergeTables(output.table, rows, { date: results.date, commit: MEASURED, node: process.version }) }
  mkdirSync(join(ROOT, 'artifacts', 'bench'), { recursive: true })
  writeFileSync(join(ROOT, 'artifacts', 'bench', 'results.json'), JSON.stringify(written, null, 2))
  writeLatestRun(written)
  console.log('\nwritten: artifacts/bench/results.json, and its table in docs/performance.md')
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})
