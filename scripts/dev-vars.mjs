// `.dev.vars`, the git-ignored dotenv file of local secrets that `npm start` writes once and
// `wrangler dev` reads: the admin token, the CRM inbox's webhook secret, private targets allowed.
import { randomBytes } from 'node:crypto'
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs'

/**
 * Reads `.dev.vars` (dotenv) at `path`, creating it or adding the keys local development needs;
 * never replaces a value, so the admin token and the inbox secret stay the same across runs.
 */
export function ensureDevVars(path, { runtime, log, warn }) {
  const needed = {
    ADMIN_TOKEN: randomBytes(32).toString('base64url'),
    ALLOW_PRIVATE_TARGETS: 'true',
    // The local CRM inbox's webhook secret (Standard Webhooks: whsec_ + base64 of 32 random bytes).
    CRM_INBOX_SECRET: `whsec_${randomBytes(32).toString('base64')}`,
  }
  const header = '# Local worker secrets for `npm start` and `wrangler dev` (git-ignored). Written by scripts/start.mjs.\n'
  const created = writeNew(
    path,
    header +
      Object.entries(needed)
        .map(([k, v]) => `${k}=${v}\n`)
        .join(''),
  )
  const vars = parseDotenv(readFileSync(path, 'utf8'))
  if (created) {
    log('Wrote .dev.vars with a new ADMIN_TOKEN, CRM_INBOX_SECRET and ALLOW_PRIVATE_TARGETS=true.')
    return vars
  }
  const missing = Object.keys(needed).filter((key) => !vars[key])
  if (missing.length > 0) {
    appendFileSync(path, `\n# Added by scripts/start.mjs\n${missing.map((key) => `${key}=${needed[key]}\n`).join('')}`)
    for (const key of missing) vars[key] = needed[key]
    log(`Added ${missing.join(', ')} to .dev.vars.`)
  }
  // The Node server gets ALLOW_PRIVATE_TARGETS=true from us; wrangler reads .dev.vars itself.
  if (runtime === 'cloudflare' && vars.ALLOW_PRIVATE_TARGETS !== 'true') {
    warn('.dev.vars sets ALLOW_PRIVATE_TARGETS to something other than "true": the worker will refuse the loopback CRM inbox.')
  }
  return vars
}

/** Creates `path` only if it does not exist (two starts racing on a fresh clone must not swap tokens). */
function writeNew(path, content) {
  try {
    writeFileSync(path, content, { flag: 'wx', mode: 0o600 })
    return true
  } catch (error) {
    if (error.code === 'EEXIST') return false
    throw error
  }
}

export function parseDotenv(text) {
  const vars = {}
  for (const line of text.split(/\r?\n/)) {
    const match = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line)
    if (!match) continue
    let value = match[2]
    const quoted = /^(['"])(.*)\1$/.exec(value)
    if (quoted) value = quoted[2]
    else value = value.replace(/\s+#.*$/, '')
    vars[match[1]] = value
  }
  return vars
}
