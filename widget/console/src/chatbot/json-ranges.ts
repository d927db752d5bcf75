// Reads the flow editor's JSON text: the value, where every value sits in the text (by the dot path
// the checker names, `nodes.3.next`), and for a broken text the line and column of the mistake.
// JSON.parse says where only in engine-specific words, so a small scanner of our own finds it.

/** Character offsets into the text, `end` exclusive. */
export interface TextRange {
  start: number
  end: number
}

export type JsonRead = { ok: true; value: unknown; ranges: Map<string, TextRange> } | { ok: false; code: JsonErrorCode; offset: number; line: number; column: number }

/** Line and column (both from 1) of an offset. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset)
  const line = before.split('\n').length
  return { line, column: offset - before.lastIndexOf('\n') }
}

/** What is wrong with a text that is not JSON; the page words it (strings.ts). */
export type JsonErrorCode =
  | 'bad_unicode'
  | 'bad_escape'
  | 'string_not_closed'
  | 'control_character'
  | 'trailing_comma'
  | 'expected_key'
  | 'expected_colon'
  | 'expected_comma_or_brace'
  | 'expected_comma_or_bracket'
  | 'unexpected_end'
  | 'expected_value'
  | 'text_after_end'

class JsonSyntaxError extends Error {
  constructor(
    readonly code: JsonErrorCode,
    readonly offset: number,
  ) {
    super(code)
  }
}

const WHITESPACE = new Set([' ', '\t', '\n', '\r'])
const ESCAPES = new Set(['"', '\\', '/', 'b', 'f', 'n', 'r', 't'])
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y

/** Records each value's range under its path; the values themselves come from JSON.parse. */
function scan(text: string): Map<string, TextRange> {
  const ranges = new Map<string, TextRange>()
  let i = 0
  const fail = (code: JsonErrorCode, at = i): never => {
    throw new JsonSyntaxError(code, at)
  }
  const skip = () => {
    while (i < text.length && WHITESPACE.has(text[i]!)) i++
  }
  const expect = (char: string, code: JsonErrorCode) => {
    skip()
    if (text[i] !== char) fail(code)
    i++
  }
  const string = (): string => {
    const start = i
    i++ // the opening quote
    while (i < text.length) {
      const char = text[i]!
      if (char === '"') {
        i++
        return JSON.parse(text.slice(start, i)) as string
      }
      if (char === '\\') {
        const escaped = text[i + 1]
        if (escaped === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) fail('bad_unicode')
          i += 6
        } else if (escaped !== undefined && ESCAPES.has(escaped)) i += 2
        else fail('bad_escape')
        continue
      }
      if (char < ' ') fail(char === '\n' ? 'string_not_closed' : 'control_character')
      i++
    }
    return fail('string_not_closed', start)
  }
  const value = (path: string) => {
    skip()
    const start = i
    const char = text[i]
    if (char === '{') {
      i++
      skip()
      if (text[i] === '}') i++
      else {
        for (;;) {
          skip()
          if (text[i] !== '"') fail(text[i] === '}' ? 'trailing_comma' : 'expected_key')
          const key = string()
          expect(':', 'expected_colon')
          value(path === '' ? key : `${path}.${key}`)
          skip()
          if (text[i] === ',') {
            i++
            continue
          }
          if (text[i] === '}') {
            i++
            break
          }
          fail('expected_comma_or_brace')
        }
      }
    } else if (char === '[') {
      i++
      skip()
      if (text[i] === ']') i++
      else {
        for (let index = 0; ; index++) {
          skip()
          if (text[i] === ']') fail('trailing_comma')
          value(path === '' ? String(index) : `${path}.${index}`)
          skip()
          if (text[i] === ',') {
            i++
            continue
          }
          if (text[i] === ']') {
            i++
            break
          }
          fail('expected_comma_or_bracket')
        }
      }
    } else if (char === '"') string()
    else if (text.startsWith('true', i)) i += 4
    else if (text.startsWith('false', i)) i += 5
    else if (text.startsWith('null', i)) i += 4
    else {
      NUMBER.lastIndex = i
      if (!NUMBER.test(text)) fail(i >= text.length ? 'unexpected_end' : 'expected_value')
      i = NUMBER.lastIndex
    }
    ranges.set(path, { start, end: i })
  }
  value('')
  skip()
  if (i < text.length) fail('text_after_end')
  return ranges
}

/**
 * Parses the editor's text.
 * @example
 * const read = readJson('{"id": "x",}')
 * if (!read.ok) console.log(read.line, read.column, read.code) // 1 12 'trailing_comma'
 */
export function readJson(text: string): JsonRead {
  try {
    const ranges = scan(text)
    return { ok: true, value: JSON.parse(text) as unknown, ranges }
  } catch (error) {
    // Only the scanner throws here: JSON.parse runs on text the scanner passed.
    const { code, offset } = error instanceof JsonSyntaxError ? error : { code: 'expected_value' as const, offset: 0 }
    return { ok: false, code, offset, ...lineColumn(text, offset) }
  }
}
