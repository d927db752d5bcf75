// The settled-group memory, and the claim it rests on: while no item leaves the 24 h window and the
// baseline holds, a good lead of a settled group changes nothing, so skipping its totals read sends
// the same alerts and recoveries at the same leads as checking every lead does.
import { env } from 'cloudflare:workers'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { QualityGroup, QualitySnapshot } from '../storage/types'
import { judgeGroupSnapshot, qualityQuery } from './check-quality'
import { DAY_MS, DEFAULT_QUALITY, QUIET, countWindow, type AlertState, type QualityItem, type QualityItemKind, type QualitySettings, type WindowTotals } from './junk-spike'
import { SETTLED_TTL_MS, newSettledGroups } from './settled-groups'

// The run's seed (vitest.config.ts prints it): a failure replays with FUZZ_SEED=<n>.
fc.configureGlobal({ seed: Number(env.FUZZ_SEED ?? 0) })

const GROUP: QualityGroup = { utmSource: 'ya', utmCampaign: 'spring', page: null }
const OTHER: QualityGroup = { utmSource: 'ya', utmCampaign: 'autumn', page: null }
const totals = (items: readonly QualityItem[]): WindowTotals => {
  const { leads, junk } = countWindow(items)
  return { leads, junk }
}

/** What the store reads of a group at `now`: its items newest first, the site's baseline, the state. */
function snapshotOf(
  newestFirst: readonly QualityItem[],
  now: number,
  settings: QualitySettings,
  state: AlertState,
  baseline: { leads: number; junk: number },
): QualitySnapshot<WindowTotals> {
  return {
    recent: totals(newestFirst.slice(0, settings.windowLeads)),
    // The day window is the last 24 h of the group's newest `limit` items, as the store reads it.
    day: totals(newestFirst.slice(0, qualityQuery(settings, now).limit).filter((item) => item.at > now - DAY_MS)),
    baseline,
    baselineCached: false,
    group: GROUP,
    state,
    version: 0,
  }
}

type Notice = { at: number; notify: 'alert' | 'recovery' }

/** Runs the items through the check, on every lead or (with `skip`) as the worker does now. */
function run(items: readonly QualityItem[], settings: QualitySettings, baseline: { leads: number; junk: number }, skip: boolean) {
  const memory = newSettledGroups()
  const seen: QualityItem[] = []
  let state: AlertState = QUIET
  const notices: Notice[] = []
  let reads = 0
  for (const item of items) {
    seen.unshift(item)
    if (skip && item.kind === 'ok' && memory.has('shop', settings, GROUP, item.at)) continue
    reads++
    const next = judgeGroupSnapshot(settings, snapshotOf(seen, item.at, settings, state, baseline), item.at)
    memory.note('shop', settings, GROUP, next.settled, item.at)
    state = next.state
    if (next.notify !== null) notices.push({ at: item.at, notify: next.notify })
  }
  return { notices, state, reads }
}

const KINDS: readonly QualityItemKind[] = ['ok', 'spam', 'invalid_phone', 'wrong_number', 'off_target', 'junk_other']

