// The trend of qualified % or junk % by week or month for the biggest groups: a plain SVG line
// chart (no library: a few paths cost less than any chart package), a table view of the same
// numbers, and a text summary that is also the chart's description for screen readers.
import { useEffect, useRef, useState } from 'preact/hooks'
import type { TrendReport } from '../api-types'
import { formatPercent } from '../format'
import type { Locale, Strings } from '../i18n'
import { useStrings } from '../i18n'
import { TableScroll } from '../ui'

export type TrendMetric = 'qualifiedPercent' | 'junkPercent'

/** Okabe–Ito: told apart with the common colour-vision deficiencies; dashes tell them apart too. */
const COLORS = ['#0072b2', '#d55e00', '#009e73', '#cc79a7', '#e69f00', '#56b4e9', '#000000']
const DASHES = ['', '6 4', '2 3', '10 3 2 3', '1 5']

/** Drawn in CSS pixels at the width it is shown (so text stays 12 px on a phone and on a desktop). */
const DEFAULT_WIDTH = 640
const HEIGHT = 260
const PAD = { top: 12, right: 16, bottom: 36, left: 44 }

/** The element's width, followed as it changes; the default where ResizeObserver is missing. */
function useWidth(ref: { current: Element | null }): number {
  const [width, setWidth] = useState(DEFAULT_WIDTH)
  useEffect(() => {
    const element = ref.current
    if (!element || typeof ResizeObserver === 'undefined') return
    const observer = new ResizeObserver(([entry]) => {
      const w = Math.round(entry?.contentRect.width ?? 0)
      if (w > 0) setWidth(w)
    })
    observer.observe(element)
    return () => observer.disconnect()
  }, [])
  return width
}

export function groupLabel(group: string | null, t: Strings): string {
  return group ?? t.notSet
}

/**
 * One sentence per group (its first and last period with leads) and, first, the group whose value
 * fell the most (for junk: rose the most), the line a manager has to see.
 */
export function trendSummary(trend: TrendReport, metric: TrendMetric, t: Strings, locale: Locale): string[] {
  const name = metric === 'qualifiedPercent' ? t.qualifiedWord : t.junkWord
  const lines: string[] = []
  let worst: { group: string; from: number; to: number; change: number } | null = null
  for (const g of trend.groups) {
    const points = g.periods.filter((p) => p[metric] !== null)
    const label = groupLabel(g.group, t)
    const first = points[0]
    const last = points.at(-1)
    if (!first || !last) {
      lines.push(t.trendNoPoints(label))
      continue
    }
    const a = first[metric]!
    const b = last[metric]!
    lines.push(t.trendLine(label, name, formatPercent(a, locale), first.period, formatPercent(b, locale), last.period))
    // Worse is down for qualified and up for junk.
    const change = metric === 'qualifiedPercent' ? a - b : b - a
    if (points.length > 1 && change > 0 && (worst === null || change > worst.change)) worst = { group: label, from: a, to: b, change }
  }
  if (worst) {
    const say = metric === 'qualifiedPercent' ? t.trendBiggestFall : t.trendBiggestRise
    lines.unshift(say(worst.group, name, formatPercent(worst.from, locale), formatPercent(worst.to, locale)))
  }
  return lines
}

function x(i: number, count: number, width: number): number {
  const inner = width - PAD.left - PAD.right
  return PAD.left + (count <= 1 ? inner / 2 : (i * inner) / (count - 1))
}

function y(value: number): number {
  return PAD.top + ((100 - value) * (HEIGHT - PAD.top - PAD.bottom)) / 100
}

/** The line as path segments: an empty period (no leads) breaks it rather than reading as 0 %. */
export function linePath(values: readonly (number | null)[], width = DEFAULT_WIDTH): string {
  let d = ''
  let pen = false
  values.forEach((value, i) => {
    if (value === null) {
      pen = false
      return
    }
    d += `${pen ? 'L' : 'M'}${x(i, values.length, width).toFixed(1)} ${y(value).toFixed(1)}`
    pen = true
  })
  return d
}

