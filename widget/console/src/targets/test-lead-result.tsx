// What a test lead's targets answered: per target its status, HTTP status, an excerpt of the answer
// (rendered as text) and how long it took. Props: `answer`, the endpoint's 201 body.
//
// @example
// <TestLeadResult answer={{ leadId, deliveries: [{ targetId: 'crm', type: 'webhook', status: 'delivered', httpStatus: 200, excerpt: 'ok', durationMs: 84 }] }} />
import { TableScroll } from '../ui'
import { useTargetsStrings } from './strings'
import type { TestLeadAnswer } from './test-lead-api'

export interface TestLeadResultProps {
  answer: TestLeadAnswer
}

export function TestLeadResult({ answer }: TestLeadResultProps) {
  const s = useTargetsStrings().test
  if (answer.deliveries.length === 0) return <p class="test-lead-result">{s.noDeliveries}</p>
  return (
    <div class="test-lead-result">
      <TableScroll label={s.outcome}>
        <table>
          <caption>
            {s.outcome} <span class="hint">{s.lead(answer.leadId)}</span>
          </caption>
          <thead>
            <tr>
              <th scope="col">{s.columns.target}</th>
              <th scope="col">{s.columns.status}</th>
              <th scope="col">{s.columns.http}</th>
              <th scope="col">{s.columns.duration}</th>
              <th scope="col">{s.columns.answer}</th>
            </tr>
          </thead>
          <tbody>
            {answer.deliveries.map((d) => (
              <tr key={d.targetId}>
                <th scope="row">
                  {d.targetId} <span class="hint">({d.type})</span>
                </th>
                <td>
                  <span class={`badge delivery-${d.status}`}>{s.statuses[d.status] ?? d.status}</span>
                </td>
                <td>{d.httpStatus ?? '—'}</td>
                <td>{s.ms(d.durationMs)}</td>
                <td>
                  <code class="excerpt">{d.excerpt}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
    </div>
  )
}
