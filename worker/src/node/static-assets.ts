// Serves the built widget (and the demo pages) from the Node server with Cloudflare's asset headers.
import { createHash } from 'node:crypto'
import { readFileSync, realpathSync } from 'node:fs'
import { open, realpath, stat } from 'node:fs/promises'
import type { FileHandle } from 'node:fs/promises'
import { extname, join, resolve, sep } from 'node:path'
import type { MiddlewareHandler } from 'hono'

export interface StaticAssetsOptions {
  /** The folder to serve, e.g. `dist/widget` or `demo`. */
  root: string
  /** A Cloudflare `_headers` file: by default `<root>/_headers` if there is one; null for none. */
  headersFile?: string | null
  /** The URL path the folder is served under, e.g. `/demo`; by default the site root. */
  prefix?: string
  /** Cache-Control of the files no `_headers` rule gives one. */
  cacheControl?: string
}

/** One block of a `_headers` file. */
export interface HeaderRule {
  readonly path: string
  readonly pattern: RegExp
  /** Lower-case names; a name given twice in one block is already joined with ", ". */
  readonly set: readonly (readonly [string, string])[]
  /** `! Name` lines: headers an earlier rule or the default set is not to send. */
  readonly unset: readonly string[]
}

/**
 * Cloudflare's default (workers-shared asset-worker, CACHE_CONTROL_BROWSER): cache, but revalidate
 * every use, which the ETag makes a 304. widget.js and app.js keep their names across builds, so
 * they must not be cached without revalidation: a cached app.js from before a rebuild imports
 * chunks whose hashed names the rebuild deleted (vite empties dist/widget), and a cached widget.js
 * can load an app.js of another build. The hashed chunks get `immutable` from `_headers`.
 */
const CACHE_CONTROL = 'public, max-age=0, must-revalidate'

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.gif': 'image/gif',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.webmanifest': 'application/manifest+json',
}

/** Cloudflare reads these as configuration and never serves them. */
const CONFIG_FILES = new Set(['/_headers', '/_redirects'])

/** ETags remembered at most; past it the memo starts again (rebuilds leave old chunk names behind). */
const MAX_ETAGS = 1000

/**
 * A `_headers` path as a RegExp the way Cloudflare compiles it (workers-shared rules-engine): one
 * `*` splat matching anything, slashes included, and `:name` placeholders matching one segment.
 */
function compilePath(path: string): RegExp {
  const escapeRegex = (s: string) => s.replace(/[-/\\^$*+?.()|[\]{}]/g, '\\$&')
  const source = path
    .split('*')
    .map(escapeRegex)
    .join('(?<splat>.*)')
    .replace(/:([A-Za-z]\w*)/g, '(?<$1>[^/]+)')
  return new RegExp(`^${source}$`)
}

/**
 * The rules of a Cloudflare `_headers` file and the lines it ignores, with the reason. Path lines
 * start at the left margin with `/`; `Name: value` and `! Name` lines follow, indented; `#` starts
 * a comment. Absolute-URL rules (`https://host/path`) name Cloudflare hosts and are ignored.
 * @see https://developers.cloudflare.com/workers/static-assets/headers/
 */
