#!/usr/bin/env node
// Prints raw / gzip -9 / brotli sizes of every file in dist/widget and exits 1 when a file is over
// its budget. Plain Node, no dependencies: `npm run size` after `npm run build`.
import { existsSync, readFileSync, readdirSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { brotliCompressSync, constants, gzipSync } from 'node:zlib'

/**
 * Gzipped bytes (level 9) per file, path relative to dist/widget; 1 KB = 1024 bytes. widget.js is
 * what every visitor downloads on every page, so it is the one that matters. A later issue makes
 * it a launcher-only facade that lazy-loads the form, and lowers this to 8 KB.
 */
const BUDGETS = {
  'widget.js': 16 * 1024,
}

const DIST = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'widget')

function listFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name)
    return entry.isDirectory() ? listFiles(path) : [path]
  })
}

function measure(path) {
  const bytes = readFileSync(path)
  return {
    file: relative(DIST, path).split('\\').join('/'),
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

const rows = listFiles(DIST).sort().map(measure)
const failures = []
for (const [file, budget] of Object.entries(BUDGETS)) {
  const row = rows.find((r) => r.file === file)
  if (!row) failures.push(`${file} is missing from dist/widget`)
  else if (row.gzip > budget)
    failures.push(`${file} is ${kb(row.gzip)} gzipped, over its ${kb(budget)} budget`)
}

const table = [
  ['file', 'raw', 'gzip -9', 'brotli', 'budget (gzip)'],
  ...rows.map((r) => [
    r.file,
    kb(r.raw),
    kb(r.gzip),
    kb(r.brotli),
    r.file in BUDGETS
      ? `${kb(BUDGETS[r.file])}${r.gzip > BUDGETS[r.file] ? '  OVER' : '  ok'}`
      : '-',
  ]),
]
const widths = table[0].map((_, col) => Math.max(...table.map((row) => row[col].length)))
for (const row of table) {
  console.log(
    row
      .map((cell, col) => (col === 0 ? cell.padEnd(widths[col]) : cell.padStart(widths[col])))
      .join('  '),
  )
}

if (failures.length > 0) {
  for (const failure of failures) console.error(`size budget: ${failure}`)
  process.exit(1)
}
