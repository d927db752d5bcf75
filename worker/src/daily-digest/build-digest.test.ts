// The digest's figures and text, and the local day in a site's time zone.
import { describe, expect, it } from 'vitest'
import { digestFigures, digestText, localDay, type DigestLead } from './build-digest'

const MIN = 60_000
const T = Date.UTC(2026, 11, 1, 7, 0) // 10:00 in Moscow
const lead = (overrides: Partial<DigestLead> = {}): DigestLead => ({
  createdAt: T,
  temperature: 'hot',
  spam: false,
  firstActionAt: T + 2 * MIN,
  junk: false,
  utmSource: 'yandex',
  utmCampaign: 'spring',
  ...overrides,
})

describe('the daily digest', () => {
  const leads = [
    lead(),
    lead({ firstActionAt: null }), // hot, nobody took it: also an SLA breach by the next morning
    lead({ temperature: 'warm', firstActionAt: T + 30 * MIN }), // late for warm (15 min)
    lead({ temperature: 'cold', junk: true, utmSource: 'vk', utmCampaign: 'broken' }),
    lead({ spam: true, utmSource: 'vk', utmCampaign: 'broken' }),
  ]
  const sla = { hot: 5, warm: 15, cold: 60 }
  const now = T + 24 * 60 * MIN

  it('counts leads by temperature, hot leads nobody took, SLA breaches and junk by campaign', () => {
    expect(digestFigures({ leads, sla, now })).toEqual({
      leads: 4,
      byTemperature: { hot: 2, warm: 1, cold: 1 },
      hotUntaken: 1,
      slaBreaches: 2,
      junkByCampaign: [{ campaign: 'vk / broken', junk: 2, leads: 2 }],
    })
    expect(digestFigures({ leads, sla: null, now }).slaBreaches).toBeNull()
  })

  it('says it in the chat language, with the campaign escaped and the report linked', () => {
    const text = digestText({
      site: 'shop',
      day: '2026-12-01',
      leads: [...leads, lead({ junk: true, utmCampaign: '<b>x</b>' })],
      sla,
      now,
      reportUrl: 'https://leads.example/console/#/report?site=shop&days=7',
      locale: 'ru',
    })
    expect(text.split('\n')).toEqual([
      '📊 <b>Сводка за 2026-12-01</b> · shop',
      'Заявок: 5 (🔥 3, 🌤 1, ❄️ 1)',
      'Горячие, которые никто не взял: 1',
      'Нарушений SLA: 2',
      'Брак по кампаниям:',
      '• vk / broken: 2 / 2',
      '• yandex / &lt;b&gt;x&lt;/b&gt;: 1 / 1',
      '<a href="https://leads.example/console/#/report?site=shop&amp;days=7">Отчёт</a>',
    ])
  })

  it('finds the local day, its hour and the bounds of the day before', () => {
    // 2026-12-01 22:30 UTC is 2026-12-02 01:30 in Moscow (UTC+3).
    expect(localDay(Date.UTC(2026, 11, 1, 22, 30), 'Europe/Moscow')).toEqual({
      today: '2026-12-02',
      hour: 1,
      yesterday: '2026-12-01',
      from: Date.UTC(2026, 10, 30, 21, 0),
      to: Date.UTC(2026, 11, 1, 21, 0),
    })
  })
})
