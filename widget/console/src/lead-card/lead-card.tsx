// The lead card: the contact with tel:/mailto: links, where the lead came from, what the visitor
// said, the score and its reasons, the reply they saw, a callback's automatic calls, every delivery
// with its attempts, the manager and "Take it", the status with its history and notes. Everything
// from the lead is rendered as text (Preact escapes it); no HTML from a lead is ever parsed.
import { useEffect, useState } from 'preact/hooks'
import type { ComponentChildren } from 'preact'
import type { ConsoleScope } from '../../../../shared/console-api'
import { formatPhoneForDisplay, telHref } from '../../../../shared/phone-display'
import type { LeadContext } from '../../../../shared/schemas/lead'
import type { LeadHistoryEntry, LeadStatusChange } from '../../../../shared/schemas/lead-status'
import type { Manager } from '../../../../shared/schemas/routing'
import type { ApiClient, ApiFailure, ApiResult } from '../api'
import type { LeadDetail } from '../api-types'
import { formatDateTime } from '../format'
import type { Strings } from '../i18n'
import { useStrings } from '../i18n'
import { inboxHref } from '../leads/inbox'
import { hrefOf } from '../router'
import { managerName } from '../site'
import { ErrorNotice, ExternalUrl, Field, StatusBadge, TemperatureBadge, errorText } from '../ui'
import { CallTimeline } from './call-timeline'
import { DeliveryList } from './deliveries'
import { ScoreReasons } from './score-reasons'
import { StatusForm } from './status-form'

type AnswerValue = string | number | boolean | string[]

function answerText(value: AnswerValue, t: Strings): string {
  if (Array.isArray(value)) return value.join(', ')
  if (typeof value === 'boolean') return value ? t.yes : t.no
  return String(value)
}

function actorText(by: LeadHistoryEntry['by'], managers: readonly Manager[], t: Strings): string {
  switch (by.kind) {
    case 'manager':
      return t.actor.manager(by.id ? managerName(managers, by.id) : '')
    case 'telegram':
      return t.actor.telegram(by.id ?? '')
    case 'crm':
      return t.actor.crm(by.id ?? '')
    default:
      return t.actor[by.kind]
  }
}

function Section({ id, title, children }: { id: string; title: string; children: ComponentChildren }) {
  return (
    <section class={`card-section ${id}`} aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {children}
    </section>
  )
}

function Utm({ utm }: { utm: LeadContext['utm'] }) {
  if (!utm) return null
  const parts = (['source', 'medium', 'campaign', 'term', 'content'] as const).filter((k) => utm[k])
  if (parts.length === 0) return null
  return (
    <span class="utm">
      {parts.map((k) => (
        <span key={k} class="utm-part">
          <span class="muted">{k}=</span>
          {utm[k]}
        </span>
      ))}
    </span>
  )
}

function ClickIds({ ids }: { ids: LeadContext['clickIds'] }) {
  if (!ids) return null
  const parts = (['gclid', 'yclid', 'fbclid'] as const).filter((k) => ids[k])
  if (parts.length === 0) return null
  return (
    <span class="utm">
      {parts.map((k) => (
        <span key={k} class="utm-part">
          <span class="muted">{k}=</span>
          {ids[k]}
        </span>
      ))}
    </span>
  )
}

function WhereFrom({ context }: { context: LeadContext | undefined }) {
  const { t, locale } = useStrings()
  if (!context) return null
  const first = context.firstTouch
  return (
    <dl class="facts">
      <Field label={t.page}>{context.page && <ExternalUrl url={context.page} />}</Field>
      <Field label={t.landing}>{context.landing && <ExternalUrl url={context.landing} />}</Field>
      <Field label={t.referrer}>{context.referrer && <ExternalUrl url={context.referrer} />}</Field>
      <Field label={t.utm}>{context.utm && <Utm utm={context.utm} />}</Field>
      <Field label={t.clickIds}>{context.clickIds && <ClickIds ids={context.clickIds} />}</Field>
      <Field label={t.visits}>{context.visits !== undefined && String(context.visits)}</Field>
      <Field label={t.pagesViewed}>{context.pagesViewed !== undefined && String(context.pagesViewed)}</Field>
      <Field label={t.locale}>{context.locale}</Field>
      <Field label={t.timezone}>{context.timezone}</Field>
      {first && (
        <Field label={t.firstTouch}>
          <dl class="facts nested">
            <Field label={t.time}>{first.at && formatDateTime(first.at, locale)}</Field>
            <Field label={t.landing}>{first.landing && <ExternalUrl url={first.landing} />}</Field>
            <Field label={t.referrer}>{first.referrer && <ExternalUrl url={first.referrer} />}</Field>
            <Field label={t.utm}>{first.utm && <Utm utm={first.utm} />}</Field>
            <Field label={t.clickIds}>{first.clickIds && <ClickIds ids={first.clickIds} />}</Field>
          </dl>
        </Field>
      )}
    </dl>
  )
}

