// The self-hosted server's settings, from the environment, checked once at start. Every bad value
// is named in one message, and the server does not start with it.
import { isAbsolute, join, resolve } from 'node:path'
import * as v from 'valibot'
import { parseTrustProxy } from './client-ip'
import type { TrustProxy } from './client-ip'
import { StartupError } from './startup-error'

export interface Settings {
  port: number
  host: string
  dataDir: string
  databasePath: string
  adminToken: string
  publicUrl: string
  trustProxy: TrustProxy
  allowPrivateTargets: boolean
  resolveTargetHosts: boolean
  /** The built widget (widget.js, app.js, chunks/). */
  staticDir: string
  migrationsDir: string
  /** The scheduler's poll interval: the longest a due delivery waits when no wake-up reached it. */
  schedulerIntervalMs: number
  deliveryConcurrency: number
  shutdownGraceMs: number
}

const Flag = (fallback: 'true' | 'false') =>
  v.pipe(
    v.optional(v.picklist(['true', 'false', '1', '0'], 'must be true or false'), fallback),
    v.transform((s) => s === 'true' || s === '1'),
  )

const Int = (fallback: number, min: number, max: number) =>
  v.optional(
    v.pipe(
      v.string(),
      v.regex(/^\d{1,9}$/, `must be a whole number from ${min} to ${max}`),
      v.transform(Number),
      v.minValue(min, `must be at least ${min}`),
      v.maxValue(max, `must be at most ${max}`),
    ),
    String(fallback),
  )

const EnvSchema = v.object({
  PORT: Int(8787, 1, 65535),
  HOST: v.optional(v.pipe(v.string(), v.minLength(1, 'must not be empty')), '127.0.0.1'),
  DATA_DIR: v.optional(v.pipe(v.string(), v.minLength(1, 'must not be empty')), 'data'),
  DATABASE_PATH: v.optional(v.pipe(v.string(), v.minLength(1, 'must not be empty'))),
  // A missing key gets valibot's generic "Invalid key" issue, not the schema's message: optional
  // here, and a missing token is named below in words an operator can act on.
  ADMIN_TOKEN: v.optional(v.pipe(v.string(), v.minLength(16, 'must be at least 16 characters (for example: openssl rand -base64 32)'))),
  PUBLIC_URL: v.optional(v.pipe(v.string(), v.url('must be a URL such as https://leads.example.ru'), v.regex(/^https?:\/\//, 'must start with http:// or https://'))),
  TRUST_PROXY: v.optional(v.string()),
  ALLOW_PRIVATE_TARGETS: Flag('false'),
  RESOLVE_TARGET_HOSTS: Flag('true'),
  STATIC_DIR: v.optional(v.string()),
  MIGRATIONS_DIR: v.optional(v.string()),
  SCHEDULER_INTERVAL_MS: Int(1000, 50, 60_000),
  DELIVERY_CONCURRENCY: Int(8, 1, 256),
  SHUTDOWN_GRACE_MS: Int(10_000, 0, 120_000),
})

/** Reads settings; relative paths resolve against `cwd`, the built assets against `root`. */
export function readSettings(env: Record<string, string | undefined>, { root, cwd = process.cwd() }: { root: string; cwd?: string }): Settings {
  // Empty values count as unset, as in most .env loaders.
  const given = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''))
  const parsed = v.safeParse(EnvSchema, given)
  const problems: string[] = []
  if (!parsed.success) {
    for (const issue of parsed.issues) {
      const key = issue.path?.map((p) => String(p.key)).join('.') ?? 'environment'
      problems.push(`${key} ${issue.message}`)
    }
  }
  if (given.ADMIN_TOKEN === undefined) problems.push('ADMIN_TOKEN is required: set a long random string (for example: openssl rand -base64 32)')
  const trustProxy = parseTrustProxy(env.TRUST_PROXY)
  if ('error' in trustProxy) problems.push(`TRUST_PROXY ${trustProxy.error}`)
  if (!parsed.success || 'error' in trustProxy || problems.length > 0) {
    throw new StartupError('settings', `The server cannot start with these settings:\n${problems.map((p) => `  - ${p}`).join('\n')}`)
  }
  const s = parsed.output
  const at = (path: string) => (isAbsolute(path) ? path : resolve(cwd, path))
  const dataDir = at(s.DATA_DIR)
  return {
    port: s.PORT,
    host: s.HOST,
    dataDir,
    databasePath: s.DATABASE_PATH ? at(s.DATABASE_PATH) : join(dataDir, 'leadcatcher.db'),
    adminToken: s.ADMIN_TOKEN ?? '',
    publicUrl: (s.PUBLIC_URL ?? `http://${s.HOST.includes(':') ? `[${s.HOST}]` : s.HOST}:${s.PORT}`).replace(/\/+$/, ''),
    trustProxy,
    allowPrivateTargets: s.ALLOW_PRIVATE_TARGETS,
    resolveTargetHosts: s.RESOLVE_TARGET_HOSTS,
    staticDir: s.STATIC_DIR ? at(s.STATIC_DIR) : join(root, 'dist', 'widget'),
    migrationsDir: s.MIGRATIONS_DIR ? at(s.MIGRATIONS_DIR) : join(root, 'worker', 'migrations'),
    schedulerIntervalMs: s.SCHEDULER_INTERVAL_MS,
    deliveryConcurrency: s.DELIVERY_CONCURRENCY,
    shutdownGraceMs: s.SHUTDOWN_GRACE_MS,
  }
}
