// The self-hosted runtime in `npm run bench` (alone: `npm run bench:node`): ingest next to a bare
// Hono app on @hono/node-server (and once more with the database on tmpfs, beside the latency of
// one durable commit on the disk), speed to lead, and resident memory after 10 000 leads, each
// against dist/server/server.mjs in a process of its own, the load from this one, on loopback.
// BENCH_NODE_PROFILE=1 adds an ingest run under --cpu-prof on each disk, summarised by source.
import { execFileSync } from 'node:child_process'
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { ROOT, delay } from '../test/e2e/harness.ts'
import { commitLatency } from './commit-latency.mjs'
import { summariseCpuProfile } from './cpu-profile.mjs'
import { OPEN_SITE, distinctLead, lead, putSite } from './fixtures.mjs'
import { load, percentiles } from './load.mjs'
import { startBareNodeServer, startNodeServer } from './node-server.mjs'
import { newSecret, startReceiver } from './receiver.mjs'

const monotonicUs = () => Number(process.hrtime.bigint() / 1000n)
const mb = (bytes) => `${(bytes / 1024 / 1024).toFixed(1)} MB`
const ms = (n) => `${n.toFixed(1)} ms`
const cpu = (r) =>
  `server CPU ${r.serverCpuMsPerRequest.toFixed(2)} ms/req (system ${r.serverSystemCpuMsPerRequest.toFixed(2)}), ${(r.serverCpuShare * 100).toFixed(0)} % of a core`
const INGEST_GOAL = 0.7
const TMPFS = '/dev/shm'
const DRAIN_MS = 300_000
const DRAIN_STALL_MS = 30_000
const RSS_GOAL_BYTES = 150 * 1024 * 1024

/**
 * @param {{ seconds?: number, lanes?: number, memoryLeads?: number, speedLeads?: number, profile?: boolean, maxOldSpaceMb?: number, schedulerIntervalMs?: number }} [options]
 *   `maxOldSpaceMb`: start the memory run's server with --max-old-space-size (a deployment's cap);
 *   `schedulerIntervalMs`: the memory run's SCHEDULER_INTERVAL_MS, so its deliveries drain in time
 * @returns {Promise<{ results: object, rows: string[][] }>}
 */
