// From a validated lead to a stored one: idempotency, contact rules, consent, spam verdict, score,
// dedupe, and the delivery rows.
import type { LeadAcceptedBody } from '../../../shared/api'
import { visitorErrorMessage } from '../../../shared/messages'
import { replyTextFor } from '../../../shared/reply'
import type { CountryCode } from '../../../shared/phone'
import type { LeadOutput } from '../../../shared/schemas/lead'
import { siteCaptcha, targetId } from '../../../shared/schemas/site-config'
import { scoreLead } from '../../../shared/score'
import { ApiError } from '../http/api-error'
import type { LeadRecord, LeadStore, NewDelivery, QualitySnapshot, QualityStore, SiteRecord } from '../storage/types'
import { qualityGroupOf, qualityQuery, qualitySettings } from '../quality/check-quality'
import type { SettledGroups } from '../quality/settled-groups'
import type { WindowTotals } from '../quality/junk-spike'
import type { LeadPayload } from '../model/lead'
import { DEFAULT_RATE_LIMITS, leadRateLimits, rejectionRateLimits } from '../security/rate-limiter'
import type { RateDecision, RateLimiter } from '../security/rate-limiter'
import { normalizeContact } from './normalize-contact'
import { scoringRulesFor } from './scoring-rules'
import { detectSpam } from './spam-rules'
import { verifyLeadCaptcha } from './verify-captcha'
import { labelAnswers } from './label-answers'
import { checkFlow, replayFlow, withFlowScore } from '../../../shared/flow'
import type { DeliveryQueue } from '../delivery/delivery-queue'
import { newDeliveryId } from '../delivery/delivery-id'
import { planRouting } from '../lead-routing/route-new-lead'

export interface IngestOutcome {
  /** `replayed`: this id was accepted before; nothing new was stored or forwarded. */
  kind: 'created' | 'replayed'
  body: LeadAcceptedBody
  deliveryIds: string[]
  /** The campaign's totals with this lead in them, read in its insert batch for the campaign check. */
  quality?: QualitySnapshot<WindowTotals>
}

export interface RequestMeta {
  ip: string | null
  userAgent: string | null
  now: number
}

const DAY_MS = 24 * 60 * 60 * 1000

/**
 * Spam gets the answer a real lead would get (same shape, no spam penalty in the numbers), so a
 * bot learns nothing from it.
 */
function acceptedBody(record: LeadRecord): LeadAcceptedBody {
  const { payload } = record
  const visible = record.status === 'spam' ? payload.reasons.filter((r) => r.rule !== 'spam') : payload.reasons
  const score =
    record.status === 'spam'
      ? Math.max(
          0,
          Math.min(
            100,
            visible.reduce((s, r) => s + r.points, 0),
          ),
        )
      : payload.score
  return {
    id: payload.id,
    status: 'accepted',
    duplicate: payload.duplicate,
    reply: { text: record.replyText },
    score,
    temperature: record.status === 'spam' ? temperatureLike(score, payload) : payload.temperature,
  }
}

function temperatureLike(score: number, payload: LeadPayload): LeadPayload['temperature'] {
  // Thresholds are not stored with the lead; the defaults keep the disguise plausible.
  return score >= 70 ? 'hot' : score >= 40 ? 'warm' : payload.temperature
}

function replayed(existing: LeadRecord, siteId: string): IngestOutcome {
  if (existing.payload.site !== siteId) {
    throw new ApiError(409, 'id_conflict', 'This lead id is already used by another site; generate a new id.')
  }
  return { kind: 'replayed', body: acceptedBody(existing), deliveryIds: [] }
}

async function replayOf(leads: LeadStore, id: string, siteId: string): Promise<IngestOutcome | null> {
  const existing = await leads.findLead(id)
  return existing ? replayed(existing, siteId) : null
}

/**
 * A test lead (POST /v1/admin/sites/:site/test-leads): stored with `test: true` and delivered to
 * `targetIds` only. It spends no visitor's budget and faces no captcha or spam rule (the console or
 * the preview sends it, at its own pace), is never a repeat of a real lead nor the first of one,
 * and is not routed (no manager's turn, no SLA escalation). Its own budget is per site.
 */
export interface TestLeadMode {
  targetIds: readonly string[]
}

/** Test leads per site per hour: enough to check every target, not enough to flood one. */
export const TEST_LEADS_PER_HOUR = 60

