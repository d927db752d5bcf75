// The head of sales' daily digest (issue 16): yesterday's leads by temperature, hot leads nobody
// took, SLA breaches, junk by campaign and the link to the report, as one Telegram HTML message.
// Pure: the sweep supplies yesterday's leads (send-digest.ts).
import type { Temperature } from '../../../shared/score'
import { escapeTelegramHtml } from '../delivery/adapters/telegram-card'

export interface DigestLead {
  createdAt: number
  temperature: Temperature
  /** Accepted, or caught as spam at ingest. */
  spam: boolean
  firstActionAt: number | null
  junk: boolean
  utmSource: string | null
  utmCampaign: string | null
}

export interface DigestInput {
  site: string
  /** `YYYY-MM-DD`: the local day reported on. */
  day: string
  leads: readonly DigestLead[]
  /** routing.sla.minutes; null without an SLA. */
  sla: Record<Temperature, number> | null
  now: number
  reportUrl: string | null
  locale: 'ru' | 'en'
}

export interface DigestFigures {
  leads: number
  byTemperature: Record<Temperature, number>
  hotUntaken: number
  slaBreaches: number | null
  junkByCampaign: { campaign: string; junk: number; leads: number }[]
}

export function digestFigures({ leads, sla, now }: Pick<DigestInput, 'leads' | 'sla' | 'now'>): DigestFigures {
  const real = leads.filter((l) => !l.spam)
  const byTemperature: Record<Temperature, number> = { hot: 0, warm: 0, cold: 0 }
  for (const l of real) byTemperature[l.temperature]++
  const breaches = sla
    ? real.filter((l) => {
        const limit = sla[l.temperature] * 60_000
        return l.firstActionAt === null ? now - l.createdAt > limit : l.firstActionAt - l.createdAt > limit
      }).length
    : null
  const campaigns = new Map<string, { junk: number; leads: number }>()
  for (const l of leads) {
    const name = l.utmSource === null && l.utmCampaign === null ? '—' : `${l.utmSource ?? '(none)'} / ${l.utmCampaign ?? '(none)'}`
    const entry = campaigns.get(name) ?? { junk: 0, leads: 0 }
    entry.leads++
    if (l.junk || l.spam) entry.junk++
    campaigns.set(name, entry)
  }
  return {
    leads: real.length,
    byTemperature,
    hotUntaken: real.filter((l) => l.temperature === 'hot' && l.firstActionAt === null).length,
    slaBreaches: breaches,
    junkByCampaign: [...campaigns]
      .filter(([, c]) => c.junk > 0)
      .map(([campaign, c]) => ({ campaign, ...c }))
      .sort((a, b) => b.junk - a.junk || a.campaign.localeCompare(b.campaign)),
  }
}

export function digestText(input: DigestInput): string {
  const f = digestFigures(input)
  const ru = input.locale === 'ru'
  const lines = [
    ru ? `📊 <b>Сводка за ${input.day}</b> · ${escapeTelegramHtml(input.site)}` : `📊 <b>Digest for ${input.day}</b> · ${escapeTelegramHtml(input.site)}`,
    ru
      ? `Заявок: ${f.leads} (🔥 ${f.byTemperature.hot}, 🌤 ${f.byTemperature.warm}, ❄️ ${f.byTemperature.cold})`
      : `Leads: ${f.leads} (🔥 ${f.byTemperature.hot}, 🌤 ${f.byTemperature.warm}, ❄️ ${f.byTemperature.cold})`,
    ru ? `Горячие, которые никто не взял: ${f.hotUntaken}` : `Hot leads nobody took: ${f.hotUntaken}`,
  ]
  if (f.slaBreaches !== null) lines.push(ru ? `Нарушений SLA: ${f.slaBreaches}` : `SLA breaches: ${f.slaBreaches}`)
  if (f.junkByCampaign.length === 0) lines.push(ru ? 'Брака нет.' : 'No junk.')
  else {
    lines.push(ru ? 'Брак по кампаниям:' : 'Junk by campaign:')
    for (const c of f.junkByCampaign.slice(0, 10)) lines.push(`• ${escapeTelegramHtml(c.campaign)}: ${c.junk} / ${c.leads}`)
  }
  if (input.reportUrl) lines.push(`<a href="${escapeTelegramHtml(input.reportUrl, true)}">${ru ? 'Отчёт' : 'Report'}</a>`)
  return lines.join('\n')
}

/** The local calendar day and hour of `now` in `timeZone`, and the UTC bounds of the day before. */
export function localDay(now: number, timeZone: string): { today: string; hour: number; yesterday: string; from: number; to: number } {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' })
      .formatToParts(now)
      .map((p) => [p.type, p.value]),
  )
  const [y, m, d, h, min, s] = ['year', 'month', 'day', 'hour', 'minute', 'second'].map((k) => Number(parts[k]))
  // The zone's offset now; a day that changes its offset (DST) is off by that hour, Russia has none.
  const offset = Date.UTC(y!, m! - 1, d!, h!, min!, s!) - Math.floor(now / 1000) * 1000
  const to = Date.UTC(y!, m! - 1, d!) - offset
  const from = to - 24 * 60 * 60_000
  const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10)
  return { today: iso(Date.UTC(y!, m! - 1, d!)), hour: h!, yesterday: iso(Date.UTC(y!, m! - 1, d!) - 24 * 60 * 60_000), from, to }
}
