// Tests of the Node runtime's static assets: _headers rules, ETags and 304s, HEAD, traversal, fall-through.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Hono } from 'hono'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { parseHeadersFile, staticAssets } from './static-assets'

/** The `_headers` the widget build writes, taken from widget/vite.config.ts so the two cannot drift. */
const BUILD_HEADERS = /const HEADERS = `([^`]*)`/.exec(readFileSync('widget/vite.config.ts', 'utf8'))?.[1]

let dir: string
let root: string
let demo: string

function write(path: string, text: string) {
  writeFileSync(path, text)
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'static-assets-'))
  root = join(dir, 'widget')
  demo = join(dir, 'demo')
  for (const folder of [root, join(root, 'chunks'), join(root, 'sub'), join(root, 'empty'), demo, join(dir, 'outside')]) {
    mkdirSync(folder)
  }
  write(join(root, 'widget.js'), 'console.log("loader")')
  write(join(root, 'app.js'), 'export const app = 1')
  write(join(root, 'chunks', 'x-1a2b3c.js'), 'export const x = 1')
  write(join(root, 'index.html'), '<h1>root</h1>')
  write(join(root, 'sub', 'index.html'), '<h1>sub</h1>')
  write(join(root, 'style.css'), 'body{}')
  write(join(root, 'data.bin'), 'binary')
  write(join(root, '.env'), 'SECRET=1')
  write(join(root, '_headers'), BUILD_HEADERS ?? '')
  write(join(dir, 'outside', 'secret.txt'), 'secret')
  symlinkSync(join(dir, 'outside', 'secret.txt'), join(root, 'link-out.txt'))
  symlinkSync(join(dir, 'outside'), join(root, 'dir-out'))
  symlinkSync(join(root, 'widget.js'), join(root, 'link-in.js'))
  write(join(demo, 'index.html'), '<h1>demo</h1>')
  write(join(demo, 'travel.html'), '<h1>travel</h1>')
})

afterAll(() => {
  rmSync(dir, { recursive: true, force: true })
})

/** The widget at the site root, the demo under /demo, one API route, and a 404 that says it ran. */
function createApp() {
  const app = new Hono()
  app.use(staticAssets({ root }))
  app.use(staticAssets({ root: demo, prefix: '/demo/' }))
  app.get('/api/ping', (c) => c.text('pong'))
  app.post('/app.js', (c) => c.text('posted'))
  app.notFound((c) => c.text('fell through', 404))
  return app
}

describe('staticAssets', () => {
  it('reads the _headers of the widget build', () => {
    expect(BUILD_HEADERS).toContain('/chunks/*')
  })

  it('serves app.js as JavaScript with the allow-origin header and no long-term caching', async () => {
    const response = await createApp().request('/app.js')
    expect(response.status).toBe(200)
    expect(await response.text()).toBe('export const app = 1')
    expect(response.headers.get('content-type')).toBe('text/javascript; charset=utf-8')
    expect(response.headers.get('access-control-allow-origin')).toBe('*')
    expect(response.headers.get('cache-control')).toBe('public, max-age=0, must-revalidate')
    expect(response.headers.get('content-length')).toBe('20')
    expect(response.headers.get('x-content-type-options')).toBe('nosniff')
    expect(response.headers.get('etag')).toMatch(/^"[0-9a-f]{32}"$/)
  })

  it('serves the hashed chunks with the allow-origin header, immutable', async () => {
    const response = await createApp().request('/chunks/x-1a2b3c.js')
    expect(response.status).toBe(200)
    expect(response.headers.get('access-control-allow-origin')).toBe('*')
    expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable')
  })

  it('serves widget.js, a classic script, without allow-origin and not immutable', async () => {
    const response = await createApp().request('/widget.js')
    expect(response.status).toBe(200)
    expect(response.headers.get('access-control-allow-origin')).toBeNull()
    expect(response.headers.get('cache-control')).not.toContain('immutable')
  })

  it('takes the default Cache-Control from the options', async () => {
    const app = new Hono()
    app.use(staticAssets({ root, cacheControl: 'public, max-age=300' }))
    expect((await app.request('/widget.js')).headers.get('cache-control')).toBe('public, max-age=300')
    expect((await app.request('/chunks/x-1a2b3c.js')).headers.get('cache-control')).toContain('immutable')
  })

  it('sends no default Cache-Control to a request with credentials, as Cloudflare', async () => {
    const response = await createApp().request('/widget.js', { headers: { authorization: 'Bearer x' } })
    expect(response.headers.get('cache-control')).toBeNull()
  })

  it.each([
    ['/style.css', 'text/css; charset=utf-8'],
    ['/index.html', 'text/html; charset=utf-8'],
    ['/data.bin', 'application/octet-stream'],
  ])('gives %s the type %s', async (path, type) => {
    expect((await createApp().request(path)).headers.get('content-type')).toBe(type)
  })

  it('answers a matching If-None-Match with 304 and no body', async () => {
    const app = createApp()
    const etag = (await app.request('/chunks/x-1a2b3c.js')).headers.get('etag')!
    for (const ifNoneMatch of [etag, `W/${etag}`, `"other", ${etag}`, '*']) {
      const response = await app.request('/chunks/x-1a2b3c.js', { headers: { 'if-none-match': ifNoneMatch } })
      expect(response.status, ifNoneMatch).toBe(304)
      expect(await response.text()).toBe('')
      expect(response.headers.get('etag')).toBe(etag)
      expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable')
      expect(response.headers.get('content-type')).toBeNull()
    }
    const other = await app.request('/chunks/x-1a2b3c.js', { headers: { 'if-none-match': '"other"' } })
    expect(other.status).toBe(200)
  })

  it('changes the ETag when the file changes, and keeps it for the same content', async () => {
    const app = createApp()
    const path = join(root, 'widget.js')
    const before = (await app.request('/widget.js')).headers.get('etag')
    write(path, 'console.log("loader v2")')
    const after = await app.request('/widget.js', { headers: { 'if-none-match': before! } })
    expect(after.status).toBe(200)
    expect(await after.text()).toBe('console.log("loader v2")')
    expect(after.headers.get('etag')).not.toBe(before)
    write(path, 'console.log("loader")')
    // Written again, new mtime: the hash is computed again and comes out as before.
    expect((await app.request('/widget.js')).headers.get('etag')).toBe(before)
  })

  it('answers HEAD with the headers and length of GET and no body', async () => {
    const response = await createApp().request('/app.js', { method: 'HEAD' })
    expect(response.status).toBe(200)
    expect(await response.text()).toBe('')
    expect(response.headers.get('content-length')).toBe('20')
    expect(response.headers.get('access-control-allow-origin')).toBe('*')
    expect(response.headers.get('etag')).toMatch(/^"/)
  })

  it('hands unknown paths, API routes and other methods to the next handler', async () => {
    const app = createApp()
    expect(await (await app.request('/nope.js')).text()).toBe('fell through')
    expect(await (await app.request('/api/ping')).text()).toBe('pong')
    expect(await (await app.request('/app.js', { method: 'POST' })).text()).toBe('posted')
  })

  it.each([
    '/../outside/secret.txt',
    '/%2e%2e/outside/secret.txt',
    '/%2E%2E/outside/secret.txt',
    '/..%2foutside%2fsecret.txt',
    '/chunks/..%2f..%2foutside/secret.txt',
    '/chunks/%2e%2e%2f%2e%2e%2foutside%2fsecret.txt',
    '/..%5coutside%5csecret.txt',
    '/app.js%00',
    '/app.js%00.html',
    '/%E0%A4%A',
    '/link-out.txt',
    '/dir-out/secret.txt',
    '/.env',
    '/%2eenv',
    '/_headers',
    '/empty/',
    '/chunks/',
  ])('does not serve %s', async (path) => {
    const response = await createApp().request(path)
    expect(response.status).toBe(404)
    expect(await response.text()).toBe('fell through')
  })

  it('serves a symlink that stays inside the folder', async () => {
    expect(await (await createApp().request('/link-in.js')).text()).toBe('console.log("loader")')
  })

  it('serves index.html for a directory and adds the slash a directory URL lacks', async () => {
    const app = createApp()
    expect(await (await app.request('/')).text()).toBe('<h1>root</h1>')
    expect(await (await app.request('/sub/')).text()).toBe('<h1>sub</h1>')
    const redirect = await app.request('/sub?x=1')
    expect(redirect.status).toBe(301)
    expect(redirect.headers.get('location')).toBe('/sub/?x=1')
  })

  it('serves a second folder under its prefix', async () => {
    const app = createApp()
    expect(await (await app.request('/demo/')).text()).toBe('<h1>demo</h1>')
    expect(await (await app.request('/demo/travel.html')).text()).toBe('<h1>travel</h1>')
    expect((await app.request('/demo')).headers.get('location')).toBe('/demo/')
    expect(await (await app.request('/demox/travel.html')).text()).toBe('fell through')
    expect(await (await app.request('/travel.html')).text()).toBe('fell through')
  })

  it('applies an explicit headers file, and none when given null', async () => {
    const file = join(dir, 'demo-headers')
    write(file, '/*\n  X-Frame-Options: DENY\n')
    const withRules = new Hono().use(staticAssets({ root: demo, headersFile: file }))
    expect((await withRules.request('/travel.html')).headers.get('x-frame-options')).toBe('DENY')
    const without = new Hono().use(staticAssets({ root, headersFile: null }))
    expect((await without.request('/app.js')).headers.get('access-control-allow-origin')).toBeNull()
  })

  it('refuses a headers file that is not there, and a root that is not there', () => {
    expect(() => staticAssets({ root, headersFile: join(dir, 'missing') })).toThrow(/cannot read/)
    expect(() => staticAssets({ root: join(dir, 'missing') })).toThrow(/cannot serve/)
  })
})

describe('parseHeadersFile', () => {
  it('applies every matching rule in order, joining a header given by several', async () => {
    const file = join(dir, 'layered-headers')
    write(
      file,
      [
        '# site-wide',
        '/*',
        '  X-Frame-Options: DENY',
        '  Cache-Control: public',
        '/chunks/*',
        '  Cache-Control: max-age=60',
        '  Link: </:splat>; rel=canonical',
        '/chunks/:name',
        '  ! X-Frame-Options',
        '  X-Name: :name',
        '  X-Name: again',
      ].join('\n'),
    )
    const app = new Hono().use(staticAssets({ root, headersFile: file }))
    const chunk = await app.request('/chunks/x-1a2b3c.js')
    expect(chunk.headers.get('cache-control')).toBe('public, max-age=60')
    expect(chunk.headers.get('link')).toBe('</x-1a2b3c.js>; rel=canonical')
    expect(chunk.headers.get('x-frame-options')).toBeNull()
    expect(chunk.headers.get('x-name')).toBe('x-1a2b3c.js, again')
    const page = await app.request('/widget.js')
    expect(page.headers.get('x-frame-options')).toBe('DENY')
    expect(page.headers.get('cache-control')).toBe('public')
  })

  it('lists the lines it ignores', () => {
    const { rules, ignored } = parseHeadersFile(
      ['X-Early: 1', '/a/*/b/*', '  X-Two: splats', 'https://example.pages.dev/*', '  X-Host: 1', '/ok', '  not a header', '  Bad Name: x', '  X-Empty:', '/empty'].join('\n'),
    )
    expect(rules).toEqual([])
    expect(ignored).toHaveLength(8)
    expect(ignored.join('\n')).toMatch(/only one \*/)
    expect(ignored.join('\n')).toMatch(/absolute URL/)
  })

  it('warns once about ignored lines when the middleware is created', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const file = join(dir, 'bad-headers')
    write(file, '/x\n  nonsense\n')
    staticAssets({ root, headersFile: file })
    expect(warn).toHaveBeenCalledTimes(2)
    warn.mockRestore()
  })
})
