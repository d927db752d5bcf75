// The bench's table in docs/performance.md comes from results.json: a run replaces only the
// sections it measured, the block is rewritten between its markers and nothing else moves, and a
// cell's text cannot break the table.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { BEGIN, DOC, END, latestBlock, latestRunMarkdown, mergeTables, tableFromMarkdown, withLatestRun } from '../scripts/bench-report.mjs'

const FULL = { date: '2026-12-04T18:07:32.490Z', commit: '81c7eab', node: 'v22.23.5' }
const LATER = { date: '2026-12-05T09:00:00.000Z', commit: 'abc1234', node: 'v22.23.5' }

describe('the bench table', () => {
  const full = mergeTables(
    undefined,
    [
      ['weight', 'first load', '3.6 KB gz', 'what the tag downloads'],
      ['ingest', 'ours', '203/s', 'p50 77 ms'],
      ['ingest', 'share', '45 %', 'of bare'],
      ['node ingest', 'ours', '838/s', ''],
    ],
    FULL,
  )

  it('replaces only the sections a later part measured, where they stood, and appends new ones', () => {
    const after = mergeTables(
      full,
      [
        ['ingest', 'share, median of 3', '47 %', 'rounds 47 %, 48 %, 41 %'],
        ['worker profile', 'd1-api', '30.5 %', ''],
      ],
      LATER,
    )
    expect(after.map((r) => [r.section, r.measure, r.commit])).toEqual([
      ['weight', 'first load', '81c7eab'],
      ['ingest', 'share, median of 3', 'abc1234'],
      ['node ingest', 'ours', '81c7eab'],
      ['worker profile', 'd1-api', 'abc1234'],
    ])
  })

  it('renders a table per section, headed by its date and commit, with pipes and line breaks kept inside their cells', () => {
    const markdown = latestRunMarkdown(mergeTables(full, [['ingest', 'a | b', '1\n2', 'x']], LATER))
    expect(markdown).toContain('**weight**, 2026-12-04 18:07 UTC at `81c7eab`, Node v22.23.5:')
    expect(markdown).toContain('**ingest**, 2026-12-05 09:00 UTC at `abc1234`')
    expect(markdown).toContain('| a \\| b | 1 2 | x |')
    for (const line of markdown.split('\n').filter((l) => l.startsWith('|'))) expect(line.split(/(?<!\\)\|/).length).toBe(5)
    expect(latestRunMarkdown(undefined)).toMatch(/npm run bench/)
  })

  it('reads its own Markdown back, so a part run in a fresh clone keeps the sections it does not measure', () => {
    const table = mergeTables(full, [['ingest', 'a | b', '1', 'x | y']], LATER)
    const markdown = latestRunMarkdown(table)
    const read = tableFromMarkdown(markdown)
    expect(latestRunMarkdown(read)).toBe(markdown)
    expect(read.find((r) => r.measure === 'a | b')).toMatchObject({ section: 'ingest', value: '1', detail: 'x | y', commit: 'abc1234', node: 'v22.23.5' })
    // The document's own block, whatever it holds now, comes back as it is.
    const block = latestBlock(readFileSync(DOC, 'utf8'))
    expect(block).not.toBeNull()
    const rows = tableFromMarkdown(block!)
    expect(rows.length).toBeGreaterThan(10)
    expect(latestRunMarkdown(rows)).toBe(block)
    // An ingest part run then replaces ingest alone.
    const after = latestRunMarkdown(mergeTables(rows, [['ingest', 'share', '60 %', '']], LATER))
    expect(after).toContain('**weight**')
    expect(after).toContain('| share | 60 % |  |')
    expect(latestBlock('# no markers')).toBeNull()
  })

  it('rewrites only the block between the markers, and refuses a document without them', () => {
    const doc = `# Performance\n\nintro\n\n${BEGIN}\nold figures\n${END}\n\nanalysis\n`
    const next = withLatestRun(doc, 'new figures')
    expect(next).toBe(`# Performance\n\nintro\n\n${BEGIN}\nnew figures\n${END}\n\nanalysis\n`)
    expect(withLatestRun(next, 'new figures')).toBe(next)
    expect(() => withLatestRun('# Performance\n', 'x')).toThrow(/markers/)
  })

  it('has its markers in docs/performance.md, in order', () => {
    const doc = readFileSync(DOC, 'utf8')
    expect(doc.indexOf(BEGIN)).toBeGreaterThan(-1)
    expect(doc.indexOf(END)).toBeGreaterThan(doc.indexOf(BEGIN))
  })
})
