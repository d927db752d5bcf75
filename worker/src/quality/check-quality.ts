// Checks one campaign for a junk spike when a lead is stored or changes status, and on the sweep:
// judges its recent leads, moves its alert state, and writes the alert or recovery notice with
// its deliveries (the managers' Telegram chats and the webhook targets) in one transaction.
import { targetId } from '../../../shared/schemas/site-config'
import type { AppVariables, Deps } from '../deps'
import { deliverNow } from '../delivery/deliver-now'
import { newDeliveryId } from '../delivery/delivery-id'
import { landingPage } from '../model/landing-page'
import type { LeadPayload } from '../model/lead'
import type { QualityGroup, QualityNotice, QualityQuery, QualitySnapshot, SiteRecord } from '../storage/types'
import { DAY_MS, DEFAULT_QUALITY, judgeWindows, nextAlertState, type QualitySettings, type WindowTotals } from './junk-spike'
import { emailManagers, plainText } from '../notify/email-managers'
import { qualityNoticeData, qualityTelegramText, type QualityNoticeData } from './quality-notice'

/** How many of a group's newest items are read: the window, and the last 24 h up to this many. */
const ITEMS_READ = 200

/** The group a lead counts in: its campaign, or its landing page when it has no UTM tags. */
export function qualityGroupOf(lead: Pick<LeadPayload, 'context'>): QualityGroup {
  const utmSource = lead.context?.utm?.source ?? null
  const utmCampaign = lead.context?.utm?.campaign ?? null
  const page = utmSource === null && utmCampaign === null ? landingPage(lead.context?.page) : null
  return { utmSource, utmCampaign, page }
}

export function qualitySettings(site: SiteRecord): QualitySettings | null {
  const quality = site.config.quality
  if (quality?.enabled === false) return null
  return {
    windowLeads: quality?.windowLeads ?? DEFAULT_QUALITY.windowLeads,
    thresholdPercent: quality?.thresholdPercent ?? DEFAULT_QUALITY.thresholdPercent,
    baselineFactor: quality?.baselineFactor ?? DEFAULT_QUALITY.baselineFactor,
  }
}

/** What a check reads of a group at `now`. */
export function qualityQuery(settings: QualitySettings, now: number, fresh = false): QualityQuery {
  return { limit: Math.max(ITEMS_READ, settings.windowLeads), windowLeads: settings.windowLeads, dayFrom: now - DAY_MS, baselineFrom: now - 30 * DAY_MS, now, fresh }
}

export interface CheckOptions {
  now: number
  /** Totals read already, at `now` (in the lead's insert batch): a lead that changes nothing costs no round trip. */
  snapshot?: QualitySnapshot<WindowTotals>
  /** The server's public origin for the console link; null when unknown (the Workers cron). */
  baseUrl: string | null
  background: AppVariables['background']
}

/** The verdict on a snapshot and the state it moves the group to. */
function judgeSnapshot<W extends WindowTotals>(settings: QualitySettings, snapshot: QualitySnapshot<W>, now: number) {
  const { recent, day, baseline: base } = snapshot
  const baselinePercent = base.leads >= settings.windowLeads ? (100 * base.junk) / base.leads : null
  const verdict = judgeWindows(recent, day, baselinePercent, settings)
  return { baselinePercent, verdict, next: nextAlertState(snapshot.state, verdict, now) }
}

function changes(snapshot: QualitySnapshot<WindowTotals>, { next }: ReturnType<typeof judgeSnapshot>): boolean {
  return next.notify !== null || JSON.stringify(next.state) !== JSON.stringify(snapshot.state)
}

/**
 * A group no good lead can move (quality/settled-groups.ts): quiet and staying so (a spike would
 * change its state), and its last N full (short of N, a good lead can complete a window that alerts).
 */
function settled<W extends WindowTotals>(settings: QualitySettings, snapshot: QualitySnapshot<W>, changed: boolean): boolean {
  return !snapshot.state.alerting && !changed && snapshot.recent.leads >= settings.windowLeads
}

/**
 * What a check at `now` makes of a snapshot: the state it moves the group to, any notice, whether
 * that changes anything, and whether the group is settled.
 */
export function judgeGroupSnapshot<W extends WindowTotals>(settings: QualitySettings, snapshot: QualitySnapshot<W>, now: number) {
  const judged = judgeSnapshot(settings, snapshot, now)
  const changed = changes(snapshot, judged)
  return { ...judged.next, changes: changed, settled: settled(settings, snapshot, changed) }
}