export function parseHeadersFile(text: string): { rules: HeaderRule[]; ignored: string[] } {
  const rules: HeaderRule[] = []
  const ignored: string[] = []
  let current: { path: string; pattern: RegExp; set: Map<string, string>; unset: string[] } | null = null
  let skipping = false
  const finish = () => {
    if (current && (current.set.size > 0 || current.unset.length > 0)) {
      const { path, pattern, set, unset } = current
      rules.push({ path, pattern, set: [...set], unset })
    } else if (current) ignored.push(`${current.path}: no headers`)
    current = null
  }
  for (const [index, raw] of text.split('\n').entries()) {
    const line = raw.trim()
    const where = `line ${index + 1}`
    if (line === '' || line.startsWith('#')) continue
    if (/^[^\s]+:\/\//.test(line)) {
      finish()
      skipping = true
      ignored.push(`${where}: absolute URL rules are not supported here (${line})`)
      continue
    }
    if (line.startsWith('/')) {
      finish()
      skipping = false
      if ((line.match(/\*/g) ?? []).length > 1) {
        skipping = true
        ignored.push(`${where}: only one * is allowed per rule (${line})`)
        continue
      }
      try {
        current = { path: line, pattern: compilePath(line), set: new Map(), unset: [] }
      } catch {
        skipping = true
        ignored.push(`${where}: not a valid path pattern (${line})`)
      }
      continue
    }
    if (skipping) continue
    if (current === null) {
      ignored.push(`${where}: a header before any path`)
      continue
    }
    if (line.startsWith('! ')) {
      current.unset.push(line.slice(2).trim().toLowerCase())
      continue
    }
    const colon = line.indexOf(':')
    const name = line.slice(0, colon).trim().toLowerCase()
    const value = line.slice(colon + 1).trim()
    if (colon <= 0 || name === '' || /\s/.test(name) || value === '') {
      ignored.push(`${where}: expected "Name: value" (${line})`)
      continue
    }
    try {
      new Headers([[name, value]])
    } catch {
      ignored.push(`${where}: not a valid header (${line})`)
      continue
    }
    const earlier = current.set.get(name)
    current.set.set(name, earlier === undefined ? value : `${earlier}, ${value}`)
  }
  finish()
  return { rules, ignored }
}

/**
 * Applies every matching rule in file order, as Cloudflare does: a rule's `!` lines delete first;
 * a header's first rule replaces the default, later rules append to it (joined with ", ").
 * `:splat` and placeholders in values take what the path matched.
 */
function applyRules(rules: readonly HeaderRule[], pathname: string, headers: Headers): void {
  const setByRules = new Set<string>()
  for (const rule of rules) {
    const match = rule.pattern.exec(pathname)
    if (!match) continue
    for (const name of rule.unset) headers.delete(name)
    for (const [name, template] of rule.set) {
      let value = template
      for (const [key, part] of Object.entries(match.groups ?? {})) value = value.replaceAll(`:${key}`, part)
      if (setByRules.has(name)) headers.append(name, value)
      else headers.set(name, value)
      setByRules.add(name)
    }
  }
}

/** If-None-Match compares weakly (RFC 9110 §13.1.2): W/"x" matches "x". */
function noneMatch(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false
  if (header.trim() === '*') return true
  return header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag)
}

/**
 * Serves GET and HEAD for the files under `root`, with the `_headers` rules applied, an ETag and
 * 304s, and hands every other request (API routes, other methods, missing files) to `next()`.
 * No directory listings; `index.html` for a directory; nothing outside `root`: no `..`, encoded or
 * not, no NUL or backslash, no symlink that leads out, no dot-files, not the `_headers` file.
 *
 * Files are read on each request: the widget is small, and a rebuild shows without a restart. The
 * ETag is a hash of the content (as Cloudflare's is), so instances serving one build agree on it;
 * it is remembered per file, size and mtime, so a 304 costs an fstat. `_headers` is read once, here,
 * as Cloudflare reads it once per deploy.
 * @example
 * app.use(staticAssets({ root: 'dist/widget' }))
 * app.use(staticAssets({ root: 'demo', prefix: '/demo' }))
 */
