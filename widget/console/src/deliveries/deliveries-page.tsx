// A site's failed and pending deliveries across all its leads (GET /v1/admin/deliveries), newest
// first, with "send again" one by one and "send all failed again"
// (POST /v1/admin/sites/:site/replay-failed): what to do after a CRM outage or a fixed target URL.
import { useEffect, useState } from 'preact/hooks'
import type { ApiClient, ApiFailure } from '../api'
import type { DeliveryPage, SiteDelivery } from '../api-types'
import { formatDateTime } from '../format'
import { useStrings } from '../i18n'
import { ReplayButton } from '../lead-card/deliveries'
import { hrefOf, navigate } from '../router'
import { ErrorNotice } from '../ui'

export const DELIVERY_STATES = ['failed,pending', 'failed', 'pending'] as const
type DeliveryState = (typeof DELIVERY_STATES)[number]

export interface DeliveriesPageProps {
  api: ApiClient
  site: string
  params: URLSearchParams
  /** The operator's lead links name the site (a site token's need not). */
  keepSite: boolean
}

export function DeliveriesPage({ api, site, params, keepSite }: DeliveriesPageProps) {
  const { t, locale } = useStrings()
  const status: DeliveryState = DELIVERY_STATES.find((s) => s === params.get('status')) ?? 'failed,pending'
  const [rows, setRows] = useState<SiteDelivery[] | null>(null)
  const [cursor, setCursor] = useState<string | null>(null)
  const [error, setError] = useState<ApiFailure | null>(null)
  const [loadingMore, setLoadingMore] = useState(false)
  const [replayAll, setReplayAll] = useState<{ busy: boolean; count: number | null; error: ApiFailure | null }>({ busy: false, count: null, error: null })
  const [attempt, setAttempt] = useState(0)
  const reload = () => setAttempt((n) => n + 1)

  const page = (after: string | null) => api.get<DeliveryPage>('/v1/admin/deliveries', { site, status, limit: '50', cursor: after ?? undefined })

  useEffect(() => {
    let stale = false
    setError(null)
    void page(null).then((result) => {
      if (stale) return
      if (!result.ok) return setError(result.error)
      setRows(result.value.deliveries)
      setCursor(result.value.nextCursor)
    })
    return () => {
      stale = true
    }
  }, [site, status, attempt])

  const more = async () => {
    setLoadingMore(true)
    const result = await page(cursor)
    setLoadingMore(false)
    if (!result.ok) return setError(result.error)
    setRows((shown) => [...(shown ?? []), ...result.value.deliveries])
    setCursor(result.value.nextCursor)
  }

  const sendAllFailed = async () => {
    setReplayAll({ busy: true, count: null, error: null })
    const result = await api.send<{ replayed: number }>('POST', `/v1/admin/sites/${encodeURIComponent(site)}/replay-failed`)
    setReplayAll({ busy: false, count: result.ok ? result.value.replayed : null, error: result.ok ? null : result.error })
    if (result.ok) reload()
  }

  return (
    <section class="deliveries-page" aria-labelledby="page-title">
      <h1 id="page-title" tabIndex={-1}>
        {t.deliveriesTitle}
      </h1>
      <div class="controls">
        <div class="control">
          <label for="d-status">{t.status}</label>
          <select
            id="d-status"
            value={status}
            onChange={(e) => {
              const next = new URLSearchParams(params)
              next.set('status', e.currentTarget.value)
              navigate(hrefOf('deliveries', next), { replace: true })
            }}
          >
            {DELIVERY_STATES.map((s) => (
              <option key={s} value={s}>
                {t.deliveryStates[s]}
              </option>
            ))}
          </select>
        </div>
      </div>
      <div class="toolbar">
        <button type="button" onClick={sendAllFailed} disabled={replayAll.busy}>
          {t.replayAllFailed}
        </button>
        <p role="status">{replayAll.count !== null ? t.replayedCount(replayAll.count) : ''}</p>
      </div>
      {replayAll.error && <ErrorNotice error={replayAll.error} />}
      {error && <ErrorNotice error={error} onRetry={reload} />}
      {!error && rows === null && <p class="loading">{t.loading}</p>}
      {rows !== null && rows.length === 0 && <p class="empty">{t.nothingStuck}</p>}
      {rows !== null && rows.length > 0 && (
        <ul class="deliveries" aria-label={t.deliveriesTitle}>
          {rows.map((delivery) => (
            <li key={delivery.id} class="delivery">
              <p class="delivery-head">
                <strong>{delivery.targetId}</strong> <span class={`badge delivery-${delivery.status}`}>{t.deliveryStatuses[delivery.status]}</span>{' '}
                <span class="muted">{delivery.eventType}</span>
              </p>
              <dl class="facts">
                <dt>{t.lead}</dt>
                <dd>
                  <a href={hrefOf(`leads/${delivery.leadId}`, { site: keepSite ? site : undefined })}>{t.openLead}</a> ·{' '}
                  <time dateTime={delivery.createdAt}>{formatDateTime(delivery.createdAt, locale)}</time>
                </dd>
                <dt>{t.attempts}</dt>
                <dd>{delivery.attempts}</dd>
                {delivery.nextAttemptAt && (
                  <>
                    <dt>{t.nextAttempt}</dt>
                    <dd>{formatDateTime(delivery.nextAttemptAt, locale)}</dd>
                  </>
                )}
                {delivery.lastError && (
                  <>
                    <dt>{t.lastError}</dt>
                    <dd class="wrap">{delivery.lastError}</dd>
                  </>
                )}
              </dl>
              {delivery.status === 'failed' && <ReplayButton api={api} delivery={delivery} onReplayed={() => undefined} />}
            </li>
          ))}
        </ul>
      )}
      {cursor !== null && rows !== null && (
        <button type="button" class="secondary more" onClick={more} disabled={loadingMore}>
          {loadingMore ? t.loading : t.more}
        </button>
      )}
    </section>
  )
}