export interface IngestDeps {
  leads: LeadStore
  quality: QualityStore
  settledGroups: SettledGroups
  limiter: RateLimiter
  queue: DeliveryQueue
  fetch: typeof fetch
}

/** Throws ApiError for what the visitor must fix or wait for; everything else returns. */
export async function ingestLead(
  { leads, quality, settledGroups, limiter, queue, fetch }: IngestDeps,
  site: SiteRecord,
  submitted: LeadOutput,
  meta: RequestMeta,
  test?: TestLeadMode,
): Promise<IngestOutcome> {
  const { config } = site
  // Ids are stored lower-case, so the admin API finds a lead whatever case its id is typed in.
  const input: LeadOutput = { ...submitted, id: submitted.id.toLowerCase() }
  // Visitor-facing texts speak the language the visitor saw the widget in.
  const locale = input.locale ?? config.locale
  const rateLimits = { ...DEFAULT_RATE_LIMITS, ...config.rateLimits }
  const overLimit = (decision: Extract<RateDecision, { allowed: false }>) =>
    new ApiError(429, 'rate_limited', visitorErrorMessage('rate_limited', locale), {
      headers: { 'Retry-After': String(decision.retryAfterSeconds) },
    })
  const refuseOver = (decision: RateDecision) => {
    if (!decision.allowed) throw overLimit(decision)
  }
  const contact = normalizeContact(input.contact, config.country as CountryCode, locale)
  const consentMissing = config.consent?.required === true && input.consent?.given !== true
  if (!contact.ok || consentMissing) {
    // A replay must answer the same even if the site config changed since the first request.
    const earlier = await replayOf(leads, input.id, site.id)
    if (earlier) return earlier
    // A refused submission spends its IP's budget too: an IP over its limit gets 429, not 400.
    refuseOver(await limiter.hit(rejectionRateLimits(meta.ip, rateLimits), meta.now))
    if (!contact.ok) throw new ApiError(400, contact.code, contact.message, { issues: contact.issues })
    const message = visitorErrorMessage('consent_required', locale)
    throw new ApiError(400, 'consent_required', message, { issues: [{ path: 'consent.given', message }] })
  }
  const limits = test ? [{ key: `test-leads:${site.id}`, limit: TEST_LEADS_PER_HOUR, windowMs: 60 * 60 * 1000 }] : leadRateLimits(site.id, contact.contact, meta.ip, rateLimits)
  // Where something before the insert costs (a call to the captcha provider, a manager's turn),
  // the replay lookup and the rate-limit hit come first, in one round trip, so that neither a
  // replay nor a visitor over the limit spends it. Otherwise the insert counts its own hit, and
  // the whole lead is one round trip.
  const admitFirst = !test && (siteCaptcha(config) !== null || config.routing !== undefined)
  if (admitFirst) {
    const admitted = await leads.admitLead(input.id, limits, meta.now)
    if (admitted.existing) return replayed(admitted.existing, site.id)
    refuseOver(admitted.decision)
  }

  const captcha = test ? undefined : await verifyLeadCaptcha(config, input, meta.ip, fetch)
  const flags = test
    ? []
    : detectSpam(
        {
          hp: input.hp,
          elapsedMs: input.elapsedMs,
          name: contact.contact.name,
          email: contact.contact.email,
          phoneType: contact.phoneType,
          captcha,
        },
        { minFillMs: config.spam?.minFillMs },
      )
  const isSpam = flags.length > 0
  // Chat leads: walk the site's flow with the submitted answers; its points and variables come
  // from the server's replay, never from the browser.
  const flow = input.source === 'chat' && config.chat ? checkFlow(config.chat.flow) : null
  const flowReplay = flow?.ok && input.answers ? replayFlow(flow.flow, input.answers) : null
  const rules = scoringRulesFor(config)
  const baseScore = scoreLead(
    {
      source: input.source,
      contact: contact.contact,
      answers: input.answers,
      callbackAt: input.callbackAt,
      visits: input.context?.visits,
      pagesViewed: input.context?.pagesViewed,
      spam: flags.map((f) => f.code),
    },
    rules,
  )
  const scored = flowReplay ? withFlowScore(baseScore, flowReplay, rules) : baseScore
  const answerLabels = labelAnswers(config, input.answers, locale, flow, flowReplay)

  const payload: LeadPayload = {
    id: input.id,
    site: site.id,
    source: input.source,
    contact: contact.contact,
    ...(input.message !== undefined && { message: input.message }),
    ...(input.answers !== undefined && { answers: input.answers }),
    ...(answerLabels !== undefined && { answerLabels }),
    ...(input.transcript !== undefined && { transcript: input.transcript }),
    ...(flowReplay && { flow: { status: flowReplay.status, vars: flowReplay.vars } }),
    ...(input.callbackAt !== undefined && { callbackAt: input.callbackAt }),
    ...(input.consent !== undefined && { consent: input.consent }),
    ...(input.context !== undefined && { context: input.context }),
    ...(input.locale !== undefined && { locale: input.locale }),
    createdAt: new Date(meta.now).toISOString(),
    duplicate: false,
    score: scored.score,
    temperature: scored.temperature,
    reasons: scored.reasons,
    ...(test && { test: true as const }),
  }
  // The same hours logic as the widget's promise, so the reply never contradicts the form.
  const replyText = replyTextFor(
    config,
    { source: input.source, callbackAt: input.callbackAt, locale, timezone: input.context?.timezone, hasPhone: contact.contact.phone !== undefined },
    new Date(meta.now),
  )
  // Spam is stored for the record and the source statistics, and never forwarded.
  const deliveries: NewDelivery[] = isSpam
    ? []
    : config.targets
        .map((target, index) => ({ id: newDeliveryId(), targetId: targetId(target, index), nextAttemptAt: meta.now }))
        .filter((d) => !test || test.targetIds.includes(d.targetId))
  const windowDays = config.dedupe?.windowDays ?? 30
  const repeatsSince = windowDays === 0 ? null : meta.now - windowDays * DAY_MS
  const routing = !isSpam && !test && config.routing ? await planRouting(leads, config.routing, payload, meta.now, repeatsSince) : { payload }

  // The campaign check that follows a stored lead reads its counts in the same round trip, unless
  // the lead is good and its campaign settled: then there is nothing it could change.
  const settings = test ? null : qualitySettings(site)
  const group = qualityGroupOf(payload)
  const after =
    settings === null || (!isSpam && settledGroups.has(site.id, settings, group, meta.now)) ? undefined : quality.totalsRead(site.id, group, qualityQuery(settings, meta.now))
  const stored = await leads.insertLead(
    { payload: routing.payload, status: isSpam ? 'spam' : 'accepted', flags, replyText, ip: meta.ip, userAgent: meta.userAgent, createdAt: meta.now },
    {
      deliveries,
      dedupeWindowMs: isSpam || test || windowDays === 0 ? null : windowDays * DAY_MS,
      ...(routing.slaDueAt !== undefined && { slaDueAt: routing.slaDueAt }),
      ...(!admitFirst && { limits }),
      ...(after && { after }),
    },
  )
  if (stored.status === 'limited') throw overLimit(stored.decision)
  if (stored.status === 'exists') {
    const raced = await replayOf(leads, input.id, site.id)
    if (raced) return raced
    throw new Error(`lead ${input.id} reported as existing but not found`)
  }
  if (routing.slaDueAt !== undefined) {
    // Only the wake-up: the check itself is already stored with the lead, and the sweep finds it
    // if this message is lost.
    const delaySeconds = (routing.slaDueAt - meta.now) / 1000
    await queue.scheduleSla({ kind: 'sla', leadId: payload.id, round: 0, dueAt: routing.slaDueAt }, delaySeconds).catch((error: unknown) => {
      console.error('sla wake-up not scheduled; the sweep will find it', payload.id, error)
    })
  }
  const routed = stored.duplicateOf ? { ...routing.payload, duplicate: true, duplicateOf: stored.duplicateOf } : routing.payload
  const record: LeadRecord = {
    payload: routed,
    status: isSpam ? 'spam' : 'accepted',
    flags,
    replyText,
    createdAt: meta.now,
    takenBy: null,
    erased: false,
    stage: isSpam ? 'junk' : 'new',
    junkReason: isSpam ? 'spam' : null,
    firstActionAt: null,
  }
  return { kind: 'created', body: acceptedBody(record), deliveryIds: deliveries.map((d) => d.id), ...(stored.after && { quality: stored.after }) }
}
