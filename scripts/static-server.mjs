// A tiny static file server for the demo site of `npm start`: loopback only, no directory listings, nothing outside its root.
import { realpathSync } from 'node:fs'
import { readFile, stat } from 'node:fs/promises'
import { createServer } from 'node:http'
import { extname, resolve, sep } from 'node:path'

const CONTENT_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
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

/**
 * @param {{ root: string, rewriteHtml?: (html: string) => string, headers?: (pathname: string) => Record<string, string> }} options
 * `rewriteHtml` runs on every .html file served (start.mjs points the widget tag at the worker's real port).
 * `headers` adds response headers per request path (start.mjs gives one page a strict CSP header).
 * @example createStaticServer({ root: 'demo' }).listen(8788, '127.0.0.1')
 */
export function createStaticServer({ root, rewriteHtml = (html) => html, headers = () => ({}) }) {
  const base = realpathSync(resolve(root))

  /** The real path of a request path inside `base`, or null: no `..`, no NUL, no symlink that leads out. */
  async function locate(pathname) {
    let decoded
    try {
      decoded = decodeURIComponent(pathname)
    } catch {
      return null
    }
    if (decoded.includes('\0') || decoded.includes('\\')) return null
    let file = resolve(base, `.${decoded}`)
    if (file !== base && !file.startsWith(base + sep)) return null
    try {
      if ((await stat(file)).isDirectory()) file = resolve(file, 'index.html')
      const real = realpathSync(file)
      if (!real.startsWith(base + sep)) return null
      return (await stat(real)).isFile() ? real : null
    } catch {
      return null
    }
  }

  return createServer(async (req, res) => {
    try {
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' })
        return res.end('Method not allowed\n')
      }
      const { pathname, search } = new URL(req.url ?? '/', 'http://demo.invalid')
      const file = await locate(pathname)
      if (!file) {
        res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' })
        return res.end('Not found\n')
      }
      // A directory URL without its slash would resolve relative links against the parent.
      if (!pathname.endsWith('/') && file.endsWith(`${sep}index.html`) && !pathname.endsWith('index.html')) {
        res.writeHead(301, { location: `${pathname}/${search}` })
        return res.end()
      }
      const type = CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream'
      let body = await readFile(file)
      if (extname(file).toLowerCase() === '.html') body = Buffer.from(rewriteHtml(body.toString('utf8')))
      res.writeHead(200, {
        'content-type': type,
        'content-length': body.length,
        // Edits to demo/ show up on reload while `npm start` runs.
        'cache-control': 'no-cache',
        'x-content-type-options': 'nosniff',
        ...headers(pathname),
      })
      res.end(req.method === 'HEAD' ? undefined : body)
    } catch (error) {
      console.error('static-server:', error)
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' })
      res.end('Internal error\n')
    }
  })
}
