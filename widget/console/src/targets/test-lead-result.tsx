// What a test lead's targets answered: per target its status, HTTP status, how long it took and an
// excerpt of the answer (rendered as text), as a list that reads at a phone's width too.
// Props: `answer`, the endpoint's 201 body.
//
// @example
// <TestLeadResult answer={{ leadId, deliveries: [{ targetId: 'crm', type: 'webhook', status: 'delivered', httpStatus: 200, excerpt: 'ok', durationMs: 84 }] }} />
import { useTargetsStrings } from './strings'
import type { TestLeadAnswer } from './test-lead-api'

export interface TestLeadResultProps {
  answer: TestLeadAnswer
}

export function TestLeadResult({ answer }: TestLeadResultProps) {
  const s = useTargetsStrings().test
  if (answer.deliveries.length === 0) return <p class="test-lead-result">{s.noDeliveries}</p>
  return (
    <section class="test-lead-result" aria-label={s.outcome}>
      <p class="hint">{s.lead(answer.leadId)}</p>
      <ul>
        {answer.deliveries.map((d) => (
          <li key={d.targetId} class="test-delivery">
            <p class="test-delivery-target">
              <strong>{d.targetId}</strong> <span class="hint">({d.type})</span>
            </p>
            <dl>
              <div>
                <dt>{s.columns.status}</dt>
                <dd>
                  <span class={`badge delivery-${d.status}`}>{s.statuses[d.status] ?? d.status}</span>
                </dd>
              </div>
              <div>
                <dt>{s.columns.http}</dt>
                <dd>{d.httpStatus ?? '—'}</dd>
              </div>
              <div>
                <dt>{s.columns.duration}</dt>
                <dd>{s.ms(d.durationMs)}</dd>
              </div>
            </dl>
            {d.excerpt !== '' && (
              <p class="test-delivery-answer">
                <span class="hint">{s.columns.answer}: </span>
                <code class="excerpt">{d.excerpt}</code>
              </p>
            )}
          </li>
        ))}
      </ul>
    </section>
  )
}
