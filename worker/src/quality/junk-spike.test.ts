// The junk-spike rules on generated traffic (issue 16): a month where one campaign turns to the
// field case's junk (about 60 % wrong numbers and spam, 25 % off target) among good campaigns at
// about 15 %, and a quarter of healthy traffic across 30 campaigns. Seeded; the figures print.
import { describe, expect, it } from 'vitest'
import { DAY_MS, QUIET, judgeGroup, nextAlertState, type AlertState, type QualityItem, type QualityItemKind } from './junk-spike'

/** mulberry32: small, seeded, good enough for traffic. */
function random(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** One lead's fate: junk of the field case's kinds at `junkRate`, split as it was split there. */
function fate(rnd: () => number, junkRate: number, offTargetShare: number): QualityItemKind {
  if (rnd() >= junkRate) return 'ok'
  if (rnd() < offTargetShare) return 'off_target'
  const r = rnd()
  return r < 0.45 ? 'wrong_number' : r < 0.8 ? 'spam' : 'invalid_phone'
}

interface Campaign {
  name: string
  leadsPerDay: number
  junkRate: (day: number) => number
  offTargetShare: (day: number) => number
}

interface Run {
  alerts: { campaign: string; at: number; junkPercent: number; window: number }[]
  recoveries: { campaign: string; at: number }[]
  /** Per campaign, its junk share over the whole run. */
  junkShare: Map<string, number>
  /** Bad leads of `watch` since it turned, up to and including the one that raised its alert. */
  badLeadsBeforeFlag: number | null
  leads: number
}

/**
 * Generates `days` of leads (Poisson-ish per day, spread over the day), checks each campaign on
 * every lead exactly as the worker does (the group's last N and last 24 h against min(40 %, 2 ×
 * the site's 30-day baseline)), and on a 5-minute sweep too.
 */
function simulate(seed: number, days: number, campaigns: Campaign[], watch?: { name: string; fromDay: number }): Run {
  const rnd = random(seed)
  const items: { campaign: string; item: QualityItem }[] = []
  const start = Date.UTC(2026, 8, 1)
  for (let day = 0; day < days; day++) {
    for (const c of campaigns) {
      // A binomial over 48 slots: daily volume varies like real traffic does.
      let n = 0
      for (let s = 0; s < 48; s++) if (rnd() < c.leadsPerDay / 48) n++
      for (let i = 0; i < n; i++) {
        items.push({ campaign: c.name, item: { at: start + day * DAY_MS + Math.floor(rnd() * DAY_MS), kind: fate(rnd, c.junkRate(day), c.offTargetShare(day)) } })
      }
    }
  }
  items.sort((a, b) => a.item.at - b.item.at)

  const byCampaign = new Map<string, QualityItem[]>(campaigns.map((c) => [c.name, []]))
  const states = new Map<string, AlertState>(campaigns.map((c) => [c.name, QUIET]))
  const site: QualityItem[] = []
  const run: Run = { alerts: [], recoveries: [], junkShare: new Map(), badLeadsBeforeFlag: null, leads: items.length }
  let watchedBad = 0
  // The site's last 30 days, every campaign, as a sliding window over `site`.
  let from = 0
  let junkInWindow = 0
  const baselineAt = (now: number) => {
    while (from < site.length && site[from]!.at <= now - 30 * DAY_MS) junkInWindow -= site[from++]!.kind === 'ok' ? 0 : 1
    const leads = site.length - from
    return leads >= 20 ? (100 * junkInWindow) / leads : null
  }
  const check = (name: string, now: number) => {
    const newestFirst = byCampaign.get(name)!.slice(-500).reverse()
    const baseline = baselineAt(now)
    const verdict = judgeGroup(newestFirst, now, baseline)
    const next = nextAlertState(states.get(name)!, verdict, now)
    states.set(name, next.state)
    if (next.notify === 'alert') {
      run.alerts.push({ campaign: name, at: now, junkPercent: verdict.junkPercent, window: verdict.window.leads })
      if (watch?.name === name && run.badLeadsBeforeFlag === null) run.badLeadsBeforeFlag = watchedBad
    }
    if (next.notify === 'recovery') run.recoveries.push({ campaign: name, at: now })
  }
  let nextSweep = start
  for (const { campaign, item } of items) {
    while (nextSweep < item.at) {
      for (const c of campaigns) if (states.get(c.name)!.alerting) check(c.name, nextSweep)
      nextSweep += 5 * 60_000
    }
    byCampaign.get(campaign)!.push(item)
    site.push(item)
    if (item.kind !== 'ok') junkInWindow++
    if (watch?.name === campaign && item.at >= start + watch.fromDay * DAY_MS && item.kind !== 'ok') watchedBad++
    check(campaign, item.at)
  }
  for (const [name, list] of byCampaign) run.junkShare.set(name, list.filter((i) => i.kind !== 'ok').length / Math.max(1, list.length))
  return run
}

const percent = (x: number) => `${(100 * x).toFixed(1)} %`

describe('junk-spike alerts on generated traffic', () => {
  it('a month: the good campaigns keep about 15 % junk, the one that turns bad is flagged before its 20th bad lead', () => {
    const seed = 20261202
    const good = Array.from(
      { length: 9 },
      (_, i): Campaign => ({
        name: `yandex / good-${i}`,
        leadsPerDay: 4 + (i % 4) * 2,
        junkRate: () => 0.15,
        offTargetShare: () => 0.35,
      }),
    )
    // From day 10 the field case: ~60 % wrong numbers and spam plus ~25 % off target = ~85 % junk.
    const bad: Campaign = {
      name: 'vk / misconfigured',
      leadsPerDay: 6,
      junkRate: (day) => (day < 10 ? 0.15 : 0.85),
      offTargetShare: (day) => (day < 10 ? 0.35 : 0.25 / 0.85),
    }
    const run = simulate(seed, 30, [...good, bad], { name: bad.name, fromDay: 10 })
    const goodShares = good.map((c) => run.junkShare.get(c.name)!)
    const mean = goodShares.reduce((a, b) => a + b, 0) / goodShares.length
    const flag = run.alerts.find((a) => a.campaign === bad.name)
    console.log(
      `[quality] month, seed ${seed}: ${run.leads} leads in 10 campaigns; good campaigns ${percent(mean)} junk on average ` +
        `(${goodShares.map(percent).join(', ')}); bad campaign ${percent(run.junkShare.get(bad.name)!)} over the month, ` +
        `flagged at its bad lead #${run.badLeadsBeforeFlag} (${flag?.junkPercent} % of its last ${flag?.window}); ` +
        `${run.alerts.length} alerts, all for it, one a day from day ${Math.floor((flag!.at - Date.UTC(2026, 8, 1)) / DAY_MS)} (it turned on day 10)`,
    )
    expect(mean).toBeGreaterThan(0.12)
    expect(mean).toBeLessThan(0.18)
    expect(flag).toBeDefined()
    expect(run.badLeadsBeforeFlag).toBeLessThan(20)
    // Nobody else: the good campaigns stay quiet, and the bad one is told once a day at most.
    expect(run.alerts.every((a) => a.campaign === bad.name)).toBe(true)
    const days = run.alerts.map((a) => a.at)
    for (let i = 1; i < days.length; i++) expect(days[i]! - days[i - 1]!).toBeGreaterThanOrEqual(DAY_MS)
  })

  it('a quarter of healthy traffic across 30 campaigns with natural noise raises no alert', () => {
    const seed = 7
    const rnd = random(seed * 977)
    const campaigns = Array.from({ length: 30 }, (_, i): Campaign => {
      // Each campaign its own volume (1–10 a day) and junk level (12–18 %), drifting by week.
      const level = 0.12 + rnd() * 0.06
      const drift = Array.from({ length: 14 }, () => (rnd() - 0.5) * 0.03)
      return {
        name: `source-${i % 5} / campaign-${i}`,
        leadsPerDay: 1 + rnd() * 9,
        junkRate: (day) => level + drift[Math.floor(day / 7)]!,
        offTargetShare: () => 0.3,
      }
    })
    const run = simulate(seed, 91, campaigns)
    const shares = [...run.junkShare.values()]
    console.log(
      `[quality] quarter, seed ${seed}: ${run.leads} leads in 30 campaigns over 91 days, junk ${percent(Math.min(...shares))}–${percent(Math.max(...shares))} per campaign; ` +
        `alerts: ${run.alerts.length}`,
    )
    expect(run.alerts).toEqual([])
  })
})

describe('judgeGroup', () => {
  const now = Date.UTC(2026, 11, 1)
  const items = (kinds: QualityItemKind[]) => kinds.map((kind, i) => ({ at: now - i * 60_000, kind }))
  const settings = { windowLeads: 5, thresholdPercent: 40, baselineFactor: 2 }

  it('needs N leads in a window before it can alert', () => {
    expect(judgeGroup(items(['spam', 'spam', 'spam', 'spam']), now, 10, settings).spike).toBe(false)
    expect(judgeGroup(items(['spam', 'spam', 'spam', 'spam', 'spam']), now, 10, settings).spike).toBe(true)
  })

  it('takes a baseline of 0 as none: the threshold alone applies, and no junk is never a spike', () => {
    expect(judgeGroup(items(['ok', 'ok', 'ok', 'ok', 'ok']), now, 0, settings)).toMatchObject({ spike: false, limitPercent: 40 })
    expect(judgeGroup(items(['ok', 'ok', 'ok', 'ok', 'spam']), now, 0, settings).spike).toBe(false)
  })

  it('alerts above twice the baseline when that is under the threshold, and counts the 24 h window too', () => {
    const twenty = { windowLeads: 20, thresholdPercent: 40, baselineFactor: 2 }
    // 9 of 20 junk (45 %): its 99 % lower bound is about 22 %, above 2 × 10 % and under 40 %.
    const mixed = items([...Array<QualityItemKind>(9).fill('wrong_number'), ...Array<QualityItemKind>(11).fill('ok')])
    expect(judgeGroup(mixed, now, 10, twenty)).toMatchObject({ spike: true, limitPercent: 20 })
    expect(judgeGroup(mixed, now, 30, twenty)).toMatchObject({ spike: false, limitPercent: 40 })
    // The last 20 are clean, but the last 24 h hold 40 leads of which 20 junk.
    const day = [...items(Array<QualityItemKind>(20).fill('ok')), ...Array.from({ length: 20 }, (_, i) => ({ at: now - 3 * 3600_000 - i, kind: 'spam' as const }))]
    expect(judgeGroup(day, now, 10, twenty)).toMatchObject({ spike: true, window: { leads: 40, junk: 20, spam: 20 } })
  })

  it('takes the multiple of the baseline from the site: 3 × 10 % is 30 %, above this window’s bound', () => {
    const mixed = items([...Array<QualityItemKind>(9).fill('wrong_number'), ...Array<QualityItemKind>(11).fill('ok')])
    expect(judgeGroup(mixed, now, 10, { windowLeads: 20, thresholdPercent: 40, baselineFactor: 3 })).toMatchObject({ spike: false, limitPercent: 30 })
  })
})
