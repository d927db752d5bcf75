// A bounded load generator for loopback benchmarks: N lanes, a time or request cap, latencies kept.
import { performance } from 'node:perf_hooks'

/**
 * @param {{ url: string, body: (i: number) => string, headers?: Record<string, string>, concurrency: number, durationMs?: number, requests?: number }} options
 */
export async function load({ url, body, headers = {}, concurrency, durationMs = Infinity, requests = Infinity }) {
  const latencies = []
  const statuses = new Map()
  const errors = []
  let issued = 0
  const started = performance.now()
  const deadline = started + durationMs
  async function lane() {
    while (issued < requests && performance.now() < deadline) {
      const i = issued++
      const t0 = performance.now()
      try {
        const response = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: body(i) })
        await response.arrayBuffer()
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1)
      } catch (error) {
        errors.push(String(error))
      }
      latencies.push(performance.now() - t0)
    }
  }
  await Promise.all(Array.from({ length: concurrency }, lane))
  const seconds = (performance.now() - started) / 1000
  return { count: latencies.length, seconds, perSecond: latencies.length / seconds, statuses: Object.fromEntries(statuses), errors: errors.length, ...percentiles(latencies) }
}

export function percentiles(values) {
  const sorted = [...values].sort((a, b) => a - b)
  const at = (q) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] : NaN)
  return { p50: at(0.5), p99: at(0.99) }
}
