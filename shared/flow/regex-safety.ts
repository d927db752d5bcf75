// Refuses the regex shapes that backtrack exponentially (ReDoS), so a flow's pattern cannot stall
// ingest: `^(a+)+$` took 3.4 s on 29 characters. JavaScript's engine backtracks; these shapes are
// the classic catastrophic ones (OWASP "Regular expression Denial of Service"):
//   - a quantified group with a quantifier inside: (a+)+, (\w*)*, (a{2,})+, ((ab)*c)+
//   - a quantified group with alternatives inside: (a|a)+, (a|ab)*
//   - a back-reference: \1, \k<name>
// Polynomial shapes (.*.*) are left alone: answers are capped before matching (MAX_MATCHED_LENGTH).

/** Regex conditions see at most this many characters of an answer. */
export const MAX_MATCHED_LENGTH = 200

interface Group {
  /** A quantifier or an alternation inside it, at any depth. */
  risky: string | null
}

/** The quantifier starting at `i` (`*`, `+`, `?`, `{n}`, `{n,}`, `{n,m}`), with whether it repeats. */
function quantifierAt(source: string, i: number): { end: number; repeats: boolean } | null {
  const c = source[i]
  if (c === '*' || c === '+') return { end: i + 1, repeats: true }
  if (c === '?') return { end: i + 1, repeats: false }
  if (c !== '{') return null
  const match = /^\{(\d+)(,(\d*))?\}/.exec(source.slice(i))
  if (!match) return null
  const repeats = match[2] !== undefined && (match[3] === '' || Number(match[3]) > 1) ? true : Number(match[1]) > 1
  return { end: i + match[0].length, repeats }
}

/**
 * Why this pattern can backtrack catastrophically, or null when it has none of the shapes above.
 * @example unsafeRegexReason('^(a+)+$') // 'the group "(a+)" is repeated and repeats something inside it'
 */
export function unsafeRegexReason(source: string): string | null {
  const stack: { start: number; group: Group }[] = []
  let inClass = false
  for (let i = 0; i < source.length; i++) {
    const c = source[i]
    if (c === '\\') {
      const next = source[i + 1] ?? ''
      if (/[1-9]/.test(next) || (next === 'k' && source[i + 2] === '<')) return 'it uses a back-reference'
      i++
      continue
    }
    if (inClass) {
      if (c === ']') inClass = false
      continue
    }
    if (c === '[') {
      inClass = true
      continue
    }
    const top = stack.at(-1)
    if (c === '(') {
      stack.push({ start: i, group: { risky: null } })
      continue
    }
    if (c === '|') {
      if (top) top.group.risky ??= 'alternatives'
      continue
    }
    if (c === ')') {
      const closed = stack.pop()
      if (!closed) continue
      const quantifier = quantifierAt(source, i + 1)
      const text = source.slice(closed.start, i + 1)
      if (quantifier?.repeats && closed.group.risky !== null) {
        return closed.group.risky === 'alternatives'
          ? `the group "${text}" is repeated and has alternatives inside it`
          : `the group "${text}" is repeated and repeats something inside it`
      }
      // What repeats inside makes every enclosing group risky too: ((a+)b)+.
      const parent = stack.at(-1)
      if (parent && (closed.group.risky !== null || quantifier?.repeats)) parent.group.risky ??= closed.group.risky ?? 'quantifier'
      if (quantifier) i = quantifier.end - 1
      continue
    }
    const quantifier = quantifierAt(source, i)
    if (quantifier) {
      if (quantifier.repeats && top) top.group.risky ??= 'quantifier'
      i = quantifier.end - 1
    }
  }
  return null
}
