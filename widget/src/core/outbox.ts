// Nothing lost: leads that could not be sent wait in localStorage and go out again with backoff,
// when the browser comes online, on the next page load, and by sendBeacon when the page is hidden.
// Always the same body (same id): the worker is idempotent by id, so resending is safe.
import type { LeadInput } from '../../../shared/schemas/lead'
import { isRetryableRefusal, sendLead } from './api'
import type { Fetch, SendLeadResult } from './api'

export const OUTBOX_KEY = 'leadcatcher:outbox'
/** Backoff after the n-th failure: 5 s, 10 s, 20 s… capped at 10 minutes. */
export const backoffMs = (attempts: number) => Math.min(5000 * 2 ** (attempts - 1), 600_000)
/**
 * The least a lead waits after "too many requests" (429) or "request timeout" (408): the worker's
 * limits count per minute and per hour, so sooner only spends another attempt. Its Retry-After
 * header is not exposed to a cross-origin page.
 */
export const THROTTLED_WAIT_MS = 60_000
/** A lead older than this is dropped: a call-back request from last month helps nobody. */
const MAX_AGE_MS = 7 * 86_400_000

interface Entry {
  lead: LeadInput
  endpoint: string
  attempts: number
  /** When to try again (ms since epoch). */
  next: number
  added: number
  /** When `prepare` last stamped the lead (its captcha token), if it did. */
  preparedAt?: number
}

/**
 * A captcha token older than this may have expired (Turnstile's live 300 s): a beacon would carry
 * it to a worker that calls the lead spam, for good. The page's own next attempt stamps a new one.
 */
const TOKEN_FRESH_MS = 240_000
/** How long a tab waits to look again when another tab is sending the stored leads. */
const BUSY_RETRY_MS = 5000

export interface OutboxOptions {
  endpoint: string
  /** Only this site's leads: sites on one origin share the storage, never each other's captcha. */
  site?: string
  fetch?: Fetch | undefined
  now?: () => number
  /** Told about each lead the worker finally took, so "lead" listeners fire after all. */
  onDelivered?: (lead: LeadInput, result: SendLeadResult) => void
  /**
   * Runs before every request, first or retry (a fresh Turnstile token: they are single-use and
   * expire). What it returns is kept, so a beacon sends the latest version too.
   */
  prepare?: ((lead: LeadInput) => Promise<LeadInput>) | undefined
}

export interface Outbox {
  /** Sends now; on failure keeps the lead for later. Resolves with the first attempt's result. */
  send(lead: LeadInput): Promise<SendLeadResult>
  /** Tries every due lead once. */
  flush(): Promise<void>
  /** Hands every waiting lead to sendBeacon (the page is going away). */
  beacon(): void
  /** Listens to online / visibilitychange / pagehide and flushes now; returns a stop function. */
  start(): () => void
  pending(): LeadInput[]
}

/**
 * Requests under way, by lead id, for the whole page: two outboxes (a widget mounted again in a
 * single-page app) or a form retry during a flush never send the same lead twice at once.
 */
const inFlight = new Map<string, Promise<SendLeadResult>>()

/**
 * The entries while storage refuses them (full, or forbidden: Safari private mode, disabled
 * cookies, sandboxed iframes): this page still retries and beacons them; a later page cannot.
 * Storage is still read beside them, so a lead another tab stored meanwhile is neither hidden nor
 * overwritten, except those this page has dropped since (`forgotten`).
 */
let memory: Entry[] | undefined
const forgotten = new Set<string>()

function stored(): Entry[] {
  try {
    const value: unknown = JSON.parse(localStorage.getItem(OUTBOX_KEY) ?? '[]')
    return Array.isArray(value) ? (value as Entry[]) : []
  } catch {
    return []
  }
}

function read(): Entry[] {
  if (!memory) return stored()
  const held = new Set(memory.map((e) => e.lead.id))
  return [...memory, ...stored().filter((e) => !held.has(e.lead.id) && !forgotten.has(e.lead.id))]
}