export async function nodeBench({ seconds = 10, lanes = 16, memoryLeads = 10_000, speedLeads = 200, profile = false, maxOldSpaceMb, schedulerIntervalMs = 100 } = {}) {
  const results = { build: buildState(), loadAverageAtStart: loadavg() }
  const rows = []
  const secret = newSecret()
  const receiver = await startReceiver(secret)
  try {
    results.commitBefore = commitLatency(tmpdir())
    // ── Ingest: the server next to a bare Hono app, the same load as the Worker's row ──
    const server = await startNodeServer()
    let ours
    try {
      await putSite(server.url, server.token, 'bench-ingest', OPEN_SITE)
      ours = await loadWithCpu(server, { url: `${server.url}/v1/leads`, body: (i) => lead('bench-ingest', i), concurrency: lanes, durationMs: seconds * 1000 })
      ours.rssAfterBytes = server.memory().rssBytes

      // ── Speed to lead on the same server, as the Worker's row runs on its stack ──
      await putSite(server.url, server.token, 'bench-speed', { ...OPEN_SITE, targets: [{ type: 'webhook', id: 'receiver', url: receiver.url, secret }] })
      results.speedToLead = await speedToLead(server.url, receiver, speedLeads)
    } finally {
      await server.stop()
    }
    const bareServer = await startBareNodeServer()
    let bare
    try {
      results.bareIdleRssBytes = bareServer.memory().rssBytes
      bare = await loadWithCpu(bareServer, { url: `${bareServer.url}/v1/leads`, body: (i) => lead('bench-ingest', i), concurrency: lanes, durationMs: seconds * 1000 })
    } finally {
      await bareServer.stop()
    }
    // The same load with the database on tmpfs, where fsync costs nothing: what the durable commit
    // (synchronous = FULL, one fsync per transaction on the event loop) takes out of the figure above.
    let tmpfs = null
    if (existsSync(TMPFS)) {
      const onTmpfs = await startNodeServer({ dataRoot: TMPFS })
      try {
        await putSite(onTmpfs.url, onTmpfs.token, 'bench-ingest', OPEN_SITE)
        tmpfs = await loadWithCpu(onTmpfs, { url: `${onTmpfs.url}/v1/leads`, body: (i) => lead('bench-ingest', i), concurrency: lanes, durationMs: seconds * 1000 })
      } finally {
        await onTmpfs.stop()
      }
    }
    results.commitAfter = commitLatency(tmpdir())
    const share = ours.perSecond / bare.perSecond
    results.ingest = { ours, bare, share, goal: INGEST_GOAL, met: share >= INGEST_GOAL, tmpfs, tmpfsShare: tmpfs && tmpfs.perSecond / bare.perSecond }
    rows.push([
      'node ingest',
      `POST /v1/leads, Node server (${seconds} s, ${lanes} lanes)`,
      `${ours.perSecond.toFixed(0)}/s`,
      `p50 ${ms(ours.p50)}, p99 ${ms(ours.p99)}, ${JSON.stringify(ours.statuses)}, errors ${ours.errors}; ${cpu(ours)}`,
    ])
    rows.push([
      'node ingest',
      'bare Hono on @hono/node-server, same load',
      `${bare.perSecond.toFixed(0)}/s`,
      `p50 ${ms(bare.p50)}, p99 ${ms(bare.p99)}, ${JSON.stringify(bare.statuses)}, errors ${bare.errors}; ${cpu(bare)}`,
    ])
    rows.push(['node ingest', 'our share of the bare limit', `${(share * 100).toFixed(0)} %`, `goal ≥ ${INGEST_GOAL * 100} %: ${share >= INGEST_GOAL ? 'met' : 'NOT met'}`])
    // A lead is two write transactions (the rate-limit counters, then the lead with its dedupe keys
    // and deliveries), each committed synchronously on the event loop: strace saw 2.04 fsyncs a lead.
    const commitMs = (results.commitBefore.meanMs + results.commitAfter.meanMs) / 2
    rows.push([
      'node ingest',
      'one durable SQLite commit on this disk (WAL, FULL)',
      `${ms(results.commitBefore.meanMs)} → ${ms(results.commitAfter.meanMs)}`,
      `mean of ${results.commitBefore.commits}, before → after the loads; at 2 commits per lead on one event loop: ≤ ${(1000 / (2 * commitMs)).toFixed(0)} leads/s`,
    ])
    if (tmpfs)
      rows.push([
        'node ingest',
        'same, database on tmpfs (fsync free)',
        `${tmpfs.perSecond.toFixed(0)}/s`,
        `${(results.ingest.tmpfsShare * 100).toFixed(0)} % of bare; p50 ${ms(tmpfs.p50)}, p99 ${ms(tmpfs.p99)}, ${JSON.stringify(tmpfs.statuses)}; ${cpu(tmpfs)}`,
      ])
    const s = results.speedToLead
    rows.push(['node speed to lead', `submit → webhook received (${s.arrived}/${s.leads})`, `p50 ${ms(s.p50)}`, `p99 ${ms(s.p99)}`])

    results.memory = await memoryAfter(memoryLeads, { lanes, receiver, secret, maxOldSpaceMb, schedulerIntervalMs })
    const m = results.memory
    const flags = `${maxOldSpaceMb ? `, --max-old-space-size=${maxOldSpaceMb}` : ''}, SCHEDULER_INTERVAL_MS=${schedulerIntervalMs}`
    const verdict = !m.drained ? `not comparable: only ${m.delivered} of ${m.statuses[201] ?? 0} delivered when read` : `goal ≤ ${mb(RSS_GOAL_BYTES)}: ${m.met ? 'met' : 'NOT met'}`
    rows.push([
      'node memory',
      `RSS after ${m.leads} leads delivered (fresh server${flags})`,
      mb(m.rssBytes),
      `${verdict}; idle at start ${mb(m.idleRssBytes)}, peak ${mb(m.peakRssBytes)}; the bare Hono app idles at ${mb(results.bareIdleRssBytes)}`,
    ])
    rows.push([
      'node memory',
      'database after them (db + wal + shm)',
      mb(m.database.total),
      `db ${mb(m.database.db)}, wal ${mb(m.database.wal)}; ${m.perSecond.toFixed(0)} leads/s accepted, ${JSON.stringify(m.statuses)}; delivered ${m.delivered} (${m.deliveriesPerSecond.toFixed(0)}/s, drain ${m.drainSeconds.toFixed(0)} s), forged ${m.forged}`,
    ])

    if (profile) {
      // On the disk the server uses, and on tmpfs: what is left once the commits cost nothing.
      results.profile = { disk: await profileIngest({ seconds, lanes, dataRoot: tmpdir(), name: 'node-ingest-disk' }) }
      if (existsSync(TMPFS)) results.profile.tmpfs = await profileIngest({ seconds, lanes, dataRoot: TMPFS, name: 'node-ingest-tmpfs' })
      for (const [where, p] of Object.entries(results.profile)) {
        const pct = (x) => `${(x * 100).toFixed(0)} %`
        rows.push([
          'node profile',
          `self time by source, database on ${where}`,
          p.sources
            .slice(0, 3)
            .map((x) => `${x.source} ${pct(x.share)}`)
            .join(', '),
          `${p.perSecondProfiled.toFixed(0)} leads/s under --cpu-prof; ${p.file}`,
        ])
        rows.push([
          'node profile',
          `top functions, database on ${where}`,
          p.functions
            .slice(0, 2)
            .map((f) => `${f.name} ${pct(f.share)}`)
            .join(', '),
          p.functions
            .slice(0, 4)
            .map((f) => `${f.name} ${pct(f.share)}${f.hotLine === '-' ? '' : ` (${f.hotLine})`}`)
            .join('; '),
        ])
      }
    }
  } finally {
    receiver.close()
  }
  // The machine is shared: how busy it was says how far to trust the figures.
  results.loadAverageAtEnd = loadavg()
  rows.push([
    'node',
    'machine load average (1 min), start → end',
    `${results.loadAverageAtStart[0].toFixed(1)} → ${results.loadAverageAtEnd[0].toFixed(1)}`,
    `${cpus().length} CPUs; the load generator runs on the same machine`,
  ])
  return { results, rows }
}

