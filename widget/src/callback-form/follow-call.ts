// Follows a lead's automatic call for the countdown: polls GET /v1/leads/:id/status with backoff
// (1 s, then ×1.5 up to 15 s), never past 3 minutes after the send, and says each state in the
// visitor's language. A lazy chunk: only a visitor whose 201 announced a call downloads it.
import type { Fetch } from '../core/api'
import type { Locale } from '../view/i18n'

export type CallPhase = 'ringing_manager' | 'calling_you' | 'connected' | 'missed' | 'scheduled'

export interface CallStatus {
  call: CallPhase
  /** ISO 8601: when a scheduled call will ring. */
  at?: string
}

const PHASES: readonly string[] = ['ringing_manager', 'calling_you', 'connected', 'missed', 'scheduled']

export const FOLLOW_FOR_MS = 180_000
const FIRST_MS = 1000
const MAX_DELAY_MS = 15_000

/**
 * The call's state; `null` when the lead gets no call (404: not dialled, over a cap), so the
 * countdown keeps the ordinary promise; `undefined` when no usable answer came (ask again later).
 */
export async function fetchCallStatus(endpoint: string, leadId: string, fetchImpl: Fetch = fetch): Promise<CallStatus | null | undefined> {
  try {
    const response = await fetchImpl(`${endpoint}/v1/leads/${encodeURIComponent(leadId)}/status`)
    if (response.status === 404) return null
    if (!response.ok) return undefined
    const body = (await response.json()) as { call?: unknown; at?: unknown }
    if (typeof body.call !== 'string' || !PHASES.includes(body.call)) return undefined
    return { call: body.call as CallPhase, ...(typeof body.at === 'string' && { at: body.at }) }
  } catch {
    return undefined
  }
}

const TEXTS: Record<Locale, Record<Exclude<CallPhase, 'ringing_manager' | 'scheduled'>, string> & { scheduled: string; soon: string }> = {
  ru: {
    calling_you: 'Менеджер на линии: звоним вам, ответьте на звонок.',
    connected: 'Вы на связи с менеджером.',
    missed: 'Не дозвонились. Менеджер перезвонит вам в ближайшее время.',
    scheduled: 'Позвоним вам {at}.',
    soon: 'в ближайшее время',
  },
  en: {
    calling_you: 'A manager is on the line: we are calling you now, please answer.',
    connected: 'You are connected to a manager.',
    missed: "We couldn't reach you. A manager will call you back shortly.",
    scheduled: 'We will call you {at}.',
    soon: 'soon',
  },
}

/** What the visitor reads for a state; null while a manager is being rung (the countdown ticks on). */
export function callText(status: CallStatus, locale: Locale): string | null {
  const texts = TEXTS[locale]
  if (status.call === 'ringing_manager') return null
  if (status.call !== 'scheduled') return texts[status.call]
  const date = status.at ? new Date(status.at) : null
  const at = date && !Number.isNaN(date.getTime()) ? new Intl.DateTimeFormat(locale, { weekday: 'short', hour: '2-digit', minute: '2-digit' }).format(date) : texts.soon
  return texts.scheduled.replace('{at}', at)
}

export interface FollowOptions {
  endpoint: string
  leadId: string
  locale: Locale
  fetch?: Fetch
  /** When the lead was sent: the 3 minutes count from here, across closing and reopening. */
  since: number
  /** A new text to show; `over`: the call is settled (or there is none), stop for good. */
  show(text: string | null, over: boolean): void
}

/** Starts polling; returns the function that stops it (the dialog closed, the form went away). */
export function followCall({ endpoint, leadId, locale, fetch: fetchImpl = fetch, since, show }: FollowOptions): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined
  let stopped = false
  let delay = FIRST_MS
  const poll = async () => {
    const status = await fetchCallStatus(endpoint, leadId, fetchImpl)
    if (stopped) return
    const over = status === null || status?.call === 'connected' || status?.call === 'missed'
    if (status || over) show(status ? callText(status, locale) : null, over)
    delay = Math.min(delay * 1.5, MAX_DELAY_MS)
    if (over || Date.now() - since + delay > FOLLOW_FOR_MS) return
    timer = setTimeout(poll, delay)
  }
  timer = setTimeout(poll, delay)
  return () => {
    stopped = true
    clearTimeout(timer)
  }
}
