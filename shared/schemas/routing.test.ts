// The routing rules that span fields put each problem at the id that causes it, so the admin API
// and the console's Team page name the rule or the head of sales, not the whole routing.
import * as v from 'valibot'
import { describe, expect, it } from 'vitest'
import { RoutingSchema } from './routing'

const paths = (input: unknown) => {
  const result = v.safeParse(RoutingSchema, input)
  return result.success ? [] : result.issues.map((issue) => ({ path: v.getDotPath(issue), message: issue.message }))
}

const MANAGERS = [
  { id: 'olga', name: 'Olga' },
  { id: 'pavel', name: 'Pavel' },
]

describe('the routing schema', () => {
  it('takes rules and a head of sales that name listed managers', () => {
    expect(
      paths({ managers: MANAGERS, rules: [{ when: { temperature: ['hot'] }, managers: ['olga'] }], sla: { minutes: { hot: 5, warm: 30, cold: 120 }, headOfSales: 'pavel' } }),
    ).toEqual([])
  })

  it('puts an unlisted manager at the rule’s entry and at sla.headOfSales', () => {
    expect(
      paths({
        managers: MANAGERS,
        rules: [
          { when: {}, managers: ['olga'] },
          { when: {}, managers: ['pavel', 'ivan'] },
        ],
        sla: { minutes: { hot: 5, warm: 30, cold: 120 }, headOfSales: 'ivan' },
      }),
    ).toEqual([
      { path: 'rules.1.managers.1', message: 'rules and sla.headOfSales may only name listed managers' },
      { path: 'sla.headOfSales', message: 'rules and sla.headOfSales may only name listed managers' },
    ])
  })

  it('puts a repeated id at the second manager', () => {
    expect(paths({ managers: [...MANAGERS, { id: 'olga', name: 'Olga K.' }] })).toEqual([{ path: 'managers.2.id', message: 'manager ids must be unique' }])
  })
})