export function staticAssets({ root, headersFile, prefix = '/', cacheControl = CACHE_CONTROL }: StaticAssetsOptions): MiddlewareHandler {
  let base: string
  try {
    base = realpathSync(resolve(root))
  } catch (error) {
    throw new Error(`staticAssets: cannot serve ${root}: ${(error as Error).message}`)
  }
  if (!prefix.startsWith('/')) throw new Error(`staticAssets: the prefix must start with "/" (${prefix})`)
  const mount = prefix.replace(/\/+$/, '')

  const headersPath = headersFile === undefined ? join(base, '_headers') : headersFile
  let rules: HeaderRule[] = []
  let headersReal: string | null = null
  if (headersPath !== null) {
    let text: string | null = null
    try {
      text = readFileSync(headersPath, 'utf8')
      headersReal = realpathSync(headersPath)
    } catch (error) {
      // No `_headers` in the folder is fine; a file named in the options has to be there.
      if (headersFile !== undefined) {
        throw new Error(`staticAssets: cannot read ${headersFile}: ${(error as Error).message}`)
      }
    }
    if (text !== null) {
      const parsed = parseHeadersFile(text)
      rules = parsed.rules
      for (const line of parsed.ignored) console.warn(`staticAssets: ${headersPath} ${line}, ignored`)
    }
  }

  const etags = new Map<string, { size: bigint; mtimeNs: bigint; etag: string }>()

  /** The real path of a decoded request path inside `base`, or null (see scripts/static-server.mjs). */
  async function locate(decoded: string): Promise<{ file: string; directory: boolean } | null> {
    if (decoded.includes('\0') || decoded.includes('\\')) return null
    // `..` is caught here too, besides the prefix check below; dot-files (.git, .env) are never assets.
    if (decoded.split('/').some((segment) => segment.startsWith('.'))) return null
    if (CONFIG_FILES.has(decoded)) return null
    let file = resolve(base, `.${decoded}`)
    if (file !== base && !file.startsWith(base + sep)) return null
    try {
      const directory = (await stat(file)).isDirectory()
      if (directory) file = join(file, 'index.html')
      const real = await realpath(file)
      if (!real.startsWith(base + sep) || real === headersReal) return null
      return (await stat(real)).isFile() ? { file: real, directory } : null
    } catch {
      return null
    }
  }

  return async function serveStaticAsset(c, next) {
    const method = c.req.method
    if (method !== 'GET' && method !== 'HEAD') return next()
    const url = new URL(c.req.url)
    let pathname: string
    if (url.pathname === mount) pathname = ''
    else if (url.pathname.startsWith(`${mount}/`)) pathname = url.pathname.slice(mount.length)
    else return next()

    let decoded: string
    try {
      decoded = decodeURIComponent(pathname)
    } catch {
      return next()
    }
    const found = await locate(decoded)
    if (found === null) return next()
    // A directory URL without its slash would resolve relative links against the parent.
    if (found.directory && !decoded.endsWith('/')) return c.redirect(`${url.pathname}/${url.search}`, 301)

    let handle: FileHandle
    try {
      handle = await open(found.file, 'r')
    } catch {
      // Gone since `locate`: a rebuild in progress.
      return next()
    }
    try {
      const { size, mtimeNs } = await handle.stat({ bigint: true })
      let body: Buffer<ArrayBuffer> | null = null
      let known = etags.get(found.file)
      if (known === undefined || known.size !== size || known.mtimeNs !== mtimeNs) {
        body = await handle.readFile()
        const etag = `"${createHash('sha256').update(body).digest('hex').slice(0, 32)}"`
        known = { size, mtimeNs, etag }
        if (etags.size >= MAX_ETAGS) etags.clear()
        etags.set(found.file, known)
      }

      const headers = new Headers({
        'content-type': CONTENT_TYPES[extname(found.file).toLowerCase()] ?? 'application/octet-stream',
        etag: known.etag,
        'x-content-type-options': 'nosniff',
      })
      // As Cloudflare: no default caching of answers to credentialed or partial requests.
      if (!c.req.header('authorization') && !c.req.header('range')) headers.set('cache-control', cacheControl)
      applyRules(rules, pathname === '' ? '/' : pathname, headers)

      if (noneMatch(c.req.header('if-none-match'), known.etag)) {
        // A 304 carries validators and caching headers, not the representation's metadata
        // (RFC 9110 §15.4.5).
        headers.delete('content-type')
        return new Response(null, { status: 304, headers })
      }
      if (method === 'HEAD') {
        headers.set('content-length', String(size))
        return new Response(null, { status: 200, headers })
      }
      body ??= await handle.readFile()
      headers.set('content-length', String(body.byteLength))
      return new Response(body, { status: 200, headers })
    } finally {
      await handle.close()
    }
  }
}
