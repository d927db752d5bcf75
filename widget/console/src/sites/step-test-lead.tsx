// Wizard step 5: one test lead sent to every target of the new site for real
// (POST /v1/admin/sites/:site/test-leads), and each target's outcome: status, HTTP status, an
// excerpt of the answer and how long it took.
import { useState } from 'preact/hooks'
import type { ApiClient, ApiFailure } from '../api'
import { ErrorNotice, TableScroll } from '../ui'
import { useSitesStrings } from './strings'

/** One target's outcome, as the test-leads endpoint answers it. */
export interface TestDelivery {
  targetId: string
  type: string
  status: string
  httpStatus?: number | null
  excerpt: string
  durationMs: number
}

export interface TestLeadAnswer {
  leadId: string
  deliveries: TestDelivery[]
}

type State = { state: 'idle' } | { state: 'sending' } | { state: 'sent'; answer: TestLeadAnswer } | { state: 'error'; error: ApiFailure }

export function TestLeadStep({ api, site }: { api: ApiClient; site: string }) {
  const w = useSitesStrings().wizard
  const [state, setState] = useState<State>({ state: 'idle' })
  const send = async () => {
    setState({ state: 'sending' })
    const result = await api.send<TestLeadAnswer>('POST', `/v1/admin/sites/${encodeURIComponent(site)}/test-leads`, {})
    setState(result.ok ? { state: 'sent', answer: result.value } : { state: 'error', error: result.error })
  }
  return (
    <>
      <p>{w.testIntro}</p>
      <button type="button" onClick={() => void send()} disabled={state.state === 'sending'}>
        {state.state === 'sending' ? w.sending : w.sendTest}
      </button>
      {state.state === 'error' && <ErrorNotice error={state.error} />}
      <div role="status" class="test-lead-outcome">
        {state.state === 'sent' && state.answer.deliveries.length === 0 && <p>{w.sentNoTargets}</p>}
        {state.state === 'sent' && state.answer.deliveries.length > 0 && <TestOutcomes deliveries={state.answer.deliveries} />}
      </div>
    </>
  )
}

export function TestOutcomes({ deliveries }: { deliveries: readonly TestDelivery[] }) {
  const w = useSitesStrings().wizard
  return (
    <TableScroll label={w.outcomes}>
      <table>
        <caption>{w.outcomes}</caption>
        <thead>
          <tr>
            <th scope="col">{w.outcomeColumns.target}</th>
            <th scope="col">{w.outcomeColumns.status}</th>
            <th scope="col">{w.outcomeColumns.http}</th>
            <th scope="col">{w.outcomeColumns.answer}</th>
            <th scope="col">{w.outcomeColumns.duration}</th>
          </tr>
        </thead>
        <tbody>
          {deliveries.map((d) => (
            <tr key={d.targetId}>
              <th scope="row">
                {d.targetId} <span class="hint">({d.type})</span>
              </th>
              <td>
                <span class={`badge delivery-${d.status}`}>{w.statuses[d.status] ?? d.status}</span>
              </td>
              <td>{d.httpStatus ?? '—'}</td>
              <td>
                <code class="excerpt">{d.excerpt}</code>
              </td>
              <td>{w.ms(d.durationMs)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  )
}
