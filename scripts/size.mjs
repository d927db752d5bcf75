#!/usr/bin/env node
// Prints raw / gzip -9 / brotli sizes of every file in dist/widget, split into the first load (what
// the tag downloads before any interaction) and lazy chunks, and exits 1 when a budget is exceeded.
// The console (dist/widget/console/, served beside the widget) is no part of the widget's budgets:
// it is measured apart, against its own. Plain Node, no dependencies: `npm run size` after `npm run build`.
import { existsSync, readFileSync, readdirSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { brotliCompressSync, constants, gzipSync } from 'node:zlib'
import { REFERENCE_COUNTRIES, heaviestCountries, phoneMetadataBody } from './phone-metadata-weight.mjs'

/**
 * Gzipped bytes (level 9) per file, path relative to dist/widget; 1 KB = 1024 bytes. widget.js is
 * the first load: every visitor downloads it on every page. Everything else is a lazy chunk that
 * widget.js imports on first use or idle; the app budget keeps the form from growing unnoticed.
 */
const FIRST_LOAD = ['widget.js']
// Issue 20's budget: the brand, the chat launcher and their CSS had to fit under it.
const FIRST_LOAD_BUDGET = 3.6 * 1024
/**
 * What the form needs to show, loaded on first use or idle: app.js (outbox, exit intent, the API),
 * the view chunk (Preact and the forms) and one language's texts, each with what it imports
 * statically. They are evaluated in separate tasks, but the visitor waits for all: one budget.
 */
const APP_ENTRY = 'app.js'
const VIEW_CHUNK = /^chunks\/view-[\w-]+\.js$/
/** Each language's texts; the view loads the visitor's one beside it. */
const STRINGS_CHUNK = /^chunks\/strings-[a-z]+-[\w-]+\.js$/
const APP_BUDGET = 20 * 1024
/** Issue 18: every file a visitor can ever load, with the phone metadata of a reference site. */
const FULL_BUDGET = 45 * 1024
const BUDGETS = {
  'widget.js': FIRST_LOAD_BUDGET,
}

const DIST = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'widget')
/** The console's folder inside DIST, and what its index.html loads before the first list. */
const CONSOLE = 'console'
const CONSOLE_FIRST_LOAD_BUDGET = 60 * 1024

function listFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name)
    return entry.isDirectory() ? listFiles(path) : [path]
  })
}

function measure(path) {
  return measureBytes(relative(DIST, path).split('\\').join('/'), readFileSync(path))
}

function measureBytes(file, bytes) {
  return {
    file,
    raw: bytes.length,
    gzip: gzipSync(bytes, { level: 9 }).length,
    brotli: brotliCompressSync(bytes, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
        [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
      },
    }).length,
  }
}

const kb = (bytes) => `${(bytes / 1024).toFixed(2)} KB`

if (!existsSync(DIST)) {
  console.error('dist/widget does not exist; run `npm run build` first.')
  process.exit(1)
}

// Code only: _headers and the like are not downloaded by the visitor.
const rows = listFiles(DIST)
  .filter((path) => path.endsWith('.js') && !relative(DIST, path).split('\\').join('/').startsWith(`${CONSOLE}/`))
  .sort()
  .map(measure)
const failures = []
for (const [file, budget] of Object.entries(BUDGETS)) {
  const row = rows.find((r) => r.file === file)
  if (!row) failures.push(`${file} is missing from dist/widget`)
  else if (row.gzip > budget) failures.push(`${file} is ${kb(row.gzip)} gzipped, over its ${kb(budget)} budget`)
}

