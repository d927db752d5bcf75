// The lead card's call timeline (issue 17): each automatic call of a callback lead, its state, and
// every step with its time, how long after the call's start, and how long each phone rang before
// it was answered or given up. From GET /v1/admin/leads/:id/calls; every text is rendered as text.
import { useEffect, useState } from 'preact/hooks'
import type { Manager } from '../../../../shared/schemas/routing'
import type { ApiClient, ApiFailure } from '../api'
import { formatDateTime, formatDuration } from '../format'
import type { Locale } from '../i18n'
import { useStrings } from '../i18n'
import { managerName } from '../site'
import { ErrorNotice } from '../ui'
import type { CallStateName, CallStrings } from './strings'
import { useCallStrings } from './strings'

/** What worker/src/http-routes/admin-lead-calls.ts answers. */
export interface CallsView {
  calls: CallView[]
}

export interface CallView {
  deliveryId: string
  state: CallStateName
  reason: string | null
  scheduledAt: string | null
  legs: { id: string; managerId: string; placedAt: string | null; managerAnsweredAt: string | null; endedAt: string | null; outcome: string | null }[]
  events: CallEventView[]
}

export interface CallEventView {
  at: string
  kind: string
  legId: string | null
  detail: string | null
}

function clock(iso: string, locale: Locale): string {
  const date = new Date(iso)
  if (Number.isNaN(date.getTime())) return iso
  return new Intl.DateTimeFormat(locale === 'ru' ? 'ru-RU' : 'en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit' }).format(date)
}

const ms = (iso: string) => Date.parse(iso)

/** Kinds whose detail says nothing the line does not (or is a time the line shows already). */
const PLAIN = new Set(['started', 'scheduled', 'replayed'])

interface Line {
  text: string
  /** How long the phone rang, or how long after the manager answered. */
  took: string | null
}

function describe(event: CallEventView, call: CallView, managers: readonly Manager[], s: CallStrings, locale: Locale): Line {
  const leg = event.legId === null ? undefined : call.legs.find((l) => l.id === event.legId)
  const who = leg ? managerName(managers, leg.managerId) : s.manager
  const stepOf = (kind: string) => call.events.find((e) => e.legId === event.legId && event.legId !== null && e.kind === kind)
  const since = (from: CallEventView | undefined) => (from ? formatDuration(Math.max(0, ms(event.at) - ms(from.at)), locale) : null)
  switch (event.kind) {
    case 'started':
      return { text: s.events.started, took: null }
    case 'scheduled':
      return { text: s.scheduledFor(event.detail ? formatDateTime(event.detail, locale) : ''), took: null }
    case 'ringing_manager':
      return { text: s.events.ringing(who), took: null }
    case 'manager_answered': {
      const d = since(stepOf('ringing_manager'))
      return { text: s.events.answered(who), took: d && s.after(d) }
    }
    case 'manager_missed': {
      const d = since(stepOf('ringing_manager'))
      return { text: s.events.notAnswered(who), took: d && s.rang(d) }
    }
    case 'visitor_answered':
    case 'visitor_missed': {
      const d = since(stepOf('manager_answered'))
      return { text: event.kind === 'visitor_answered' ? s.events.visitorAnswered : s.events.visitorMissed, took: d && s.after(d) }
    }
    case 'connected':
    case 'missed':
    case 'failed':
    case 'skipped':
    case 'capped':
    case 'sms':
    case 'replayed':
      return { text: s.events[event.kind], took: null }
    default:
      return { text: event.kind, took: null }
  }
}

export function CallTimelineView({ calls, managers }: { calls: CallView[]; managers: readonly Manager[] }) {
  const { locale } = useStrings()
  const s = useCallStrings()
  return (
    <section class="card-section s-calls" aria-labelledby="s-calls">
      <h2 id="s-calls">{s.title}</h2>
      {calls.map((call, i) => {
        const start = call.events[0]
        return (
          <div key={call.deliveryId} class="call">
            <h3>
              {s.call(calls.length - i)} <span class={`badge call-${call.state}`}>{s.states[call.state] ?? call.state}</span>
            </h3>
            {call.scheduledAt && call.state === 'scheduled' && <p>{s.scheduledFor(formatDateTime(call.scheduledAt, locale))}</p>}
            {call.reason && <p class="muted">{call.reason}</p>}
            <ol class="history call-events">
              {call.events.map((event, j) => {
                const line = describe(event, call, managers, s, locale)
                const offset = start ? Math.max(0, ms(event.at) - ms(start.at)) : 0
                return (
                  <li key={j} class={`call-event ${event.kind}`}>
                    <p>
                      <time dateTime={event.at}>{clock(event.at, locale)}</time>
                      {j > 0 && <span class="muted"> (+{formatDuration(offset, locale)})</span>} · <strong>{line.text}</strong>
                      {line.took && ` — ${line.took}`}
                    </p>
                    {event.detail && !PLAIN.has(event.kind) && <p class="note">{event.detail}</p>}
                  </li>
                )
              })}
            </ol>
          </div>
        )
      })}
    </section>
  )
}

/** Loads a callback lead's calls; shows nothing for a lead that was never dialled. */
export function CallTimeline({ api, leadId, managers }: { api: ApiClient; leadId: string; managers: readonly Manager[] }) {
  const [calls, setCalls] = useState<CallView[] | null>(null)
  const [error, setError] = useState<ApiFailure | null>(null)
  const s = useCallStrings()
  const load = async () => {
    const result = await api.get<CallsView>(`/v1/admin/leads/${encodeURIComponent(leadId)}/calls`)
    if (result.ok) {
      setCalls(result.value.calls)
      setError(null)
    } else setError(result.error)
  }
  useEffect(() => {
    setCalls(null)
    void load()
  }, [leadId])
  // No such lead (the card says so already) or an older server without the route: no section.
  if (error && !(error.kind === 'http' && error.status === 404)) {
    return (
      <section class="card-section s-calls" aria-labelledby="s-calls">
        <h2 id="s-calls">{s.title}</h2>
        <ErrorNotice error={error} onRetry={error.kind === 'network' ? load : undefined} />
      </section>
    )
  }
  if (calls === null || calls.length === 0) return null
  return <CallTimelineView calls={calls} managers={managers} />
}