function write(entries: Entry[]): void {
  try {
    if (entries.length) localStorage.setItem(OUTBOX_KEY, JSON.stringify(entries))
    else localStorage.removeItem(OUTBOX_KEY)
    memory = undefined
    forgotten.clear()
  } catch {
    const kept = new Set(entries.map((e) => e.lead.id))
    for (const entry of read()) if (!kept.has(entry.lead.id)) forgotten.add(entry.lead.id)
    memory = entries
  }
}

/**
 * @example
 * const outbox = createOutbox({ endpoint })
 * const stop = outbox.start()
 * const result = await outbox.send(lead) // 'failed' → the lead is queued, tell the visitor so
 */
export function createOutbox(options: OutboxOptions): Outbox {
  const { endpoint, site, fetch: fetchImpl = fetch, now = Date.now, onDelivered, prepare } = options
  /** This outbox's leads: its endpoint's, and its site's where it has one. */
  const mine = (e: Entry) => e.endpoint === endpoint && (site === undefined || e.lead.site === site)
  let timer: ReturnType<typeof setTimeout> | undefined
  let flushing: Promise<void> | undefined
  /** After stop(): a request still under way finishes, but nothing is scheduled or reported. */
  let stopped = false
  /** Another tab held the outbox's lock: no flush before this time (ms since epoch). */
  let busyUntil = 0

  const update = (change: (entries: Entry[]) => Entry[]) => write(change(read()))
  const drop = (id: string) => update((entries) => entries.filter((e) => e.lead.id !== id))
  /** The lead as it goes out now; same id, so the worker still sees one lead. */
  const ready = async (lead: LeadInput): Promise<LeadInput> => {
    if (!prepare) return lead
    const prepared = await prepare(lead)
    // Fresh only with a new token: a captcha that timed out or was blocked leaves the old one,
    // which this request is about to spend.
    const stamped = prepared.captchaToken !== undefined && prepared.captchaToken !== lead.captchaToken
    const preparedAt = stamped ? now() : undefined
    update((entries) => entries.map((e) => (e.lead.id === lead.id ? { ...e, lead: prepared, preparedAt } : e)))
    return prepared
  }

  const schedule = () => {
    clearTimeout(timer)
    if (stopped) return
    const entries = read().filter(mine)
    if (!entries.length) return
    const wait = Math.max(0, Math.min(...entries.map((e) => e.next)) - now(), busyUntil - now())
    timer = setTimeout(() => void flush(), wait)
  }

  /**
   * One request for a stored lead; the outbox keeps it unless the answer is final. `throttledIsFinal`:
   * the visitor is there to read "try again in a minute", and their next press sends it again.
   */
  const request = (lead: LeadInput, attempts: number, throttledIsFinal: boolean): Promise<SendLeadResult> => {
    // One request per lead at a time, whoever asks (the form's retry, a flush, another outbox).
    const running = inFlight.get(lead.id)
    if (running) return running
    const sending = settle(lead, attempts, throttledIsFinal).finally(() => inFlight.delete(lead.id))
    inFlight.set(lead.id, sending)
    return sending
  }

  const settle = async (lead: LeadInput, attempts: number, throttledIsFinal: boolean): Promise<SendLeadResult> => {
    const result = await sendLead(endpoint, await ready(lead), fetchImpl)
    if (result.kind === 'failed' || (isRetryableRefusal(result) && !throttledIsFinal)) {
      const tried = attempts + 1
      const wait = result.kind === 'failed' ? backoffMs(tried) : Math.max(backoffMs(tried), THROTTLED_WAIT_MS)
      update((entries) => entries.map((e) => (e.lead.id === lead.id ? { ...e, attempts: tried, next: now() + wait } : e)))
      schedule()
    } else {
      // Accepted, or refused for good (4xx): resending the same body cannot change the answer.
      drop(lead.id)
    }
    return result
  }

  const attempt = async (entry: Entry): Promise<SendLeadResult> => {
    const result = await request(entry.lead, entry.attempts, false)
    if (!stopped && result.kind !== 'failed' && !isRetryableRefusal(result)) onDelivered?.(entry.lead, result)
    return result
  }

  const sendStored = async () => {
    const time = now()
    update((entries) => entries.filter((e) => time - e.added < MAX_AGE_MS))
    for (const entry of read()) {
      if (!mine(entry) || entry.next > time || inFlight.has(entry.lead.id)) continue
      const result = await attempt(entry)
      // Still no network: the others would fail too; wait for the backoff or `online`.
      if (result.kind === 'failed' && result.status === 0) break
    }
  }

  /**
   * One tab at a time sends the stored leads, which all tabs of the origin share: two would send
   * the same lead, and each tell its page's listeners and analytics of it. A tab that finds the
   * lock taken looks again later. Without Web Locks every tab sends (the worker stores one lead).
   */
  const flush = (): Promise<void> =>
    (flushing ??= (async () => {
      const locks = typeof navigator === 'undefined' ? undefined : navigator.locks
      if (typeof locks?.request !== 'function') return sendStored()
      let granted: boolean | undefined
      try {
        await locks.request(`leadcatcher:outbox:${endpoint}:${site ?? ''}`, { ifAvailable: true }, async (lock) => {
          granted = lock !== null
          if (lock) await sendStored()
        })
      } catch (error) {
        // Refused before it was asked (a sandboxed frame's opaque origin): send as without Web
        // Locks. An error from the sending itself is not a reason to send again.
        if (granted === undefined) return sendStored()
        throw error
      }
      if (granted === false) busyUntil = now() + BUSY_RETRY_MS
    })().finally(() => {
      flushing = undefined
      schedule()
    }))

  const send = async (lead: LeadInput): Promise<SendLeadResult> => {
    const earlier = read().find((e) => e.lead.id === lead.id && mine(e))
    const entry: Entry = earlier ? { ...earlier, lead } : { lead, endpoint, attempts: 0, next: now(), added: now() }
    // Stored before the request: a tab closed mid-request still has it on the next page load.
    update((entries) => [...entries.filter((e) => e.lead.id !== lead.id), entry])
    // On a 429 the visitor is asked to try again in a minute, and may correct the form first: a
    // kept copy would go out as well. A lead the outbox already held (a retry after "saved")
    // stays held: nobody else would send it.
    return request(lead, entry.attempts, !earlier)
  }

  /**
   * Where leads carry a captcha token, only one stamped lately, and not one this page is sending
   * now (its token is being stamped or spent): a lead without a good token is spam to the worker,
   * and stays spam, since every later send of its id is answered as a replay. Such a lead waits
   * in storage for the next page.
   */
  const beaconable = (entry: Entry) => mine(entry) && (!prepare || (!inFlight.has(entry.lead.id) && entry.preparedAt !== undefined && now() - entry.preparedAt < TOKEN_FRESH_MS))

  const beacon = () => {
    if (typeof navigator.sendBeacon !== 'function') return
    for (const entry of read()) {
      if (!beaconable(entry)) continue
      // text/plain: a JSON content type would need a CORS preflight, which beacons cannot do.
      const body = new Blob([JSON.stringify(entry.lead)], { type: 'text/plain;charset=UTF-8' })
      // Kept in the outbox: a beacon is fire-and-forget, and the next load's resend is deduplicated.
      navigator.sendBeacon(`${endpoint}/v1/leads`, body)
    }
  }

  const start = () => {
    // Back online, or a new page: everything is due now, not after its backoff.
    const online = () => {
      update((entries) => entries.map((e) => ({ ...e, next: Math.min(e.next, now()) })))
      void flush()
    }
    const hidden = () => document.visibilityState === 'hidden' && beacon()
    addEventListener('online', online)
    document.addEventListener('visibilitychange', hidden)
    // pagehide is the fallback where visibilitychange does not fire on unload (older Safari).
    addEventListener('pagehide', beacon)
    stopped = false
    online()
    return () => {
      stopped = true
      clearTimeout(timer)
      removeEventListener('online', online)
      document.removeEventListener('visibilitychange', hidden)
      removeEventListener('pagehide', beacon)
    }
  }

  return {
    send,
    flush,
    beacon,
    start,
    pending: () =>
      read()
        .filter(mine)
        .map((e) => e.lead),
  }
}
