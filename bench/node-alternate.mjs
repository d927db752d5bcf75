// Ingest of two or more builds of the self-hosted server and the bare Hono app, run in turn for a
// few rounds, so a busy shared machine weighs on each alike: medians per server, and each build's
// share of the bare app's rate in the same round.
//   BENCH_SERVERS="before=/tmp/a/dist/server/server.mjs,after=dist/server/server.mjs" \
//   BENCH_ROUNDS=3 BENCH_SECONDS=10 node bench/node-alternate.mjs
// Each server.mjs needs worker/migrations and dist/widget beside it (the layout `npm run build` makes).
import { loadavg } from 'node:os'
import { lead, OPEN_SITE, putSite } from './fixtures.mjs'
import { load } from './load.mjs'
import { startBareNodeServer, startNodeServer } from './node-server.mjs'

const servers = (process.env.BENCH_SERVERS ?? 'ours=dist/server/server.mjs').split(',').map((pair) => {
  const [name, path] = pair.split('=')
  return { name, path }
})
const rounds = Number(process.env.BENCH_ROUNDS ?? 3)
const seconds = Number(process.env.BENCH_SECONDS ?? 10)
const lanes = Number(process.env.BENCH_LANES ?? 16)
const dataRoot = process.env.BENCH_DATA_ROOT

async function measure(server, site) {
  const before = server.cpuMs()
  const run = await load({ url: `${server.url}/v1/leads`, body: (i) => lead(site, i), concurrency: lanes, durationMs: seconds * 1000 })
  const cpuMs = server.cpuMs().total - before.total
  return { perSecond: run.perSecond, p50: run.p50, p99: run.p99, statuses: run.statuses, errors: run.errors, cpuMsPerRequest: cpuMs / run.count }
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
const runs = Object.fromEntries([...servers.map((s) => [s.name, []]), ['bare', []]])
const load1 = [loadavg()[0]]
for (let round = 0; round < rounds; round++) {
  for (const { name, path } of servers) {
    const server = await startNodeServer({ server: path, ...(dataRoot ? { dataRoot } : {}) })
    try {
      await putSite(server.url, server.token, 'bench-ingest', OPEN_SITE)
      runs[name].push(await measure(server, 'bench-ingest'))
    } finally {
      await server.stop()
    }
  }
  const bare = await startBareNodeServer()
  try {
    runs.bare.push(await measure(bare, 'bench-ingest'))
  } finally {
    await bare.stop()
  }
  load1.push(loadavg()[0])
  console.error(
    `round ${round + 1}/${rounds}: ${Object.entries(runs)
      .map(([n, r]) => `${n} ${r.at(-1).perSecond.toFixed(0)}/s`)
      .join(', ')}`,
  )
}
const summary = Object.fromEntries(
  Object.entries(runs).map(([name, r]) => [
    name,
    {
      perSecond: median(r.map((x) => x.perSecond)),
      p50: median(r.map((x) => x.p50)),
      p99: median(r.map((x) => x.p99)),
      cpuMsPerRequest: median(r.map((x) => x.cpuMsPerRequest)),
      shareOfBare: name === 'bare' ? 1 : median(r.map((x, i) => x.perSecond / runs.bare[i].perSecond)),
      rounds: r.map((x) => Math.round(x.perSecond)),
      statuses: r.map((x) => x.statuses),
    },
  ]),
)
console.log(JSON.stringify({ date: new Date().toISOString(), rounds, seconds, lanes, dataRoot: dataRoot ?? 'tmpdir', loadAverage1m: load1, summary }, null, 2))
