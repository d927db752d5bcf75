// `cloudflare:workers` for the shared worker suites on Node: env and the default export's fetch.
import worker from './worker'

export { env } from './env'
export const exports = { default: { fetch: (request: Request) => worker.fetch(request) } }
