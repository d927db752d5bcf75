// The bench's table in docs/performance.md: every row of the latest runs, written from
// artifacts/bench/results.json between two markers, so the figures there are the bench's own and
// never copied by hand. `npm run bench` (and each BENCH_ONLY part) rewrites the block when it
// writes results.json; `node scripts/bench-report.mjs` rewrites it from the results.json there is.
import { execFileSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const BEGIN = '<!-- bench:latest begin: written by the bench from artifacts/bench/results.json; edits here are lost -->'
export const END = '<!-- bench:latest end -->'

const ROOT = join(fileURLToPath(new URL('.', import.meta.url)), '..')
export const DOC = join(ROOT, 'docs', 'performance.md')

/**
 * The table after a run: the run's rows, stamped with when and where they were measured, replace
 * the earlier rows of the same sections where those stood; the other sections' rows stay as they
 * were (a BENCH_ONLY part measures only its own).
 */
export function mergeTables(previous, rows, stamp) {
  const fresh = new Map()
  for (const [section, measure, value, detail] of rows) {
    if (!fresh.has(section)) fresh.set(section, [])
    fresh.get(section).push({ section, measure, value, detail, ...stamp })
  }
  const merged = []
  const placed = new Set()
  for (const row of previous ?? []) {
    if (!fresh.has(row.section)) merged.push(row)
    else if (!placed.has(row.section)) {
      merged.push(...fresh.get(row.section))
      placed.add(row.section)
    }
  }
  for (const [section, sectionRows] of fresh) if (!placed.has(section)) merged.push(...sectionRows)
  return merged
}

const cell = (text) => String(text).replaceAll('|', '\\|').replaceAll('\n', ' ')

/** The block's Markdown: one table per section, each headed by when and at which commit it ran. */
export function latestRunMarkdown(table) {
  if (!Array.isArray(table) || table.length === 0) return 'No bench table yet: run `npm run bench`.'
  const groups = []
  for (const row of table) {
    const last = groups.at(-1)
    if (last && last.section === row.section && last.date === row.date && last.commit === row.commit) last.rows.push(row)
    else groups.push({ section: row.section, date: row.date, commit: row.commit, node: row.node, rows: [row] })
  }
  return groups
    .map((g) =>
      [
        `**${cell(g.section)}**, ${g.date.slice(0, 16).replace('T', ' ')} UTC at \`${g.commit}\`${g.node ? `, Node ${g.node}` : ''}:`,
        '',
        '| measure | value | detail |',
        '| --- | --- | --- |',
        ...g.rows.map((r) => `| ${cell(r.measure)} | ${cell(r.value)} | ${cell(r.detail)} |`),
      ].join('\n'),
    )
    .join('\n\n')
}

/** The block's text between the markers, or null when the document has none. */
export function latestBlock(doc) {
  const start = doc.indexOf(BEGIN)
  const end = start === -1 ? -1 : doc.indexOf(END, start)
  return start === -1 || end === -1 ? null : doc.slice(start + BEGIN.length, end).trim()
}

const HEADING = /^\*\*(.+)\*\*, (\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}) UTC at `([^`]+)`(?:, Node ([^:]+))?:$/
const uncell = (text) => text.trim().replaceAll('\\|', '|')

/**
 * The table back from the block's Markdown (what latestRunMarkdown wrote), for a BENCH_ONLY part
 * run where there is no results.json (a fresh clone): the sections it does not measure stay as
 * the document has them instead of vanishing. Dates keep the minutes the block shows.
 */
export function tableFromMarkdown(markdown) {
  const table = []
  let group = null
  for (const line of markdown.split('\n')) {
    const heading = HEADING.exec(line)
    if (heading) {
      const [, section, day, time, commit, node] = heading
      group = { section: section.replaceAll('\\|', '|'), date: `${day}T${time}:00.000Z`, commit, ...(node !== undefined && { node }) }
      continue
    }
    if (group === null || !line.startsWith('| ') || line.startsWith('| measure |') || line.startsWith('| --- |')) continue
    const cells = line.slice(1, -1).split(/(?<!\\)\|/)
    if (cells.length !== 3) continue
    const [measure, value, detail] = cells.map(uncell)
    table.push({ section: group.section, measure, value, detail, date: group.date, commit: group.commit, ...(group.node !== undefined && { node: group.node }) })
  }
  return table
}

/** The document with its block replaced; everything outside the markers is left as it was. */
export function withLatestRun(doc, block) {
  const start = doc.indexOf(BEGIN)
  const end = start === -1 ? -1 : doc.indexOf(END, start)
  if (start === -1 || end === -1 || end < start) throw new Error(`docs/performance.md lacks its bench markers (${BEGIN} … ${END})`)
  return `${doc.slice(0, start + BEGIN.length)}\n${block}\n${doc.slice(end)}`
}

/** The commit measured: HEAD, marked when the tree had changes of its own (read when the run starts). */
export function measuredCommit() {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim()
    // The doc this script writes is no change of the code measured.
    const changes = execFileSync('git', ['status', '--porcelain', '--untracked-files=no', '--', '.', ':!docs/performance.md'], { cwd: ROOT, encoding: 'utf8' })
    const dirty = changes.trim() !== ''
    return dirty ? `${head} + uncommitted changes` : head
  } catch {
    return 'unknown'
  }
}

export function writeLatestRun(results, doc = DOC) {
  writeFileSync(doc, withLatestRun(readFileSync(doc, 'utf8'), latestRunMarkdown(results.table)))
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const results = JSON.parse(readFileSync(join(ROOT, 'artifacts', 'bench', 'results.json'), 'utf8'))
  writeLatestRun(results)
  console.log(`written: docs/performance.md (the bench's table, ${results.table?.length ?? 0} rows)`)
}
