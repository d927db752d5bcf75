// The console's bench: its first-load JS (what dist/widget/console/index.html loads before the
// first list: its module scripts, modulepreloads and their static imports, gzip -9) against 60 KB,
// and the time from navigation, already signed in, to the first lead list rendered in Chromium at
// 4× CPU throttling on a Node stack holding ~50 leads, against 1 s on loopback. Used by
// `npm run bench`; `npm run bench:console` runs it alone.
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { brotliCompressSync, constants, gzipSync } from 'node:zlib'
import { chromium } from 'playwright-core'
import { CHROMIUM_ARGS, ROOT, adminRequest, chromiumPath, startStack } from '../test/e2e/harness.ts'

const CONSOLE_DIST = join(ROOT, 'dist', 'widget', 'console')
export const FIRST_LOAD_GOAL_BYTES = 60 * 1024
export const FIRST_LIST_GOAL_MS = 1000
const SITE = 'bench-console'
/** Rate limits far above 50 leads from one address (the schema's maximums). */
const SITE_CONFIG = {
  origins: [],
  country: 'RU',
  locale: 'ru',
  rateLimits: { perPhonePerHour: 1000, perIpPer10Minutes: 100000, perSitePerMinute: 1000000 },
  routing: {
    managers: [
      { id: 'olga', name: 'Ольга' },
      { id: 'pavel', name: 'Павел' },
    ],
  },
}

function sizes(buffer) {
  return {
    raw: buffer.length,
    gzip: gzipSync(buffer, { level: 9 }).length,
    brotli: brotliCompressSync(buffer, { params: { [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY } }).length,
  }
}
const sum = (list) => list.reduce((a, b) => ({ raw: a.raw + b.raw, gzip: a.gzip + b.gzip, brotli: a.brotli + b.brotli }), { raw: 0, gzip: 0, brotli: 0 })

/** A module's static imports (`import … from"./x.js"`, `import"./x.js"`), not its dynamic import()s. */
function staticImports(file, seen) {
  const code = readFileSync(join(CONSOLE_DIST, file), 'utf8')
  for (const [, spec] of code.matchAll(/(?:^|[;}\s])(?:import|export)\s*(?:[^"'()]*?from\s*)?["'](\.{1,2}\/[^"']+|\/console\/[^"']+)["']/g)) {
    const dep = spec.startsWith('/console/') ? spec.slice('/console/'.length) : join(dirname(file), spec).split('\\').join('/')
    if (!seen.has(dep)) {
      seen.add(dep)
      staticImports(dep, seen)
    }
  }
  return seen
}

/**
 * What the browser loads before it can show a list: index.html's `<script type="module" src>` and
 * `<link rel="modulepreload">`, and everything those import statically. Styles are counted apart.
 */
export function consoleFirstLoad() {
  const index = join(CONSOLE_DIST, 'index.html')
  if (!existsSync(index)) throw new Error('dist/widget/console/index.html is missing: run `npm run build` first')
  const html = readFileSync(index, 'utf8')
  const local = (url) => (url.startsWith('/console/') ? url.slice('/console/'.length) : relative(CONSOLE_DIST, join(CONSOLE_DIST, url)))
  const entries = [
    ...[...html.matchAll(/<script\b[^>]*\btype="module"[^>]*\bsrc="([^"]+)"/g)].map(([, src]) => src),
    ...[...html.matchAll(/<link\b[^>]*\brel="modulepreload"[^>]*\bhref="([^"]+)"/g)].map(([, href]) => href),
  ].map(local)
  if (entries.length === 0) throw new Error('dist/widget/console/index.html loads no module script')
  const files = [...entries.reduce((seen, file) => staticImports(file, seen.add(file)), new Set())]
  const styles = [...html.matchAll(/<link\b[^>]*\brel="stylesheet"[^>]*\bhref="([^"]+)"/g)].map(([, href]) => local(href))
  const js = sum(files.map((file) => sizes(readFileSync(join(CONSOLE_DIST, file)))))
  const css = sum(styles.map((file) => sizes(readFileSync(join(CONSOLE_DIST, file)))))
  return { files, js, styles, css, goalGzip: FIRST_LOAD_GOAL_BYTES, withinGoal: js.gzip <= FIRST_LOAD_GOAL_BYTES }
}

/** `count` leads over three campaigns and all three source types a person sends, a few repeats among them. */
async function seedLeads(worker, count) {
  const campaigns = ['spring', 'autumn', 'brand']
  const sources = ['callback', 'form', 'exit_intent']
  for (let i = 0; i < count; i++) {
    const response = await fetch(new URL('/v1/leads', worker), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        id: crypto.randomUUID(),
        site: SITE,
        source: sources[i % 3],
        contact: { name: `Лид ${i + 1}`, phone: `+7912${String(3_000_000 + (i % 45)).padStart(7, '0')}`, ...(i % 4 === 0 && { email: `lead${i}@mail.example` }) },
        message: i % 5 === 0 ? 'Перезвоните после шести, пожалуйста.' : undefined,
        context: { page: 'https://shop.example/flats', utm: { source: i % 2 ? 'yandex' : 'google', campaign: campaigns[i % 3] } },
        elapsedMs: 6000,
      }),
    })
    if (response.status !== 201) throw new Error(`seeding lead ${i}: ${response.status} ${await response.text()}`)
  }
}

