// A lead's deliveries: each target, where it stands, every attempt, and "send again"
// (POST /v1/admin/deliveries/:id/replay, a fresh retry schedule with the same webhook-id).
import { useState } from 'preact/hooks'
import type { ApiClient, ApiFailure } from '../api'
import type { AttemptView, DeliveryView } from '../api-types'
import { formatDateTime, formatDuration } from '../format'
import { useStrings } from '../i18n'
import { ErrorNotice, Field, TableScroll } from '../ui'

export function ReplayButton({ api, delivery, onReplayed }: { api: ApiClient; delivery: DeliveryView; onReplayed: () => void }) {
  const { t } = useStrings()
  const [busy, setBusy] = useState(false)
  const [done, setDone] = useState(false)
  const [error, setError] = useState<ApiFailure | null>(null)
  const replay = async () => {
    setBusy(true)
    setError(null)
    const result = await api.send('POST', `/v1/admin/deliveries/${encodeURIComponent(delivery.id)}/replay`)
    setBusy(false)
    if (!result.ok) return setError(result.error)
    setDone(true)
    onReplayed()
  }
  return (
    <div class="replay">
      <button type="button" class="secondary" onClick={replay} disabled={busy}>
        {t.replay}
      </button>
      <span role="status">{done ? t.replayed : ''}</span>
      {error && <ErrorNotice error={error} />}
    </div>
  )
}

function AttemptLog({ log, label }: { log: AttemptView[]; label: string }) {
  const { t, locale } = useStrings()
  if (log.length === 0) return <p class="hint">{t.noAttempts}</p>
  return (
    <TableScroll label={label}>
      <table class="attempts">
        <thead>
          <tr>
            <th scope="col">{t.attempt}</th>
            <th scope="col">{t.time}</th>
            <th scope="col">{t.duration}</th>
            <th scope="col">{t.httpStatus}</th>
            <th scope="col">{t.outcome}</th>
            <th scope="col">{t.error}</th>
          </tr>
        </thead>
        <tbody>
          {log.map((a) => (
            <tr key={a.attempt}>
              <td>{a.attempt}</td>
              <td>{formatDateTime(a.at, locale)}</td>
              <td>{a.durationMs === null ? '' : formatDuration(a.durationMs, locale)}</td>
              <td>{a.httpStatus ?? ''}</td>
              <td>{a.outcome}</td>
              <td class="wrap">{a.error ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  )
}

export function DeliveryList({ api, deliveries, onReplayed }: { api: ApiClient; deliveries: (DeliveryView & { log?: AttemptView[] })[]; onReplayed: () => void }) {
  const { t, locale } = useStrings()
  if (deliveries.length === 0) return <p class="hint">{t.noDeliveries}</p>
  return (
    <ul class="deliveries">
      {deliveries.map((d, i) => (
        <li key={d.id} class="delivery">
          <p class="delivery-head">
            <strong>{d.targetId}</strong> <span class={`badge delivery-${d.status}`}>{t.deliveryStatuses[d.status]}</span> <span class="muted">{d.eventType}</span>
          </p>
          <dl class="facts">
            <Field label={t.attempts}>{String(d.attempts)}</Field>
            <Field label={t.nextAttempt}>{d.nextAttemptAt && formatDateTime(d.nextAttemptAt, locale)}</Field>
            <Field label={t.deliveredAt}>{d.deliveredAt && formatDateTime(d.deliveredAt, locale)}</Field>
            <Field label={t.lastError}>{d.lastError}</Field>
          </dl>
          {d.log && <AttemptLog log={d.log} label={`${t.attempts} (${i + 1}): ${d.targetId}, ${d.eventType}`} />}
          {d.status !== 'pending' && <ReplayButton api={api} delivery={d} onReplayed={onReplayed} />}
        </li>
      ))}
    </ul>
  )
}