function History({ history, managers }: { history: LeadHistoryEntry[]; managers: readonly Manager[] }) {
  const { t, locale } = useStrings()
  if (history.length === 0) return <p class="hint">{t.noHistory}</p>
  return (
    <ol class="history">
      {history.map((entry) => (
        <li key={entry.id}>
          <p>
            <time dateTime={entry.at}>{formatDateTime(entry.at, locale)}</time> · <strong>{actorText(entry.by, managers, t)}</strong>
            {/* What the CRM (or a call) itself called it: the status id the change was mapped from. */}
            {entry.source?.ref != null && <span class="source-ref"> ({entry.source.ref})</span>}{' '}
            {entry.to !== null ? (
              <>
                {entry.kind === 'take' && `${t.historyKinds.take}: `}
                {entry.from !== null && <StatusBadge status={entry.from} />} → <StatusBadge status={entry.to} reason={entry.reason} />
              </>
            ) : (
              t.historyKinds[entry.kind === 'take' ? 'take' : 'note']
            )}
          </p>
          {entry.note !== null && <p class="note">{entry.note}</p>}
        </li>
      ))}
    </ol>
  )
}

export interface TakeProps {
  lead: LeadDetail
  scope: ConsoleScope
  managers: readonly Manager[]
  onTake: (managerId: string | undefined) => Promise<ApiResult<unknown>>
}

function TakeIt({ lead, scope, managers, onTake }: TakeProps) {
  const { t } = useStrings()
  const own = scope.kind === 'site' ? scope.managerId : undefined
  const [chosen, setChosen] = useState(own ?? managers[0]?.id ?? '')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  useEffect(() => setChosen((c) => c || (own ?? managers[0]?.id ?? '')), [managers, own])
  if (lead.takenBy !== null) return <p>{t.takenBy(managerName(managers, lead.takenBy))}</p>
  if (lead.erased) return null
  const take = async () => {
    setBusy(true)
    setError(null)
    const result = await onTake(own === undefined ? chosen : undefined)
    setBusy(false)
    if (!result.ok) setError(errorText(result.error, t))
  }
  return (
    <div class="take">
      {own === undefined && managers.length === 0 && <p class="hint">{t.noManagers}</p>}
      {own === undefined && managers.length > 0 && (
        <div class="control inline">
          <label for="take-as">{t.takeAs}</label>
          <select id="take-as" value={chosen} onChange={(e) => setChosen(e.currentTarget.value)}>
            {managers.map((m) => (
              <option key={m.id} value={m.id}>
                {m.name}
              </option>
            ))}
          </select>
        </div>
      )}
      {(own !== undefined || managers.length > 0) && (
        <button type="button" onClick={take} disabled={busy}>
          {t.takeIt}
        </button>
      )}
      {error && (
        <p class="field-error" role="alert">
          {error}
        </p>
      )}
    </div>
  )
}

export interface LeadCardViewProps {
  lead: LeadDetail
  scope: ConsoleScope
  managers: readonly Manager[]
  api: ApiClient
  onStatus: (change: LeadStatusChange) => Promise<ApiResult<unknown>>
  onTake: (managerId: string | undefined) => Promise<ApiResult<unknown>>
  onReload: () => void
}