/** The session cookie for a site token, as the console's sign-in would get it (POST /v1/console/session). */
async function sessionCookie(worker, token) {
  const response = await fetch(new URL('/v1/console/session', worker), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ token }),
  })
  if (response.status !== 200) throw new Error(`sign-in: ${response.status} ${await response.text()}`)
  const match = /(?:^|,\s*)lc_session=([^;]+)/.exec(response.headers.get('set-cookie') ?? '')
  if (!match) throw new Error('sign-in set no lc_session cookie')
  return match[1]
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]

/**
 * Each run in a fresh context (empty cache: the first visit of the day), the cookie set before the
 * navigation, so the console's own GET /v1/console/session finds the session and the inbox loads.
 * "Rendered" is the first animation frame after the list's first row is in the DOM.
 * @param {{ runs?: number, cpuThrottling?: number, leads?: number }} [options]
 */
export async function consoleBench({ runs = 7, cpuThrottling = 4, leads = 50 } = {}) {
  const firstLoad = consoleFirstLoad()
  const stack = await startStack({ runtime: 'node' })
  const browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS })
  const perRun = []
  try {
    const put = await adminRequest(stack, 'PUT', `/v1/admin/sites/${SITE}`, SITE_CONFIG)
    if (put.status >= 300) throw new Error(`PUT ${SITE}: ${put.status} ${JSON.stringify(put.body)}`)
    await seedLeads(stack.worker, leads)
    const token = await adminRequest(stack, 'POST', `/v1/admin/sites/${SITE}/tokens`, { label: 'bench' })
    if (token.status !== 201) throw new Error(`token: ${token.status} ${JSON.stringify(token.body)}`)
    const cookie = await sessionCookie(stack.worker, token.body.token)
    const url = new URL('/console/#/leads', stack.worker).href

    // One unmeasured run: Chromium's own first start of a renderer is not the console's cost.
    for (let i = 0; i <= runs; i++) {
      const context = await browser.newContext({ locale: 'ru-RU', viewport: { width: 1280, height: 800 } })
      await context.addCookies([{ name: 'lc_session', value: cookie, url: stack.worker, httpOnly: true, sameSite: 'Strict' }])
      const page = await context.newPage()
      const cdp = await context.newCDPSession(page)
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: cpuThrottling })
      await page.addInitScript(() => {
        const mark = { domMs: null, paintMs: null, rows: 0 }
        window.__firstList = mark
        new MutationObserver((_, observer) => {
          const list = document.querySelector('ul.lead-list')
          if (!list || list.children.length === 0) return
          observer.disconnect()
          mark.domMs = performance.now()
          mark.rows = list.children.length
          requestAnimationFrame(() => (mark.paintMs = performance.now()))
        }).observe(document, { childList: true, subtree: true })
      })
      await page.goto(url, { waitUntil: 'commit' })
      await page.waitForFunction(() => window.__firstList.paintMs !== null, null, { timeout: 30_000, polling: 50 })
      const run = await page.evaluate(() => {
        const resource = (part) => performance.getEntriesByType('resource').find((e) => e.name.includes(part))
        const js = resource('/console/assets/') ?? null
        const session = resource('/v1/console/session') ?? null
        const list = resource('/v1/admin/leads') ?? null
        const nav = performance.getEntriesByType('navigation')[0]
        return {
          ms: window.__firstList.paintMs,
          domMs: window.__firstList.domMs,
          rows: window.__firstList.rows,
          htmlMs: nav ? nav.responseEnd : null,
          jsLoadedMs: js ? js.responseEnd : null,
          sessionMs: session ? session.responseEnd - session.startTime : null,
          leadsRequestMs: list ? list.responseEnd - list.startTime : null,
          leadsAnsweredMs: list ? list.responseEnd : null,
        }
      })
      await context.close()
      if (i > 0) perRun.push(run)
    }
  } finally {
    await browser.close()
    await stack.stop()
  }
  const times = perRun.map((r) => r.ms)
  const pick = (key) => median(perRun.map((r) => r[key]).filter((v) => v !== null))
  const firstList = {
    runs,
    cpuThrottling,
    leads,
    rowsShown: Math.min(...perRun.map((r) => r.rows)),
    medianMs: median(times),
    worstMs: Math.max(...times),
    goalMs: FIRST_LIST_GOAL_MS,
    withinGoal: Math.max(...times) <= FIRST_LIST_GOAL_MS,
    /** Medians of the milestones, ms since navigation start (the requests' own durations apart). */
    milestones: {
      htmlMs: pick('htmlMs'),
      jsLoadedMs: pick('jsLoadedMs'),
      sessionRequestMs: pick('sessionMs'),
      leadsRequestMs: pick('leadsRequestMs'),
      leadsAnsweredMs: pick('leadsAnsweredMs'),
      listInDomMs: pick('domMs'),
    },
    perRunMs: times,
  }
  return { results: { date: new Date().toISOString(), firstLoad, firstList }, rows: consoleRows({ firstLoad, firstList }) }
}

