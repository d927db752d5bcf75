// The console's rules in the Cloudflare `_headers` file of dist/widget, which Workers Static Assets
// and the Node server (worker/src/node/static-assets.ts) both apply. The console build appends them
// after the widget build wrote the file, so the widget's own rules stay byte for byte as they were.

export const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
].join('; ')

/**
 * The live preview's frame (preview.html, src/preview/): framed by the console itself, so
 * `frame-ancestors 'self'`; it runs the widget's scripts (widget.js, app.js, chunks) and its own,
 * all from this origin, and reaches the network only through the console (postMessage): no
 * connect-src. The sandbox gives it an opaque origin; `'self'` still names the URL's origin.
 */
export const PREVIEW_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "frame-ancestors 'self'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ')

const BEGIN = '# console: begin (widget/console/vite.config.ts)'
const END = '# console: end'

/**
 * Every console page gets the CSP; index.html (served for `/console/`) is never cached, so a new
 * build's hashed file names reach the browser at once; the hashed assets are cached for good.
 * preview.html swaps the CSP for its own (a `!` line drops the one of `/console/*`), and its
 * scripts are module scripts fetched from an opaque origin, in CORS mode: they need an
 * allow-origin header, like the widget's app.js (public code, no credentials: `*`).
 * The Cache-Control rules do not overlap: a header set by two matching rules would be joined.
 */
export const CONSOLE_HEADERS = `${BEGIN}
/console/*
  Content-Security-Policy: ${CONSOLE_CSP}
  Referrer-Policy: no-referrer
  X-Content-Type-Options: nosniff
/console/
  Cache-Control: no-store
/console/index.html
  Cache-Control: no-store
/console/assets/*
  Cache-Control: public, max-age=31536000, immutable
  Access-Control-Allow-Origin: *
/console/preview.html
  ! Content-Security-Policy
  Content-Security-Policy: ${PREVIEW_CSP}
  Cache-Control: no-store
${END}
`

/**
 * The `_headers` text with the console's block at its end, replacing one a previous console build
 * left there, so running the console build twice changes nothing.
 * @example
 * writeFileSync(path, withConsoleHeaders(existsSync(path) ? readFileSync(path, 'utf8') : ''))
 */
export function withConsoleHeaders(existing: string): string {
  const start = existing.indexOf(BEGIN)
  const end = existing.indexOf(END, start)
  const before = start === -1 ? existing : existing.slice(0, start) + existing.slice(end === -1 ? existing.length : end + END.length + 1)
  return `${before}${before === '' || before.endsWith('\n') ? '' : '\n'}${CONSOLE_HEADERS}`
}
