// Junk-spike judgement for one campaign (issue 16): the junk share over the group's last N leads
// and over the last 24 h, against the site's threshold and baselineFactor (2) × its 30-day
// baseline. Pure: the store supplies the items, quality/check-quality.ts acts on the verdict.

/** One submission of a group: a stored lead by where it is now, or a refused one. */
export type QualityItemKind = 'ok' | 'spam' | 'invalid_phone' | 'wrong_number' | 'off_target' | 'junk_other'

export interface QualityItem {
  /** unix ms: when it was submitted */
  at: number
  kind: QualityItemKind
}

export interface QualitySettings {
  /** N: the rolling window, and the fewest leads a window needs before it can alert. */
  windowLeads: number
  /** The site's threshold, percent. */
  thresholdPercent: number
  /** This many times the site's 30-day baseline alerts too, when that is under the threshold. */
  baselineFactor: number
}

export const DEFAULT_QUALITY: QualitySettings = { windowLeads: 20, thresholdPercent: 40, baselineFactor: 2 }

export const DAY_MS = 24 * 60 * 60_000

/** The window's counts, as `quality.alert` reports them. */
export interface WindowCounts {
  leads: number
  /** Everything below together (and junk of other reasons). */
  junk: number
  spam: number
  invalidPhone: number
  wrongNumber: number
  offTarget: number
}

/** What a verdict is decided on; the counts by kind are what a notice reports. */
export type WindowTotals = Pick<WindowCounts, 'leads' | 'junk'>

export function countWindow(items: readonly QualityItem[]): WindowCounts {
  const counts: WindowCounts = { leads: items.length, junk: 0, spam: 0, invalidPhone: 0, wrongNumber: 0, offTarget: 0 }
  for (const { kind } of items) {
    if (kind === 'ok') continue
    counts.junk++
    if (kind === 'spam') counts.spam++
    else if (kind === 'invalid_phone') counts.invalidPhone++
    else if (kind === 'wrong_number') counts.wrongNumber++
    else if (kind === 'off_target') counts.offTarget++
  }
  return counts
}

/**
 * z for a one-sided 99 % bound. Twenty leads are a small sample: a campaign at 15 % junk shows 30 %
 * in one window of twenty about once in fifty, and a rolling window is looked at on every lead, so
 * "above the limit" is judged on the share's lower confidence bound, not the raw share. On the
 * generated quarter of junk-spike.test.ts (30 healthy campaigns, 13 634 leads) the raw share
 * raised 130 alerts and this bound none (about one quarter in forty raises one, by simulation),
 * and it still flags the month's bad campaign at its 11th bad lead (the raw share: its 5th).
 */
const Z = 2.576

/** Wilson score lower bound of a proportion. */
export function junkLowerBound(junk: number, leads: number): number {
  if (leads === 0) return 0
  const p = junk / leads
  const z2 = Z * Z
  return (p + z2 / (2 * leads) - Z * Math.sqrt((p * (1 - p)) / leads + z2 / (4 * leads * leads))) / (1 + z2 / leads)
}

export interface Verdict<W extends WindowTotals = WindowCounts> {
  /** The share is above the limit in a window with at least N leads. */
  spike: boolean
  /** The window that decided: the worse of the last N leads and the last 24 h (when it has N). */
  window: W
  junkPercent: number
  /** min(threshold, baselineFactor × baseline), percent. */
  limitPercent: number
  /** The last N leads alone: what a recovery is judged and reported on. */
  recent: W
  recentPercent: number
}

/**
 * @param newestFirst the group's items, newest first: at least its last N, and all of the last 24 h
 * @param baselinePercent the site's junk share over the last 30 days, percent (null: too little history)
 */
export function judgeGroup(newestFirst: readonly QualityItem[], now: number, baselinePercent: number | null, settings: QualitySettings = DEFAULT_QUALITY): Verdict {
  const recent = countWindow(newestFirst.slice(0, settings.windowLeads))
  return judgeWindows(recent, countWindow(newestFirst.filter((item) => item.at > now - DAY_MS)), baselinePercent, settings)
}

/**
 * judgeGroup on the two windows' counts, which the store counts in SQL (a check then reads two
 * rows, not the group's last 200 leads). Only leads and junk decide; the rest is carried along.
 * @param recent the group's last N items
 * @param day its items of the last 24 h (as many as the store reads)
 */
export function judgeWindows<W extends WindowTotals>(recent: W, day: W, baselinePercent: number | null, settings: QualitySettings = DEFAULT_QUALITY): Verdict<W> {
  const { windowLeads: n, thresholdPercent, baselineFactor } = settings
  // A site with no junk at all yet has no baseline to double: its threshold alone applies.
  const limitPercent = baselinePercent === null || baselinePercent <= 0 ? thresholdPercent : Math.min(thresholdPercent, baselineFactor * baselinePercent)
  const windows = [recent, day].filter((w) => w.leads >= n)
  const percent = (w: WindowTotals) => (w.leads === 0 ? 0 : (100 * w.junk) / w.leads)
  const worst = windows.sort((a, b) => junkLowerBound(b.junk, b.leads) - junkLowerBound(a.junk, a.leads))[0]
  const window = worst ?? recent
  return {
    // The epsilon keeps a bound of 0 computed as 1e-17 from counting as above a limit of 0.
    spike: worst !== undefined && worst.junk > 0 && 100 * junkLowerBound(worst.junk, worst.leads) > limitPercent + 1e-9,
    window,
    junkPercent: Math.round(percent(window) * 10) / 10,
    limitPercent,
    recent,
    recentPercent: Math.round(percent(recent) * 10) / 10,
  }
}

/** A spike is over once the last N leads' raw share is back under the limit. */
export function recovered(verdict: Verdict<WindowTotals>): boolean {
  return !verdict.spike && verdict.recentPercent < verdict.limitPercent
}

/** What the site was last told about a group. */
export interface AlertState {
  /** A spike is under way (whether or not it was announced). */
  alerting: boolean
  /** When the current spike was first seen. */
  since: number | null
  /** The last alert sent for this group. */
  lastAlertAt: number | null
  /** This spike was announced, so its end gets a recovery notice. */
  notified: boolean
}

export const QUIET: AlertState = { alerting: false, since: null, lastAlertAt: null, notified: false }

/**
 * At most one alert per group per day (a spike that outlasts the day is announced again), and a
 * recovery notice when an announced spike ends.
 */
export function nextAlertState(state: AlertState, verdict: Verdict<WindowTotals>, now: number): { state: AlertState; notify: 'alert' | 'recovery' | null } {
  const mayAlert = state.lastAlertAt === null || now - state.lastAlertAt >= DAY_MS
  if (verdict.spike) {
    const since = state.alerting ? state.since : now
    if (mayAlert) return { state: { alerting: true, since, lastAlertAt: now, notified: true }, notify: 'alert' }
    return { state: { ...state, alerting: true, since }, notify: null }
  }
  if (state.alerting && recovered(verdict)) {
    return { state: { ...state, alerting: false, since: null, notified: false }, notify: state.notified ? 'recovery' : null }
  }
  return { state, notify: null }
}