const kb = (n) => `${(n / 1024).toFixed(1)} KB`
const ms = (n) => `${n.toFixed(0)} ms`

/** Table rows for bench.mjs: [section, measure, value, detail]. */
export function consoleRows({ firstLoad: f, firstList: l }) {
  const m = l.milestones
  return [
    [
      'console',
      `first-load JS (${f.files.join(' + ')})`,
      `${kb(f.js.gzip)} gz`,
      `goal ≤ ${kb(f.goalGzip)}: ${f.withinGoal ? 'met' : 'MISSED'}; ${kb(f.js.raw)} raw, ${kb(f.js.brotli)} br; CSS ${kb(f.css.gzip)} gz apart`,
    ],
    [
      'console',
      `navigation → first lead list (${l.cpuThrottling}× CPU, ${l.leads} leads, signed in)`,
      `${ms(l.medianMs)} median`,
      `worst ${ms(l.worstMs)} of ${l.runs} runs; goal ≤ ${ms(l.goalMs)}: ${l.withinGoal ? 'met' : 'MISSED'}; ${l.rowsShown} rows`,
    ],
    [
      'console',
      'where the time goes (medians, since navigation)',
      `JS in at ${ms(m.jsLoadedMs)}`,
      `html ${ms(m.htmlMs)}, session ${ms(m.sessionRequestMs)}, leads request ${ms(m.leadsRequestMs)} answered at ${ms(m.leadsAnsweredMs)}, rows in DOM ${ms(m.listInDomMs)}`,
    ],
    ['console', 'each run', l.perRunMs.map((t) => t.toFixed(0)).join(' / ') + ' ms', 'fresh context each (empty cache)'],
  ]
}
