// The source-quality report (GET /v1/admin/stats): one row per source, campaign, page or source
// type, worst first, every number a link to the leads behind it; and the trend of qualified % and
// junk % of the biggest groups (GET /v1/admin/stats/trend).
import { useEffect, useState } from 'preact/hooks'
import type { ComponentChildren } from 'preact'
import { JUNK_REASON_LABELS } from '../../../../shared/lead-status-labels'
import { JUNK_REASONS } from '../../../../shared/schemas/lead-status'
import type { ApiClient, ApiFailure } from '../api'
import { STATS_GROUPS, TREND_GROUPS } from '../api-types'
import type { StatsGroupBy, StatsReport, StatsRow, TrendReport } from '../api-types'
import { formatDate, formatDuration, formatPercent } from '../format'
import { useStrings } from '../i18n'
import { hrefOf, navigate } from '../router'
import { ErrorNotice, TableScroll } from '../ui'
import { drillDown } from './drill-down'
import type { ReportColumn } from './drill-down'
import { SpeedToLead } from './speed-to-lead'
import { SPEND_COLUMNS, SpendCell, SpendUpload, useSpendWords } from './spend'
import { TrendView, groupLabel } from './trend-chart'

const DAY_MS = 24 * 60 * 60 * 1000
export const REPORT_DAYS = [7, 30, 90, 182, 365] as const

type Loaded<T> = { state: 'loading' } | { state: 'ok'; value: T } | { state: 'error'; error: ApiFailure }

function useLoad<T>(load: () => Promise<{ ok: true; value: T } | { ok: false; error: ApiFailure }>, key: string): [Loaded<T>, () => void] {
  const [loaded, setLoaded] = useState<Loaded<T>>({ state: 'loading' })
  const [attempt, setAttempt] = useState(0)
  useEffect(() => {
    let stale = false
    setLoaded({ state: 'loading' })
    void load().then((result) => {
      if (stale) return
      setLoaded(result.ok ? { state: 'ok', value: result.value } : { state: 'error', error: result.error })
    })
    return () => {
      stale = true
    }
  }, [key, attempt])
  return [loaded, () => setAttempt((n) => n + 1)]
}

function pick<T extends string>(value: string | null, allowed: readonly T[], fallback: T): T {
  return allowed.includes(value as T) ? (value as T) : fallback
}

export interface ReportProps {
  api: ApiClient
  site: string
  params: URLSearchParams
}

export function Report({ api, site, params }: ReportProps) {
  const { t } = useStrings()
  const by = pick(params.get('by'), STATS_GROUPS, 'utm_campaign')
  const days = Number(pick(params.get('days'), REPORT_DAYS.map(String), '30'))
  const trendBy = pick(params.get('trendBy'), TREND_GROUPS, 'utm_campaign')
  const period = pick(params.get('trendPeriod'), ['week', 'month'] as const, 'month')
  const set = (key: string, value: string) => {
    const next = new URLSearchParams(params)
    next.set(key, value)
    navigate(hrefOf('report', next), { replace: true })
  }

  const [stats, reloadStats] = useLoad<StatsReport>(
    () => api.get('/v1/admin/stats', { site, by, from: new Date(Date.now() - days * DAY_MS).toISOString() }),
    `${site}|${by}|${days}`,
  )
  const [trend, reloadTrend] = useLoad<TrendReport>(() => api.get('/v1/admin/stats/trend', { site, by: trendBy, period }), `${site}|${trendBy}|${period}`)

  return (
    <section class="report" aria-labelledby="page-title">
      <h1 id="page-title" tabIndex={-1}>
        {t.reportTitle}
      </h1>
      <div class="controls">
        <div class="control">
          <label for="r-by">{t.groupBy}</label>
          <select id="r-by" value={by} onChange={(e) => set('by', e.currentTarget.value)}>
            {STATS_GROUPS.map((g) => (
              <option key={g} value={g}>
                {t.groups[g]}
              </option>
            ))}
          </select>
        </div>
        <div class="control">
          <label for="r-days">{t.reportPeriod}</label>
          <select id="r-days" value={String(days)} onChange={(e) => set('days', e.currentTarget.value)}>
            {REPORT_DAYS.map((n) => (
              <option key={n} value={String(n)}>
                {t.periodDays(n)}
              </option>
            ))}
          </select>
        </div>
      </div>
      <p class="hint">{t.worstFirst}</p>
      {stats.state === 'loading' && <p class="loading">{t.loading}</p>}
      {stats.state === 'error' && <ErrorNotice error={stats.error} onRetry={reloadStats} />}
      {stats.state === 'ok' && <QualityTable report={stats.value} site={site} />}
      <SpendUpload api={api} site={site} onImported={reloadStats} />
      {stats.state === 'ok' && stats.value.speedToLead && <SpeedToLead speed={stats.value.speedToLead} />}

      <h2 id="trend-title">{t.trendTitle}</h2>
      <div class="controls">
        <div class="control">
          <label for="t-by">{t.groupBy}</label>
          <select id="t-by" value={trendBy} onChange={(e) => set('trendBy', e.currentTarget.value)}>
            {TREND_GROUPS.map((g) => (
              <option key={g} value={g}>
                {t.groups[g]}
              </option>
            ))}
          </select>
        </div>
        <div class="control">
          <label for="t-period">{t.trendPeriod}</label>
          <select id="t-period" value={period} onChange={(e) => set('trendPeriod', e.currentTarget.value)}>
            <option value="week">{t.week}</option>
            <option value="month">{t.month}</option>
          </select>
        </div>
      </div>
      {trend.state === 'loading' && <p class="loading">{t.loading}</p>}
      {trend.state === 'error' && <ErrorNotice error={trend.error} onRetry={reloadTrend} />}
      {trend.state === 'ok' && <TrendView trend={trend.value} key={`${trendBy}|${period}`} />}
      <p class="hint">{t.periodsUtc}</p>
    </section>
  )
}

