// A JSON diff by path, small and our own: what a config version changed, leaf by leaf, as the
// console's Versions panel shows it ("brand.accent: #0b57d0 → #c2410c"). Pure; the worker runs it
// on the stored configs and leaves the values of secrets out (admin-config-versions.ts).

export type DiffKind = 'added' | 'removed' | 'changed'

export interface JsonChange {
  /** Dotted, with array indexes as parts: `targets.0.url`, `hours.week.mon.0.1`. */
  path: string
  kind: DiffKind
  /** Absent for `added`. */
  before?: unknown
  /** Absent for `removed`. */
  after?: unknown
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value)

/** Objects and arrays are walked into, so a new target reads as its fields, one line each. */
const isBranch = (value: unknown) => typeof value === 'object' && value !== null

function keysOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.map((_, i) => String(i))
  return isObject(value) ? Object.keys(value) : []
}

const child = (value: unknown, key: string): unknown => (Array.isArray(value) ? value[Number(key)] : isObject(value) ? value[key] : undefined)

/**
 * The leaves that differ between `before` and `after`, in the order of `after`'s keys, then the
 * keys only `before` has. An object against an array (or a leaf) is one change of the whole value.
 *
 * @example
 * diffJson({ brand: { accent: '#111111' } }, { brand: { accent: '#222222', radius: 4 } })
 * // → [{ path: 'brand.accent', kind: 'changed', before: '#111111', after: '#222222' },
 * //    { path: 'brand.radius', kind: 'added', after: 4 }]
 */
export function diffJson(before: unknown, after: unknown, path = ''): JsonChange[] {
  const at = (key: string) => (path ? `${path}.${key}` : key)
  const bothBranches = isBranch(before) && isBranch(after) && Array.isArray(before) === Array.isArray(after)
  if (bothBranches || (isBranch(before) && after === undefined) || (before === undefined && isBranch(after))) {
    const keys = [...new Set([...keysOf(after), ...keysOf(before)])]
    return keys.flatMap((key) => diffJson(child(before, key), child(after, key), at(key)))
  }
  if (before === undefined && after === undefined) return []
  if (before === undefined) return [{ path, kind: 'added', after }]
  if (after === undefined) return [{ path, kind: 'removed', before }]
  if (isBranch(before) || isBranch(after) || before !== after) return [{ path, kind: 'changed', before, after }]
  return []
}

/** Every leaf's path, for finding which ones a redaction changed. */
export function leafPaths(value: unknown, path = ''): string[] {
  if (!isBranch(value)) return value === undefined ? [] : [path]
  return keysOf(value).flatMap((key) => leafPaths(child(value, key), path ? `${path}.${key}` : key))
}

/** The value at a dotted path, or undefined. */
export function valueAt(value: unknown, path: string): unknown {
  return path === '' ? value : path.split('.').reduce<unknown>((node, key) => child(node, key), value)
}