/** What was measured: the commit, and whether the server's sources had changes not committed yet. */
function buildState() {
  const git = (...args) => execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' }).trim()
  try {
    return { commit: git('rev-parse', 'HEAD'), uncommittedServerFiles: git('status', '--porcelain', '--', 'worker', 'shared').split('\n').filter(Boolean).length }
  } catch {
    return null
  }
}

/** The load, with the server's CPU time over it: per request, and as a share of one core. */
async function loadWithCpu(server, options) {
  const before = server.cpuMs()
  const run = await load(options)
  const after = server.cpuMs()
  const cpuMs = after.total - before.total
  return {
    ...run,
    serverCpuMsPerRequest: cpuMs / run.count,
    serverSystemCpuMsPerRequest: (after.system - before.system) / run.count,
    serverCpuShare: cpuMs / (run.seconds * 1000),
  }
}

async function speedToLead(url, receiver, leads) {
  const sentAt = new Map()
  for (let i = 0; i < leads; i++) {
    const body = lead('bench-speed', i)
    sentAt.set(JSON.parse(body).id, performance.now())
    const response = await fetch(`${url}/v1/leads`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body })
    await response.arrayBuffer()
  }
  const until = Date.now() + 60_000
  while ([...sentAt.keys()].some((id) => !receiver.arrivals.has(id)) && Date.now() < until) await delay(100)
  const speeds = [...sentAt].filter(([id]) => receiver.arrivals.has(id)).map(([id, t]) => receiver.arrivals.get(id) - t)
  return { leads, arrived: speeds.length, ...percentiles(speeds) }
}