function Chart({ trend, metric, summaryId }: { trend: TrendReport; metric: TrendMetric; summaryId: string }) {
  const { t, locale } = useStrings()
  const box = useRef<HTMLDivElement>(null)
  const width = useWidth(box)
  const periods = trend.groups[0]?.periods.map((p) => p.period) ?? []
  // A label needs about 70 px ("2026-W28"), so a phone shows every third or fourth.
  const step = Math.max(1, Math.ceil(periods.length / Math.max(2, Math.floor((width - PAD.left - PAD.right) / 70))))
  const title = t.trendCaption(metric === 'qualifiedPercent' ? t.qualifiedPercent : t.junkPercent, t.groups[trend.by])
  return (
    <figure class="chart">
      <div ref={box} class="chart-box">
        <svg viewBox={`0 0 ${width} ${HEIGHT}`} width={width} height={HEIGHT} role="img" aria-labelledby="trend-svg-title" aria-describedby={summaryId} class="chart-svg">
          <title id="trend-svg-title">{title}</title>
          {[0, 25, 50, 75, 100].map((v) => (
            <g key={v}>
              <line class="grid" x1={PAD.left} x2={width - PAD.right} y1={y(v)} y2={y(v)} />
              <text class="axis" x={PAD.left - 6} y={y(v) + 4} text-anchor="end">
                {`${v}%`}
              </text>
            </g>
          ))}
          {periods.map((p, i) =>
            i % step === 0 ? (
              <text
                key={p}
                class="axis"
                x={x(i, periods.length, width)}
                y={HEIGHT - PAD.bottom + 18}
                text-anchor={periods.length > 1 && i === 0 ? 'start' : i === periods.length - 1 && i > 0 ? 'end' : 'middle'}
              >
                {p}
              </text>
            ) : null,
          )}
          {trend.groups.map((g, gi) => {
            const values = g.periods.map((p) => p[metric])
            const color = COLORS[gi % COLORS.length]
            return (
              <g key={gi}>
                <path d={linePath(values, width)} fill="none" stroke={color} stroke-width="2.5" stroke-dasharray={DASHES[gi % DASHES.length] || undefined} />
                {values.map((v, i) =>
                  v === null ? null : (
                    <circle key={i} cx={x(i, values.length, width)} cy={y(v)} r="3.5" fill={color}>
                      <title>{`${groupLabel(g.group, t)}, ${g.periods[i]!.period}: ${formatPercent(v, locale)} (${g.periods[i]!.leads})`}</title>
                    </circle>
                  ),
                )}
              </g>
            )
          })}
        </svg>
      </div>
      <figcaption>
        <ul class="legend">
          {trend.groups.map((g, gi) => (
            <li key={gi}>
              <svg width="28" height="10" aria-hidden="true" class="swatch">
                <line x1="0" x2="28" y1="5" y2="5" stroke={COLORS[gi % COLORS.length]} stroke-width="3" stroke-dasharray={DASHES[gi % DASHES.length] || undefined} />
              </svg>
              {groupLabel(g.group, t)} ({g.leads})
            </li>
          ))}
        </ul>
      </figcaption>
    </figure>
  )
}

function TrendTable({ trend }: { trend: TrendReport }) {
  const { t, locale } = useStrings()
  const pct = (v: number | null) => (v === null ? '—' : formatPercent(v, locale))
  const caption = t.trendCaption(`${t.qualifiedPercent}, ${t.junkPercent}`, t.groups[trend.by])
  return (
    <TableScroll label={caption}>
      <table class="trend-table">
        <caption>
          <span>{caption}</span>
        </caption>
        <thead>
          <tr>
            <th scope="col">{t.columns.group}</th>
            <th scope="col">{t.periodCol}</th>
            <th scope="col">{t.leadsCount}</th>
            <th scope="col">{t.qualifiedPercent}</th>
            <th scope="col">{t.junkPercent}</th>
          </tr>
        </thead>
        <tbody>
          {trend.groups.flatMap((g, gi) =>
            g.periods.map((p, pi) => (
              <tr key={`${gi}-${p.start}`}>
                {pi === 0 && (
                  <th scope="rowgroup" rowSpan={g.periods.length}>
                    {groupLabel(g.group, t)}
                  </th>
                )}
                <td>{p.period}</td>
                <td>{p.leads}</td>
                <td>{pct(p.qualifiedPercent)}</td>
                <td>{pct(p.junkPercent)}</td>
              </tr>
            )),
          )}
        </tbody>
      </table>
    </TableScroll>
  )
}

export interface TrendViewProps {
  trend: TrendReport
  /** Starts on the table instead of the chart. */
  initialView?: 'chart' | 'table'
}

export function TrendView({ trend, initialView = 'chart' }: TrendViewProps) {
  const { t, locale } = useStrings()
  const [view, setView] = useState(initialView)
  const [metric, setMetric] = useState<TrendMetric>('qualifiedPercent')
  if (trend.groups.length === 0) return <p class="empty">{t.noTrend}</p>
  const summary = trendSummary(trend, metric, t, locale)
  return (
    <div class="trend">
      <div class="controls">
        <div class="segmented" role="group" aria-label={t.chartView}>
          <button type="button" aria-pressed={view === 'chart'} onClick={() => setView('chart')}>
            {t.viewChart}
          </button>
          <button type="button" aria-pressed={view === 'table'} onClick={() => setView('table')}>
            {t.viewTable}
          </button>
        </div>
        {view === 'chart' && (
          <div class="segmented" role="group" aria-label={t.metric}>
            <button type="button" aria-pressed={metric === 'qualifiedPercent'} onClick={() => setMetric('qualifiedPercent')}>
              {t.columns.qualified}
            </button>
            <button type="button" aria-pressed={metric === 'junkPercent'} onClick={() => setMetric('junkPercent')}>
              {t.columns.junk}
            </button>
          </div>
        )}
      </div>
      {view === 'chart' ? <Chart trend={trend} metric={metric} summaryId="trend-summary" /> : <TrendTable trend={trend} />}
      <div id="trend-summary" class="trend-summary">
        {summary.map((line, i) => (
          <p key={i}>{line}</p>
        ))}
      </div>
    </div>
  )
}