/** Spend is kept per UTM source and campaign: only those groupings can show what a lead cost. */
const SPEND_GROUPS: readonly StatsGroupBy[] = ['utm_source', 'utm_campaign', 'campaign']

function QualityTable({ report, site }: { report: StatsReport; site: string }) {
  const { t, locale } = useStrings()
  const w = useSpendWords()
  const withSpend = SPEND_GROUPS.includes(report.by) && report.groups.some((row) => (row.spend?.length ?? 0) > 0)
  if (report.groups.length === 0) return <p class="empty">{t.noData}</p>
  const range = { site, from: report.from, to: report.to }
  const cell = (row: StatsRow, column: ReportColumn, text: ComponentChildren) => {
    const filter = drillDown(report.by as StatsGroupBy, row, column, range)
    // Only a row the inbox cannot filter for ("(not set)") has no link; its title says why.
    return filter ? <a href={hrefOf('leads', filter)}>{text}</a> : <span title={t.noDrillDown}>{text}</span>
  }
  const pct = (v: number) => formatPercent(v, locale)
  const c = t.columns
  const caption = t.reportCaption(t.groups[report.by], formatDate(report.from, locale), formatDate(report.to, locale))
  return (
    <TableScroll label={caption}>
      <table class="quality">
        <caption>
          <span>{caption}</span>
        </caption>
        <thead>
          <tr>
            <th scope="col">{c.group}</th>
            <th scope="col">{c.submissions}</th>
            <th scope="col">{c.refused}</th>
            <th scope="col">{c.accepted}</th>
            <th scope="col">{c.spam}</th>
            <th scope="col">{c.repeat}</th>
            <th scope="col">{c.hot}</th>
            <th scope="col">{c.warm}</th>
            <th scope="col">{c.cold}</th>
            <th scope="col">{c.qualified}</th>
            <th scope="col">{c.won}</th>
            <th scope="col">{c.junk}</th>
            <th scope="col">{c.firstAction}</th>
            {withSpend &&
              SPEND_COLUMNS.map((column) => (
                <th scope="col" key={column}>
                  {w[column]}
                </th>
              ))}
          </tr>
        </thead>
        <tbody>
          {report.groups.map((row) => (
            <tr key={row.group ?? ''}>
              <th scope="row">
                {cell(row, 'submissions', report.by === 'source_type' && row.group ? (t.sources[row.group as keyof typeof t.sources] ?? row.group) : groupLabel(row.group, t))}
              </th>
              <td>{cell(row, 'submissions', row.leads)}</td>
              <td>{row.rejected}</td>
              <td>{cell(row, 'accepted', row.accepted)}</td>
              <td>{cell(row, 'spam', pct(row.spamPercent))}</td>
              <td>{cell(row, 'repeat', pct(row.repeatPercent))}</td>
              <td>{cell(row, 'hot', row.hot)}</td>
              <td>{cell(row, 'warm', row.warm)}</td>
              <td>{cell(row, 'cold', row.cold)}</td>
              <td>{cell(row, 'qualified', pct(row.qualifiedPercent))}</td>
              <td>{cell(row, 'won', pct(row.wonPercent))}</td>
              <td class="junk">
                {cell(row, 'junk', pct(row.junkPercent))}
                {row.junk > 0 && (
                  <ul class="reasons-split">
                    {JUNK_REASONS.filter((r) => (row.junkByReason[r] ?? 0) > 0).map((r) => (
                      <li key={r}>{cell(row, `junk:${r}`, `${JUNK_REASON_LABELS[locale][r]}: ${row.junkByReason[r]}`)}</li>
                    ))}
                  </ul>
                )}
              </td>
              <td>{row.medianFirstActionMs === null ? '—' : cell(row, 'firstAction', formatDuration(row.medianFirstActionMs, locale))}</td>
              {withSpend &&
                SPEND_COLUMNS.map((column) => (
                  <td key={column}>
                    <SpendCell spend={row.spend} column={column} />
                  </td>
                ))}
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  )
}
