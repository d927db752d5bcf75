// Failed and pending deliveries across leads, and "send all failed again"
// (POST /v1/admin/sites/:site/replay-failed). The admin API has no list of deliveries, so the page
// reads them from the latest leads (GET /v1/admin/leads carries each lead's deliveries) and says so.
import { useEffect, useState } from 'preact/hooks'
import type { ApiClient, ApiFailure, ApiResult } from '../api'
import type { DeliveryView, LeadPage, LeadView } from '../api-types'
import { formatDateTime } from '../format'
import { useStrings } from '../i18n'
import { ReplayButton } from '../lead-card/deliveries'
import { hrefOf } from '../router'
import { ErrorNotice } from '../ui'

/** Four pages of the largest size the list allows. */
export const SCAN_PAGES = 4
export const SCAN_PAGE_SIZE = 200

interface Stuck {
  lead: LeadView
  delivery: DeliveryView
}

export interface DeliveriesPageProps {
  api: ApiClient
  site: string
  /** Hash parameters the lead links keep (the operator's site). */
  siteParam: string
}

export function DeliveriesPage({ api, site, siteParam }: DeliveriesPageProps) {
  const { t, locale } = useStrings()
  const [stuck, setStuck] = useState<Stuck[] | null>(null)
  const [scanned, setScanned] = useState(0)
  const [error, setError] = useState<ApiFailure | null>(null)
  const [replayAll, setReplayAll] = useState<{ busy: boolean; count: number | null; error: ApiFailure | null }>({ busy: false, count: null, error: null })
  const [attempt, setAttempt] = useState(0)
  const reload = () => setAttempt((n) => n + 1)

  useEffect(() => {
    let stale = false
    setError(null)
    void (async () => {
      const found: Stuck[] = []
      let cursor: string | null = null
      let count = 0
      for (let page = 0; page < SCAN_PAGES; page++) {
        const result: ApiResult<LeadPage> = await api.get<LeadPage>('/v1/admin/leads', { site, limit: String(SCAN_PAGE_SIZE), cursor: cursor ?? undefined })
        if (stale) return
        if (!result.ok) return setError(result.error)
        count += result.value.leads.length
        for (const lead of result.value.leads) {
          for (const delivery of lead.deliveries) if (delivery.status !== 'delivered') found.push({ lead, delivery })
        }
        cursor = result.value.nextCursor
        if (cursor === null) break
      }
      // Failed first, then what waits longest.
      found.sort((a, b) => (a.delivery.status === b.delivery.status ? 0 : a.delivery.status === 'failed' ? -1 : 1))
      setScanned(count)
      setStuck(found)
    })()
    return () => {
      stale = true
    }
  }, [site, attempt])

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
      <p class="hint">{t.deliveriesScope(SCAN_PAGES * SCAN_PAGE_SIZE)}</p>
      <div class="toolbar">
        <button type="button" onClick={sendAllFailed} disabled={replayAll.busy}>
          {t.replayAllFailed}
        </button>
        <p role="status">{replayAll.count !== null ? t.replayedCount(replayAll.count) : ''}</p>
      </div>
      {replayAll.error && <ErrorNotice error={replayAll.error} />}
      {error && <ErrorNotice error={error} onRetry={reload} />}
      {!error && stuck === null && <p class="loading">{t.loading}</p>}
      {stuck !== null && stuck.length === 0 && <p class="empty">{t.nothingStuck}</p>}
      {stuck !== null && stuck.length > 0 && (
        <ul class="deliveries" aria-label={`${t.deliveriesTitle} (${scanned})`}>
          {stuck.map(({ lead, delivery }) => (
            <li key={delivery.id} class="delivery">
              <p class="delivery-head">
                <strong>{delivery.targetId}</strong> <span class={`badge delivery-${delivery.status}`}>{t.deliveryStatuses[delivery.status]}</span>{' '}
                <span class="muted">{delivery.eventType}</span>
              </p>
              <p>
                {t.lead}:{' '}
                <a href={hrefOf(`leads/${lead.id}`, { site: siteParam })}>
                  {lead.erased ? t.erased : lead.contact.name || lead.contact.phone || lead.contact.email || t.noName}
                </a>{' '}
                · <time dateTime={lead.createdAt}>{formatDateTime(lead.createdAt, locale)}</time>
              </p>
              <dl class="facts">
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
    </section>
  )
}
