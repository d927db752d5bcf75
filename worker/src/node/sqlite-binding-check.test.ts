import type { DatabaseSync } from 'node:sqlite'
import { describe, expect, it } from 'vitest'
import { assertNumberedParameters, checkNodeSqlite } from './sqlite-binding-check'
import { StartupError } from './startup-error'

/** node:sqlite as Node 22.13–22.19 behaves: a numbered parameter is not bound by position. */
const before22_20 = {
  prepare: () => ({
    get: () => {
      throw new Error('column index out of range')
    },
  }),
} as unknown as Pick<DatabaseSync, 'prepare'>

describe('the node:sqlite check at start', () => {
  it('passes on this Node, which binds ?2 and ?1 by their numbers', () => {
    expect(() => checkNodeSqlite()).not.toThrow()
  })

  it('stops a Node whose node:sqlite cannot bind them, saying which versions can', () => {
    const refused = (() => {
      try {
        assertNumberedParameters(before22_20, '22.13.0')
      } catch (error) {
        return error
      }
      return null
    })()
    expect(refused).toBeInstanceOf(StartupError)
    expect(refused).toMatchObject({ code: 'node_too_old', message: expect.stringMatching(/Node 22\.13\.0 .* Node 22\.20 or newer/) })
  })

  it('stops one that binds them in the wrong order as well', () => {
    const swapped = { prepare: () => ({ get: () => ({ second: 'a', first: 'b' }) }) } as unknown as Pick<DatabaseSync, 'prepare'>
    expect(() => assertNumberedParameters(swapped, '22.0.0')).toThrow(StartupError)
  })
})