/** A module's static imports (`import … from"./chunks/x.js"`), not its dynamic import()s. */
function staticDeps(file, seen = new Set([file])) {
  const code = readFileSync(join(DIST, file), 'utf8')
  for (const [, spec] of code.matchAll(/(?:^|[;}\s])import\s*(?:[^"'()]*?from\s*)?["']\.\/([^"']+)["']/g)) {
    const dep = join(dirname(file), spec).split('\\').join('/')
    if (!seen.has(dep)) staticDeps(dep, seen.add(dep))
  }
  return seen
}

const viewChunk = rows.find((r) => VIEW_CHUNK.test(r.file))?.file
if (!viewChunk) failures.push('no chunks/view-*.js: the view must be a chunk of its own')
const coreGroup = existsSync(join(DIST, APP_ENTRY)) ? [...new Set([...staticDeps(APP_ENTRY), ...(viewChunk ? staticDeps(viewChunk) : [])])] : []
const gzipOf = (files) => rows.filter((r) => files.includes(r.file)).reduce((sum, r) => sum + r.gzip, 0)
// One language's texts come with the view (widget/src/core/load-strings.ts): the heavier one counts.
const stringsChunks = rows.filter((r) => STRINGS_CHUNK.test(r.file)).map((r) => r.file)
if (stringsChunks.length === 0) failures.push('no chunks/strings-*.js: each language must be a chunk of its own')
const stringsGroup = stringsChunks
  .map((file) => [...staticDeps(file)].filter((dep) => !coreGroup.includes(dep)))
  .reduce((heaviest, files) => (gzipOf(files) > gzipOf(heaviest) ? files : heaviest), [])
const appGroup = [...coreGroup, ...stringsGroup]
const appLoad = gzipOf(appGroup)
if (appLoad > APP_BUDGET) {
  failures.push(`app.js and the view with their static imports are ${kb(appLoad)} gzipped, over ${kb(APP_BUDGET)}`)
}

const firstLoad = rows.filter((r) => FIRST_LOAD.includes(r.file)).reduce((sum, r) => sum + r.gzip, 0)
if (firstLoad > FIRST_LOAD_BUDGET) {
  failures.push(`the first load is ${kb(firstLoad)} gzipped, over its ${kb(FIRST_LOAD_BUDGET)} budget`)
}

const table = [
  ['file', 'load', 'raw', 'gzip -9', 'brotli', 'budget (gzip)'],
  ...rows.map((r) => [
    r.file,
    FIRST_LOAD.includes(r.file) ? 'first' : appGroup.includes(r.file) ? 'use/idle' : 'lazy',
    kb(r.raw),
    kb(r.gzip),
    kb(r.brotli),
    r.file in BUDGETS ? `${kb(BUDGETS[r.file])}${r.gzip > BUDGETS[r.file] ? '  OVER' : '  ok'}` : '-',
  ]),
]
const widths = table[0].map((_, col) => Math.max(...table.map((row) => row[col].length)))
for (const row of table) {
  console.log(row.map((cell, col) => (col === 0 ? cell.padEnd(widths[col]) : cell.padStart(widths[col]))).join('  '))
}

console.log(`first load: ${kb(firstLoad)} gzipped (budget ${kb(FIRST_LOAD_BUDGET)})`)
console.log(`on first use or idle (${appGroup.join(' + ')}): ${kb(appLoad)} gzipped (budget ${kb(APP_BUDGET)})`)
console.log('lazy: loaded only when needed (phone metadata when the form shows, chat on open)')

// Everything: every file above and the phone metadata the worker serves for the site's countries.
const metadata = measureBytes('phone metadata', phoneMetadataBody())
const full = rows.reduce((sum, r) => sum + r.gzip, metadata.gzip)
console.log(
  `phone metadata (GET /v1/sites/:site/phone-metadata) for ${REFERENCE_COUNTRIES.join(', ')}: ${kb(metadata.raw)} raw, ${kb(metadata.gzip)} gzipped` +
    ` (the 21 countries with the most formats, the most a site can name: ${kb(measureBytes('', phoneMetadataBody(heaviestCountries())).gzip)})`,
)
console.log(`everything a visitor can load (${rows.length} files + the metadata): ${kb(full)} gzipped (budget ${kb(FULL_BUDGET)})`)
if (full > FULL_BUDGET) failures.push(`everything a visitor can load is ${kb(full)} gzipped, over ${kb(FULL_BUDGET)}`)

// The console: every script and stylesheet its index.html names (it has no lazy chunks).
const consoleIndex = join(DIST, CONSOLE, 'index.html')
if (existsSync(consoleIndex)) {
  const html = readFileSync(consoleIndex, 'utf8')
  const assets = [...html.matchAll(/(?:src|href)="\/console\/([^"]+\.(?:js|css))"/g)].map(([, file]) => join(DIST, CONSOLE, file))
  const measured = assets.map(measure)
  const js = measured.filter((r) => r.file.endsWith('.js')).reduce((sum, r) => sum + r.gzip, 0)
  for (const r of measured) console.log(`${r.file}  ${kb(r.raw)} raw  ${kb(r.gzip)} gzip -9  ${kb(r.brotli)} brotli`)
  console.log(`console first load: ${kb(js)} of JS gzipped (budget ${kb(CONSOLE_FIRST_LOAD_BUDGET)})`)
  if (js > CONSOLE_FIRST_LOAD_BUDGET) failures.push(`the console's first-load JS is ${kb(js)} gzipped, over ${kb(CONSOLE_FIRST_LOAD_BUDGET)}`)
} else {
  console.log('console: not built (dist/widget/console/index.html is missing)')
}

if (failures.length > 0) {
  for (const failure of failures) console.error(`size budget: ${failure}`)
  process.exit(1)
}
