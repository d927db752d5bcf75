import { describe, expect, it } from 'vitest'
import { diffJson, leafPaths, valueAt } from './config-diff'

describe('diffJson', () => {
  it('names each changed, added and removed leaf by its dotted path', () => {
    expect(diffJson({ a: { b: 1, c: 'x' }, gone: true }, { a: { b: 2, c: 'x', d: [1] } })).toEqual([
      { path: 'a.b', kind: 'changed', before: 1, after: 2 },
      { path: 'a.d.0', kind: 'added', after: 1 },
      { path: 'gone', kind: 'removed', before: true },
    ])
  })

  it('walks into arrays by index and into a subtree only one side has', () => {
    expect(diffJson({ t: [{ id: 'a' }] }, { t: [{ id: 'a' }, { id: 'b', n: 1 }] })).toEqual([
      { path: 't.1.id', kind: 'added', after: 'b' },
      { path: 't.1.n', kind: 'added', after: 1 },
    ])
  })

  it('reports an object turned into an array or a leaf as one change, and nothing for equal values', () => {
    expect(diffJson({ a: { b: 1 } }, { a: [1] })).toEqual([{ path: 'a', kind: 'changed', before: { b: 1 }, after: [1] }])
    expect(diffJson({ a: [1, { b: null }] }, { a: [1, { b: null }] })).toEqual([])
  })
})

describe('leafPaths and valueAt', () => {
  it('list the leaves and read one back', () => {
    const value = { a: { b: [10, 20] }, c: 'x' }
    expect(leafPaths(value)).toEqual(['a.b.0', 'a.b.1', 'c'])
    expect(valueAt(value, 'a.b.1')).toBe(20)
    expect(valueAt(value, 'a.z.1')).toBeUndefined()
  })
})