export function LeadCardView({ lead, scope, managers, api, onStatus, onTake, onReload }: LeadCardViewProps) {
  const { t, locale } = useStrings()
  const { name, phone, email } = lead.contact
  const answers = Object.entries(lead.answers ?? {})
  const siteParam = scope.kind === 'operator' ? lead.site : ''
  return (
    <article class="lead-card" aria-labelledby="page-title">
      <p>
        <a href={inboxHref()}>{t.backToLeads}</a>
      </p>
      <header class="lead-card-head">
        <h1 id="page-title" tabIndex={-1}>
          {lead.erased ? t.erased : name || t.noName}
        </h1>
        <p class="badges">
          <StatusBadge status={lead.status} reason={lead.junkReason} />
          <TemperatureBadge temperature={lead.temperature} />
          <span class="badge score">
            {t.score}: {lead.score}
          </span>
          {lead.spam && <span class="badge spam">{t.spamBadge}</span>}
          {lead.duplicate && <span class="badge repeat">{t.repeatBadge}</span>}
          {lead.test && <span class="badge test">{t.testBadge}</span>}
        </p>
        <p class="muted">
          {t.received}: <time dateTime={lead.createdAt}>{formatDateTime(lead.createdAt, locale)}</time> · {t.sources[lead.source]}
          {scope.kind === 'operator' && ` · ${lead.site}`}
        </p>
      </header>
      {lead.erased && (
        <p class="notice info" role="note">
          {t.erasedNotice}
        </p>
      )}

      <div class="card-grid">
        <Section id="s-contact" title={t.contact}>
          <dl class="facts">
            <Field label={t.name}>{name}</Field>
            <Field label={t.phone}>{phone && <a href={telHref(phone)}>{formatPhoneForDisplay(phone)}</a>}</Field>
            <Field label={t.email}>{email && <a href={`mailto:${email}`}>{email}</a>}</Field>
            <Field label={t.callbackAt}>{lead.callbackAt && formatDateTime(lead.callbackAt, locale)}</Field>
          </dl>
          {lead.duplicateOf && (
            <p>
              {t.repeatOf}: <a href={hrefOf(`leads/${lead.duplicateOf}`, { site: siteParam })}>{t.openEarlier}</a>
            </p>
          )}
        </Section>

        <Section id="s-manager" title={t.managerTitle}>
          <p>{lead.manager ? lead.manager.name : t.nobodyYet}</p>
          <TakeIt lead={lead} scope={scope} managers={managers} onTake={onTake} />
        </Section>

        <Section id="s-status" title={t.statusTitle}>
          <p>
            <StatusBadge status={lead.status} reason={lead.junkReason} />
          </p>
          <h3>{t.history}</h3>
          <History history={lead.history} managers={managers} />
          <StatusForm status={lead.status} reason={lead.junkReason} disabled={lead.erased === true} onSubmit={onStatus} />
        </Section>

        {(lead.message || answers.length > 0 || (lead.transcript?.length ?? 0) > 0) && (
          <Section id="s-said" title={t.answers}>
            {lead.message && (
              <>
                <h3>{t.message}</h3>
                <p class="said">{lead.message}</p>
              </>
            )}
            {answers.length > 0 && (
              <dl class="facts answers">
                {answers.map(([question, value]) => {
                  // As the visitor saw it (the question asked, the label clicked); by code without labels.
                  const label = lead.answerLabels?.[question]
                  return (
                    <Field key={question} label={label?.question ?? question}>
                      {label?.answer ?? answerText(value as AnswerValue, t)}
                    </Field>
                  )
                })}
              </dl>
            )}
            {lead.transcript && lead.transcript.length > 0 && (
              <>
                <h3>{t.transcript}</h3>
                <ol class="transcript">
                  {lead.transcript.map((line, i) => (
                    <li key={i} class={`from-${line.from}`}>
                      <span class="who">{line.from === 'bot' ? t.bot : t.visitor}</span>
                      <span class="said">{line.text}</span>
                      <time dateTime={line.at}>{formatDateTime(line.at, locale)}</time>
                    </li>
                  ))}
                </ol>
              </>
            )}
          </Section>
        )}

        {lead.context && Object.keys(lead.context).length > 0 && (
          <Section id="s-where" title={t.whereFrom}>
            <WhereFrom context={lead.context} />
          </Section>
        )}

        <Section id="s-score" title={t.reasons}>
          <p>
            <strong>{lead.score}</strong> / 100 · <TemperatureBadge temperature={lead.temperature} />
          </p>
          <ScoreReasons lead={lead} />
          {lead.spam && lead.flags.length > 0 && (
            <>
              <h3>{t.spamFlags}</h3>
              <ul class="reasons">
                {lead.flags.map((f, i) => (
                  <li key={i}>
                    <code class="code">{f.code}</code> {f.detail}
                  </li>
                ))}
              </ul>
            </>
          )}
          <h3>{t.reply}</h3>
          <p class="said reply">{lead.reply.text}</p>
        </Section>

        {lead.source === 'callback' && <CallTimeline api={api} leadId={lead.id} managers={managers} />}

        <Section id="s-deliveries" title={t.deliveriesTitle}>
          <DeliveryList api={api} deliveries={lead.deliveries} onReplayed={onReload} />
        </Section>
      </div>
    </article>
  )
}

export interface LeadCardProps {
  api: ApiClient
  id: string
  scope: ConsoleScope
  managers: readonly Manager[]
}

export function LeadCard({ api, id, scope, managers }: LeadCardProps) {
  const { t } = useStrings()
  const [lead, setLead] = useState<LeadDetail | null>(null)
  const [error, setError] = useState<ApiFailure | null>(null)
  const path = `/v1/admin/leads/${encodeURIComponent(id)}`

  const load = async () => {
    const result = await api.get<LeadDetail>(path)
    if (result.ok) {
      setLead(result.value)
      setError(null)
    } else setError(result.error)
  }
  useEffect(() => {
    setLead(null)
    setError(null)
    void load()
  }, [id])

  const onStatus = async (change: LeadStatusChange) => {
    const result = await api.send<LeadDetail>('PATCH', path, change)
    if (result.ok) setLead(result.value)
    return result
  }
  const onTake = async (managerId: string | undefined) => {
    const result = await api.send('POST', `${path}/take`, managerId === undefined ? {} : { managerId })
    if (result.ok) await load()
    return result
  }

  if (error) {
    return (
      <section aria-labelledby="page-title">
        <p>
          <a href={inboxHref()}>{t.backToLeads}</a>
        </p>
        <h1 id="page-title" tabIndex={-1}>
          {t.lead}
        </h1>
        <ErrorNotice error={error} onRetry={error.kind === 'network' ? load : undefined} />
      </section>
    )
  }
  if (!lead) return <p class="loading">{t.loading}</p>
  return <LeadCardView lead={lead} scope={scope} managers={managers} api={api} onStatus={onStatus} onTake={onTake} onReload={load} />
}