describe('settled groups', () => {
  it('remember a settled reading for the TTL, per site, group and settings, and forget it on an unsettled one', () => {
    const memory = newSettledGroups()
    const t = Date.UTC(2026, 11, 7)
    memory.note('shop', DEFAULT_QUALITY, GROUP, true, t)
    expect(memory.has('shop', DEFAULT_QUALITY, GROUP, t + SETTLED_TTL_MS - 1)).toBe(true)
    expect(memory.has('shop', DEFAULT_QUALITY, GROUP, t + SETTLED_TTL_MS)).toBe(false)
    // A clock that went back does not stretch a reading.
    expect(memory.has('shop', DEFAULT_QUALITY, GROUP, t - 1)).toBe(false)
    expect(memory.has('other-site', DEFAULT_QUALITY, GROUP, t)).toBe(false)
    expect(memory.has('shop', DEFAULT_QUALITY, OTHER, t)).toBe(false)
    expect(memory.has('shop', { ...DEFAULT_QUALITY, thresholdPercent: 30 }, GROUP, t)).toBe(false)
    memory.note('shop', DEFAULT_QUALITY, GROUP, false, t + 2)
    expect(memory.has('shop', DEFAULT_QUALITY, GROUP, t + 3)).toBe(false)
    // A request whose read was earlier but whose answer was judged later does not undo a newer reading.
    memory.note('shop', DEFAULT_QUALITY, GROUP, true, t + 1)
    expect(memory.has('shop', DEFAULT_QUALITY, GROUP, t + 3)).toBe(false)
    memory.note('shop', DEFAULT_QUALITY, GROUP, true, t + 2)
    expect(memory.has('shop', DEFAULT_QUALITY, GROUP, t + 3)).toBe(true)
  })

  it('hold at most 1 000 groups, dropping the oldest reading first', () => {
    const memory = newSettledGroups()
    const t = Date.UTC(2026, 11, 7)
    const group = (i: number): QualityGroup => ({ utmSource: 'ya', utmCampaign: `c${i}`, page: null })
    for (let i = 0; i < 1_000; i++) memory.note('shop', DEFAULT_QUALITY, group(i), true, t)
    // c0 read again: now the newest.
    memory.note('shop', DEFAULT_QUALITY, group(0), true, t)
    memory.note('shop', DEFAULT_QUALITY, group(1_000), true, t)
    expect(memory.has('shop', DEFAULT_QUALITY, group(0), t)).toBe(true)
    expect(memory.has('shop', DEFAULT_QUALITY, group(1), t)).toBe(false)
    expect(memory.has('shop', DEFAULT_QUALITY, group(2), t)).toBe(true)
    expect(memory.has('shop', DEFAULT_QUALITY, group(1_000), t)).toBe(true)
  })

  it('within a day and a baseline, skipping good leads of settled groups sends what checking every lead sends', () => {
    const item = fc.record({
      gapMs: fc.integer({ min: 0, max: 30_000 }),
      kind: fc.oneof({ weight: 3, arbitrary: fc.constant<QualityItemKind>('ok') }, { weight: 1, arbitrary: fc.constantFrom(...KINDS) }),
    })
    let skipped = 0
    let total = 0
    fc.assert(
      fc.property(
        fc.array(item, { minLength: 1, maxLength: 400, size: 'max' }),
        fc.record({ windowLeads: fc.integer({ min: 5, max: 40 }), thresholdPercent: fc.integer({ min: 5, max: 80 }), baselineFactor: fc.constantFrom(1.5, 2, 3) }),
        fc.integer({ min: 0, max: 60 }),
        (gaps, settings, baselinePercent) => {
          const start = Date.UTC(2026, 11, 7)
          let at = start
          const items = gaps.map(({ gapMs, kind }) => ({ at: (at += gapMs), kind }))
          // Within the day: nothing ages out of the 24 h window.
          fc.pre(at - start < DAY_MS)
          const baseline = { leads: 1_000, junk: 10 * baselinePercent }
          const every = run(items, settings, baseline, false)
          const settled = run(items, settings, baseline, true)
          expect(settled.notices).toEqual(every.notices)
          expect(settled.state).toEqual(every.state)
          skipped += every.reads - settled.reads
          total += every.reads
        },
      ),
      { numRuns: 300 },
    )
    // The claim is not vacuous: leads were skipped.
    console.log(`settled groups: ${skipped} of ${total} checks skipped`)
    expect(skipped).toBeGreaterThan(total / 4)
  })

  it('sees a spike that good leads leaving the 24 h window make at the first lead after the TTL, where checking every lead sees it at once', () => {
    const settings = DEFAULT_QUALITY
    const baseline = { leads: 1_000, junk: 0 }
    const start = Date.UTC(2026, 11, 7)
    // Yesterday morning: 200 good leads, a second apart. Two hours on, a bad campaign: 100 leads a
    // minute apart, 60 % junk in a pattern whose every 20 hold 12 (under the bound), while the day
    // window's newest 200 hold yesterday's good leads too. A day after those, they leave the window
    // one a second, and good leads come every 30 s: the day window's junk share rises on its own.
    const items: QualityItem[] = []
    for (let i = 0; i < 200; i++) items.push({ at: start + i * 1_000, kind: 'ok' })
    const later = start + 2 * 60 * 60_000
    const pattern: QualityItemKind[] = ['wrong_number', 'spam', 'ok', 'off_target', 'ok']
    for (let i = 0; i < 100; i++) items.push({ at: later + i * 60_000, kind: pattern[i % 5]! })
    const ageing = start + DAY_MS
    for (let i = 0; i < 30; i++) items.push({ at: ageing + i * 30_000, kind: 'ok' })
    const every = run(items, settings, baseline, false)
    const settled = run(items, settings, baseline, true)
    const alertOf = (r: ReturnType<typeof run>) => r.notices.find((n) => n.notify === 'alert')?.at
    const first = alertOf(every)
    const late = alertOf(settled)
    expect(first).toBeGreaterThanOrEqual(ageing + 100_000)
    expect(late).toBeGreaterThanOrEqual(first!)
    // At the first good lead at least a TTL after the last full read: one lead's gap past the TTL at most.
    expect(late! - first!).toBeLessThanOrEqual(SETTLED_TTL_MS + 30_000)
    expect(settled.reads).toBeLessThan(every.reads)
  })
})
