// What a junk-spike alert or recovery says: the `quality.alert` / `quality.recovered` webhook data
// (docs/webhooks.md) and the managers' Telegram message, built from the same stored data.
import * as v from 'valibot'
import { escapeTelegramHtml } from '../delivery/adapters/telegram-card'
import type { QualityGroup } from '../storage/types'
import type { Verdict, WindowCounts } from './junk-spike'

export interface QualityNoticeData {
  site: string
  group: { utmSource: string | null; utmCampaign: string | null; page: string | null }
  window: WindowCounts
  junkPercent: number
  /** The site's 30-day junk share, percent; null before it has N leads. */
  baselinePercent: number | null
  /** ISO 8601: when the spike was first seen. */
  since: string
  /** The console's report by campaign for the site; null when the server does not know its address. */
  consoleUrl: string | null
}

export function qualityNoticeData(input: {
  site: string
  group: QualityGroup
  verdict: Verdict
  baselinePercent: number | null
  since: number
  baseUrl: string | null
  kind: 'alert' | 'recovered'
}): QualityNoticeData {
  const { site, group, verdict, baselinePercent, since, baseUrl, kind } = input
  // An alert reports the window that raised it; a recovery the last N leads that ended it.
  return {
    site,
    group: { utmSource: group.utmSource, utmCampaign: group.utmCampaign, page: group.page },
    window: kind === 'alert' ? verdict.window : verdict.recent,
    junkPercent: kind === 'alert' ? verdict.junkPercent : verdict.recentPercent,
    baselinePercent: baselinePercent === null ? null : Math.round(baselinePercent * 10) / 10,
    since: new Date(since).toISOString(),
    consoleUrl: baseUrl === null ? null : `${baseUrl}/console/#/report?site=${encodeURIComponent(site)}&by=${group.page === null ? 'campaign' : 'page'}`,
  }
}

const CountsSchema = v.object({
  leads: v.number(),
  junk: v.number(),
  spam: v.number(),
  invalidPhone: v.number(),
  wrongNumber: v.number(),
  offTarget: v.number(),
})
/** Stored notices are parsed on read: the Telegram text trusts nothing it did not check. */
export const QualityNoticeDataSchema = v.object({
  site: v.string(),
  group: v.object({ utmSource: v.nullable(v.string()), utmCampaign: v.nullable(v.string()), page: v.nullable(v.string()) }),
  window: CountsSchema,
  junkPercent: v.number(),
  baselinePercent: v.nullable(v.number()),
  since: v.string(),
  consoleUrl: v.nullable(v.string()),
})

function groupName(group: QualityNoticeData['group']): string {
  if (group.page !== null) return group.page
  return `${group.utmSource ?? '—'} / ${group.utmCampaign ?? '—'}`
}

/** The chat message: HTML mode, every value escaped. */
export function qualityTelegramText(kind: 'alert' | 'recovered', data: QualityNoticeData, locale: 'ru' | 'en'): string {
  const name = `<b>${escapeTelegramHtml(groupName(data.group))}</b>`
  const w = data.window
  const ru = locale === 'ru'
  const head =
    kind === 'alert'
      ? ru
        ? `🚨 Всплеск брака: ${name} — ${data.junkPercent} % из последних ${w.leads}`
        : `🚨 Junk spike: ${name} — ${data.junkPercent} % of the last ${w.leads}`
      : ru
        ? `✅ Брак снова в норме: ${name} — ${data.junkPercent} % из последних ${w.leads}`
        : `✅ Junk back to normal: ${name} — ${data.junkPercent} % of the last ${w.leads}`
  const lines = [head]
  if (kind === 'alert') {
    lines.push(
      ru
        ? `Неверный номер: ${w.wrongNumber}, спам: ${w.spam}, номер отклонён: ${w.invalidPhone}, нецелевые: ${w.offTarget}`
        : `Wrong number: ${w.wrongNumber}, spam: ${w.spam}, phone refused: ${w.invalidPhone}, off target: ${w.offTarget}`,
    )
    if (data.baselinePercent !== null) lines.push(ru ? `Обычно на сайте: ${data.baselinePercent} %` : `Site's usual: ${data.baselinePercent} %`)
  }
  if (data.consoleUrl) lines.push(`<a href="${escapeTelegramHtml(data.consoleUrl, true)}">${ru ? 'Отчёт' : 'Report'}</a>`)
  return lines.join('\n')
}