/**
 * Whether the totals read with a lead may move its group's state or send a notice. Most leads'
 * do not: the request then starts no check in the background at all. Whether the group is settled
 * is remembered in this isolate, so that its next good leads skip the read.
 */
export function judgeTotals(deps: Pick<Deps, 'settledGroups'>, site: SiteRecord, group: QualityGroup, snapshot: QualitySnapshot<WindowTotals>, now: number): boolean {
  const settings = qualitySettings(site)
  if (settings === null) return false
  const judged = judgeGroupSnapshot(settings, snapshot, now)
  deps.settledGroups.note(site.id, settings, group, judged.settled, now)
  return judged.changes
}

/** What the check did: nothing, or the notice it sent. */
export async function checkQuality(deps: Deps, site: SiteRecord, group: QualityGroup, { now, baseUrl, background, snapshot }: CheckOptions): Promise<'alert' | 'recovered' | null> {
  const settings = qualitySettings(site)
  if (settings === null) return null
  const read = (fresh: boolean) => deps.quality.snapshot(site.id, group, qualityQuery(settings, now, fresh))
  const judge = <W extends WindowTotals>(snapshot: QualitySnapshot<W>) => judgeSnapshot(settings, snapshot, now)
  // The lead's batch read totals only, and most leads change nothing. A change is decided, and its
  // notice written, on the counts by kind (which the notice reports) and the baseline as they are now.
  if (snapshot !== undefined && !changes(snapshot, judge(snapshot))) return null
  let current = await read(snapshot !== undefined)
  let judged = judge(current)
  if (current.baselineCached && changes(current, judged)) {
    current = await read(true)
    judged = judge(current)
  }
  const { baselinePercent, verdict, next } = judged
  const changed = changes(current, judged)
  deps.settledGroups.note(site.id, settings, group, settled(settings, current, changed), now)
  if (!changed) return null

  let notice: QualityNotice | null = null
  let data: QualityNoticeData | null = null
  if (next.notify !== null) {
    const leadId = await deps.quality.newestLead(site.id, group)
    const kind = next.notify === 'alert' ? 'alert' : 'recovered'
    data = qualityNoticeData({ site: site.id, group, verdict, baselinePercent, since: next.state.since ?? current.state.since ?? now, baseUrl, kind })
    notice = {
      id: crypto.randomUUID(),
      kind,
      data,
      at: now,
      // The managers' chats and the webhook targets; CRMs and auto-replies have no use for it.
      deliveries:
        leadId === null
          ? []
          : site.config.targets.flatMap((target, index) =>
              target.type === 'webhook' || target.type === 'telegram' ? [{ id: newDeliveryId(), targetId: targetId(target, index), nextAttemptAt: now, leadId }] : [],
            ),
    }
  }
  const saved = await deps.quality.saveState(site.id, group, next.state, current.version, notice)
  // Another check moved the state first: it decided, and sent whatever was due.
  if (!saved || notice === null || data === null) return null
  if (notice.deliveries.length > 0)
    background(
      deliverNow(
        deps,
        notice.deliveries.map((d) => d.id),
      ),
    )
  // By email too, to notifyEmails: sent once, a failure logged (the chat and webhooks retry).
  const text = plainText(qualityTelegramText(notice.kind, data, site.config.locale))
  background(emailManagers(deps, site.config, { subject: text.split('\n')[0]!.replace(/^\S+\s/, ''), text, key: `quality/${notice.id}` }))
  return notice.kind
}

/** A check in the background of a request: its failure is logged, never the request's. */
export function checkQualityLater(deps: Deps, site: SiteRecord, group: QualityGroup, options: CheckOptions): Promise<unknown> {
  return checkQuality(deps, site, group, options).catch((error: unknown) => console.error('quality check failed', site.id, error))
}

/**
 * The sweep: every group with a spike under way, since its 24 h window moves on and the spike may
 * end without a new lead. Other groups change only with a lead, a status change or a refused number, which check them.
 */
export async function sweepQuality(deps: Deps, { now, baseUrl, background }: CheckOptions): Promise<number> {
  const groups = await deps.quality.alertingGroups(500)
  const sites = new Map<string, SiteRecord | null>()
  let sent = 0
  for (const { siteId, group } of groups) {
    if (!sites.has(siteId)) sites.set(siteId, await deps.sites.getSite(siteId))
    const site = sites.get(siteId)
    if (!site) continue
    if ((await checkQuality(deps, site, group, { now, baseUrl, background })) !== null) sent++
  }
  return sent
}