/** A fresh server, `leads` distinct leads each with a webhook to the receiver, every delivery in, then /proc. */
async function memoryAfter(leads, { lanes, receiver, secret, maxOldSpaceMb, schedulerIntervalMs }) {
  const server = await startNodeServer({
    nodeArgs: maxOldSpaceMb ? [`--max-old-space-size=${maxOldSpaceMb}`] : [],
    // Past DELIVERY_CONCURRENCY (8) attempts under way, a backlog is taken 8 per scheduler tick
    // (default 1 s): 10 000 leads would take 20 minutes to drain. A shorter tick drains it sooner
    // through the same code.
    env: { SCHEDULER_INTERVAL_MS: String(schedulerIntervalMs) },
  })
  try {
    const idle = server.memory()
    await putSite(server.url, server.token, 'bench-memory', { ...OPEN_SITE, targets: [{ type: 'webhook', id: 'receiver', url: receiver.url, secret }] })
    const before = receiver.received.size
    const run = await loadWithCpu(server, { url: `${server.url}/v1/leads`, body: (i) => distinctLead('bench-memory', i), concurrency: lanes, requests: leads, durationMs: 300_000 })
    const accepted = run.statuses[201] ?? 0
    // Bounded: at most DRAIN_MS in all, and given up when nothing arrives for DRAIN_STALL_MS.
    const drainStarted = Date.now()
    let lastCount = receiver.received.size
    let lastProgress = Date.now()
    while (receiver.received.size - before < accepted && Date.now() - drainStarted < DRAIN_MS && Date.now() - lastProgress < DRAIN_STALL_MS) {
      await delay(250)
      if (receiver.received.size !== lastCount) [lastCount, lastProgress] = [receiver.received.size, Date.now()]
    }
    const drainSeconds = (Date.now() - drainStarted) / 1000
    // Let the last attempts record their outcome and the timers settle before reading.
    await delay(2000)
    const memory = server.memory()
    return {
      leads,
      maxOldSpaceMb: maxOldSpaceMb ?? null,
      schedulerIntervalMs,
      ...run,
      delivered: receiver.received.size - before,
      drained: receiver.received.size - before >= accepted,
      drainSeconds,
      deliveriesPerSecond: (receiver.received.size - before) / (run.seconds + drainSeconds),
      forged: receiver.forged(),
      idleRssBytes: idle.rssBytes,
      rssBytes: memory.rssBytes,
      peakRssBytes: memory.peakRssBytes,
      goalBytes: RSS_GOAL_BYTES,
      met: receiver.received.size - before >= accepted && memory.rssBytes <= RSS_GOAL_BYTES,
      database: server.databaseBytes(),
    }
  } finally {
    await server.stop()
  }
}

/** The ingest load once more on a server under --cpu-prof (not the measured run: profiling slows it). */
async function profileIngest({ seconds, lanes, dataRoot, name }) {
  const dir = join(tmpdir(), `lc-bench-prof-${process.pid}`)
  rmSync(dir, { recursive: true, force: true })
  const server = await startNodeServer({ nodeArgs: ['--cpu-prof', '--cpu-prof-dir', dir], dataRoot })
  let run
  // The load's span in the profile's clock, so start-up (compiling the bundle) and shutdown stay out.
  const window = {}
  try {
    await putSite(server.url, server.token, 'bench-ingest', OPEN_SITE)
    window.fromUs = monotonicUs()
    run = await load({ url: `${server.url}/v1/leads`, body: (i) => lead('bench-ingest', i), concurrency: lanes, durationMs: seconds * 1000 })
    window.toUs = monotonicUs()
  } finally {
    await server.stop()
  }
  const written = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'))
  if (written.length === 0) throw new Error(`--cpu-prof wrote nothing to ${dir}`)
  const out = join(ROOT, 'artifacts', 'bench')
  mkdirSync(out, { recursive: true })
  const file = join('artifacts', 'bench', `${name}.cpuprofile`)
  copyFileSync(join(dir, written[0]), join(ROOT, file))
  rmSync(dir, { recursive: true, force: true })
  return { file, window, perSecondProfiled: run.perSecond, ...summariseCpuProfile(join(ROOT, file), 15, window) }
}
