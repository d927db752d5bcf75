// The editor's JSON reader: every value's range slices back to that value, it accepts what
// JSON.parse accepts and refuses what it refuses, and a mistake comes with its line and column.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { fuzzSeed } from '../../../../shared/testing/fuzz-seed'
import { lineColumn, readJson } from './json-ranges'

// The run's seed (printed by vitest.config.ts; FUZZ_SEED=<n> replays it).
fc.configureGlobal({ seed: fuzzSeed() })

describe('readJson', () => {
  it('records where each value sits, by the dot path the checker uses', () => {
    const text = '{\n  "id": "x",\n  "nodes": [\n    { "id": "a", "next": "b" },\n    { "id": "b" }\n  ]\n}'
    const read = readJson(text)
    if (!read.ok) throw new Error('expected valid JSON')
    const at = (path: string) => {
      const range = read.ranges.get(path)!
      return text.slice(range.start, range.end)
    }
    expect(at('id')).toBe('"x"')
    expect(at('nodes.0.next')).toBe('"b"')
    expect(JSON.parse(at('nodes.1'))).toEqual({ id: 'b' })
    expect(at('')).toBe(text)
  })

  it.each([
    ['{"a": 1,}', 'trailing_comma', 1, 9],
    ['{\n  "a": 1\n  "b": 2\n}', 'expected_comma_or_brace', 3, 3],
    ['{"a" 1}', 'expected_colon', 1, 6],
    ['{"a": "b\n"}', 'string_not_closed', 1, 9],
    ['{"a": tru}', 'expected_value', 1, 7],
    ['{"a": [1, 2', 'expected_comma_or_bracket', 1, 12],
    ['{"a": 1} x', 'text_after_end', 1, 10],
    ['{"a": "\\x"}', 'bad_escape', 1, 8],
    ["{'a': 1}", 'expected_key', 1, 2],
    ['', 'unexpected_end', 1, 1],
  ])('finds the mistake in %j: %s at line %i, column %i', (text, code, line, column) => {
    expect(readJson(text)).toMatchObject({ ok: false, code, line, column })
    expect(() => JSON.parse(text)).toThrow()
  })

  it('agrees with JSON.parse on any JSON value, and every range slices back to its value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.boolean(), (value, pretty) => {
        const text = JSON.stringify(value, null, pretty ? 2 : undefined)
        const read = readJson(text)
        expect(read.ok).toBe(true)
        if (!read.ok) return
        expect(read.value).toEqual(JSON.parse(text))
        for (const range of read.ranges.values()) expect(() => JSON.parse(text.slice(range.start, range.end))).not.toThrow()
      }),
    )
  })

  it('refuses exactly what JSON.parse refuses, on texts cut short or with a character changed', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.nat(), fc.constantFrom('', ',', '}', ']', '"', ':', 'x', '\n'), (value, at, insert) => {
        const text = JSON.stringify(value, null, 1)
        const cut = at % (text.length + 1)
        const changed = text.slice(0, cut) + insert + text.slice(cut + 1)
        let parses = true
        try {
          JSON.parse(changed)
        } catch {
          parses = false
        }
        expect(readJson(changed).ok).toBe(parses)
      }),
    )
  })

  it('counts lines and columns from 1', () => {
    expect(lineColumn('ab\ncd', 0)).toEqual({ line: 1, column: 1 })
    expect(lineColumn('ab\ncd', 4)).toEqual({ line: 2, column: 2 })
  })
})
