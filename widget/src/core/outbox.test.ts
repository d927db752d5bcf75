// Tests for the outbox: a lead survives a failing network, goes out once it recovers (same id),
// and is handed to sendBeacon when the page is hidden.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { LeadInput } from '../../../shared/schemas/lead'
import type { Fetch } from './api'
import { OUTBOX_KEY, THROTTLED_WAIT_MS, backoffMs, createOutbox } from './outbox'
import { ENDPOINT, accepted, jsonResponse } from '../testing'

const LEAD: LeadInput = {
  id: '0b6f4f0e-1c1e-4a4b-9a53-3f1e2d3c4b5a',
  site: 'shop',
  source: 'callback',
  contact: { phone: '+79123456789' },
}

const offline: Fetch = async () => {
  throw new TypeError('Failed to fetch')
}

let stops: (() => void)[] = []
beforeEach(() => localStorage.clear())
afterEach(() => {
  for (const stop of stops) stop()
  stops = []
  vi.useRealTimers()
  vi.unstubAllGlobals()
})

/** An outbox started on a network that is down until `online()`; `delivered` hears each accepted lead. */
function flakyOutbox() {
  let network = false
  const fetchMock = vi.fn<Fetch>(async (url, init) => (network ? accepted(LEAD.id) : offline(url, init)))
  const delivered = vi.fn()
  const outbox = createOutbox({ endpoint: ENDPOINT, fetch: fetchMock, onDelivered: delivered })
  stops.push(outbox.start())
  const online = () => {
    network = true
    dispatchEvent(new Event('online'))
  }
  return { outbox, fetchMock, delivered, online }
}

describe('the outbox', () => {
  it('keeps a lead that failed to send and sends the same body when the network is back', async () => {
    vi.useFakeTimers()
    const { outbox, fetchMock, delivered, online } = flakyOutbox()

    expect((await outbox.send(LEAD)).kind).toBe('failed')
    expect(outbox.pending()).toEqual([LEAD])
    // Still offline at the first retry: it backs off again.
    await vi.advanceTimersByTimeAsync(backoffMs(1))
    expect(fetchMock).toHaveBeenCalledTimes(2)

    online()
    await vi.waitFor(() => expect(delivered).toHaveBeenCalledTimes(1))
    expect(fetchMock).toHaveBeenCalledTimes(3)
    const bodies = fetchMock.mock.calls.map(([, init]) => JSON.parse(String(init?.body)))
    expect(new Set(bodies.map((b) => b.id))).toEqual(new Set([LEAD.id]))
    expect(bodies[2]).toEqual(LEAD)
    expect(outbox.pending()).toEqual([])
    expect(localStorage.getItem(OUTBOX_KEY)).toBeNull()
  })

  it('retries a 5xx with backoff and stops once the worker accepts', async () => {
    vi.useFakeTimers()
    const answers = [jsonResponse(503, {}), jsonResponse(502, {}), accepted(LEAD.id)]
    const fetchMock = vi.fn<Fetch>(async () => answers.shift() ?? accepted(LEAD.id))
    const outbox = createOutbox({ endpoint: ENDPOINT, fetch: fetchMock })
    stops.push(outbox.start())
    await outbox.send(LEAD)
    await vi.advanceTimersByTimeAsync(backoffMs(1))
    expect(fetchMock).toHaveBeenCalledTimes(2)
    await vi.advanceTimersByTimeAsync(backoffMs(2) - 1)
    expect(fetchMock).toHaveBeenCalledTimes(2)
    await vi.advanceTimersByTimeAsync(1)
    expect(fetchMock).toHaveBeenCalledTimes(3)
    await vi.advanceTimersByTimeAsync(backoffMs(5))
    expect(fetchMock).toHaveBeenCalledTimes(3)
    expect(outbox.pending()).toEqual([])
  })

  it('sends what an earlier page left behind as soon as it starts', async () => {
    await createOutbox({ endpoint: ENDPOINT, fetch: offline }).send(LEAD)
    const fetchMock = vi.fn<Fetch>(async () => accepted(LEAD.id))
    const next = createOutbox({ endpoint: ENDPOINT, fetch: fetchMock })
    stops.push(next.start())
    await vi.waitFor(() => expect(next.pending()).toEqual([]))
    expect(JSON.parse(String(fetchMock.mock.calls[0]?.[1]?.body))).toEqual(LEAD)
  })

  it('hands waiting leads to sendBeacon as text/plain when the page is hidden', async () => {
    const beacon = vi.fn(() => true)
    vi.stubGlobal('navigator', Object.assign(Object.create(navigator), { sendBeacon: beacon }))
    const outbox = createOutbox({ endpoint: ENDPOINT, fetch: offline })
    stops.push(outbox.start())
    await outbox.send(LEAD)
    const visibility = vi.spyOn(document, 'visibilityState', 'get').mockReturnValue('hidden')
    document.dispatchEvent(new Event('visibilitychange'))
    visibility.mockRestore()
    expect(beacon).toHaveBeenCalledTimes(1)
    const [url, body] = beacon.mock.calls[0] as unknown as [string, Blob]
    expect(url).toBe(`${ENDPOINT}/v1/leads`)
    expect(body.type).toBe('text/plain;charset=utf-8')
    expect(JSON.parse(await body.text())).toEqual(LEAD)
  })

  it('drops a lead the worker refuses for good instead of resending it forever', async () => {
    const refuse = vi.fn<Fetch>(async () => jsonResponse(400, { error: { code: 'invalid_phone', message: 'no' } }))
    const outbox = createOutbox({ endpoint: ENDPOINT, fetch: refuse })
    expect((await outbox.send(LEAD)).kind).toBe('rejected')
    expect(outbox.pending()).toEqual([])
  })

  it.each([429, 408])('keeps a waiting lead whose retry is answered %i and tries again after a minute, not sooner', async (status) => {
    vi.useFakeTimers()
    const answers: (() => Promise<Response>)[] = [() => offline(''), async () => jsonResponse(status, { error: { code: 'rate_limited', message: 'wait' } })]
    const fetchMock = vi.fn<Fetch>(() => answers.shift()?.() ?? Promise.resolve(accepted(LEAD.id)))
    const delivered = vi.fn()
    const outbox = createOutbox({ endpoint: ENDPOINT, fetch: fetchMock, onDelivered: delivered })
    stops.push(outbox.start())

    expect((await outbox.send(LEAD)).kind).toBe('failed')
    await vi.advanceTimersByTimeAsync(backoffMs(1))
    expect(fetchMock).toHaveBeenCalledTimes(2)
    // Throttled: the visitor may be long gone, so the lead stays.
    expect(outbox.pending()).toEqual([LEAD])
    await vi.advanceTimersByTimeAsync(THROTTLED_WAIT_MS - 1)
    expect(fetchMock).toHaveBeenCalledTimes(2)
    await vi.advanceTimersByTimeAsync(1)
    expect(fetchMock).toHaveBeenCalledTimes(3)
    expect(JSON.parse(String(fetchMock.mock.calls[2]?.[1]?.body))).toEqual(LEAD)
    expect(delivered).toHaveBeenCalledTimes(1)
    expect(outbox.pending()).toEqual([])
  })

  it('keeps retrying a throttled lead on later pages instead of dropping it', async () => {
    await createOutbox({ endpoint: ENDPOINT, fetch: offline }).send(LEAD)
    const throttled = vi.fn<Fetch>(async () => jsonResponse(429, { error: { code: 'rate_limited', message: 'wait' } }))
    const next = createOutbox({ endpoint: ENDPOINT, fetch: throttled })
    stops.push(next.start())
    await vi.waitFor(() => expect(throttled).toHaveBeenCalledTimes(1))
    await next.flush()
    expect(next.pending()).toEqual([LEAD])
  })

  it('leaves a first send answered 429 to the visitor, who is asked to try again', async () => {
    const throttled = vi.fn<Fetch>(async () => jsonResponse(429, { error: { code: 'rate_limited', message: 'wait' } }))
    const outbox = createOutbox({ endpoint: ENDPOINT, fetch: throttled })
    expect(await outbox.send(LEAD)).toMatchObject({ kind: 'rejected', status: 429 })
    expect(outbox.pending()).toEqual([])
  })

  it('never sends a lead twice while its first request is still under way', async () => {
    let answer: (response: Response) => void = () => {}
    const fetchMock = vi.fn<Fetch>(() => new Promise<Response>((resolve) => (answer = resolve)))
    const delivered = vi.fn()
    const outbox = createOutbox({ endpoint: ENDPOINT, fetch: fetchMock, onDelivered: delivered })
    stops.push(outbox.start())
    const sending = outbox.send(LEAD)
    await vi.waitFor(() => expect(fetchMock).toHaveBeenCalledTimes(1))
    // Back online, or another lead's timer: the flush finds this lead due but in flight.
    dispatchEvent(new Event('online'))
    await outbox.flush()
    expect(fetchMock).toHaveBeenCalledTimes(1)
    answer(accepted(LEAD.id))
    expect((await sending).kind).toBe('accepted')
    // The form reports its own accepted send; the outbox reports only what it sent later.
    expect(delivered).not.toHaveBeenCalled()
    expect(fetchMock).toHaveBeenCalledTimes(1)
    expect(outbox.pending()).toEqual([])
  })

  it('joins a request under way when the visitor presses again, even from another outbox', async () => {
    await createOutbox({ endpoint: ENDPOINT, fetch: offline }).send(LEAD)
    let answer: (response: Response) => void = () => {}
    const fetchMock = vi.fn<Fetch>(() => new Promise<Response>((resolve) => (answer = resolve)))
    // The next page's outbox flushes the saved lead; the same widget, mounted again, sends it too.
    const first = createOutbox({ endpoint: ENDPOINT, fetch: fetchMock })
    stops.push(first.start())
    await vi.waitFor(() => expect(fetchMock).toHaveBeenCalledTimes(1))
    const again = createOutbox({ endpoint: ENDPOINT, fetch: fetchMock }).send(LEAD)
    answer(accepted(LEAD.id))
    expect((await again).kind).toBe('accepted')
    expect(fetchMock).toHaveBeenCalledTimes(1)
    await vi.waitFor(() => expect(first.pending()).toEqual([]))
  })

  it('keeps a saved lead the visitor sends again and the worker answers 429: nobody else would send it', async () => {
    await createOutbox({ endpoint: ENDPOINT, fetch: offline }).send(LEAD)
    const throttled = vi.fn<Fetch>(async () => jsonResponse(429, { error: { code: 'rate_limited', message: 'wait' } }))
    const outbox = createOutbox({ endpoint: ENDPOINT, fetch: throttled })
    expect(await outbox.send(LEAD)).toMatchObject({ kind: 'rejected', status: 429 })
    expect(outbox.pending()).toEqual([LEAD])
  })

  it('once stopped, schedules nothing and reports nothing, even for a request that was under way', async () => {
    vi.useFakeTimers()
    await createOutbox({ endpoint: ENDPOINT, fetch: offline }).send(LEAD)
    let answer: (response: Response) => void = () => {}
    const fetchMock = vi.fn<Fetch>(() => new Promise<Response>((resolve) => (answer = resolve)))
    const delivered = vi.fn()
    const outbox = createOutbox({ endpoint: ENDPOINT, fetch: fetchMock, onDelivered: delivered })
    const stop = outbox.start()
    await vi.advanceTimersByTimeAsync(0)
    expect(fetchMock).toHaveBeenCalledTimes(1)
    stop()
    answer(jsonResponse(503, {}))
    await vi.advanceTimersByTimeAsync(backoffMs(5))
    expect(fetchMock).toHaveBeenCalledTimes(1)
    expect(delivered).not.toHaveBeenCalled()
    // Still stored for the next page.
    expect(outbox.pending()).toEqual([LEAD])
  })

  it('keeps working when storage throws (private mode)', async () => {
    vi.spyOn(Storage.prototype, 'setItem').mockImplementation(() => {
      throw new DOMException('QuotaExceededError')
    })
    const outbox = createOutbox({ endpoint: ENDPOINT, fetch: async () => accepted(LEAD.id) })
    expect((await outbox.send(LEAD)).kind).toBe('accepted')
    vi.restoreAllMocks()
  })

  it('holds a lead in memory when storage refuses it, retries it when online and beacons it when hidden', async () => {
    vi.useFakeTimers()
    const refuse = vi.spyOn(Storage.prototype, 'setItem').mockImplementation(() => {
      throw new DOMException('QuotaExceededError')
    })
    const beacon = vi.fn(() => true)
    vi.stubGlobal('navigator', Object.assign(Object.create(navigator), { sendBeacon: beacon }))
    const { outbox, delivered, online } = flakyOutbox()
    expect((await outbox.send(LEAD)).kind).toBe('failed')
    // Told "saved": it is, for this page.
    expect(outbox.pending()).toEqual([LEAD])
    outbox.beacon()
    expect(beacon).toHaveBeenCalledTimes(1)
    online()
    await vi.waitFor(() => expect(delivered).toHaveBeenCalledTimes(1))
    expect(outbox.pending()).toEqual([])
    refuse.mockRestore()
  })

  it('while storage refuses its writes, neither hides nor overwrites a lead another tab stored', async () => {
    // Fake timers: the outbox's retry timers end with the test instead of firing in a later one.
    vi.useFakeTimers()
    const realSetItem = Storage.prototype.setItem
    const refuse = vi.spyOn(Storage.prototype, 'setItem').mockImplementation(() => {
      throw new DOMException('QuotaExceededError')
    })
    const outbox = createOutbox({ endpoint: ENDPOINT, fetch: offline })
    await outbox.send(LEAD)
    // Another tab's write fits (its lead is smaller, or space was freed).
    const theirs = { ...LEAD, id: '1c7e5f0a-2b3c-4d5e-8f9a-0b1c2d3e4f5a' }
    realSetItem.call(localStorage, OUTBOX_KEY, JSON.stringify([{ lead: theirs, endpoint: ENDPOINT, attempts: 0, next: 0, added: Date.now() }]))
    const ids = (leads: LeadInput[]) => leads.map((l) => l.id).sort()
    expect(ids(outbox.pending())).toEqual(ids([LEAD, theirs]))
    refuse.mockRestore()
    // This page's next write, storage working again, keeps both.
    await outbox.send({ ...LEAD, message: 'again' })
    expect(ids((JSON.parse(localStorage.getItem(OUTBOX_KEY) ?? '[]') as { lead: LeadInput }[]).map((e) => e.lead))).toEqual(ids([LEAD, theirs]))
  })

  it('beacons a lead that needs a captcha token only with a fresh one, and never one this page is sending', async () => {
    vi.useFakeTimers()
    let time = 1_000_000
    const beacon = vi.fn(() => true)
    vi.stubGlobal('navigator', Object.assign(Object.create(navigator), { sendBeacon: beacon }))
    const stamped = (lead: LeadInput): Promise<LeadInput> => Promise.resolve({ ...lead, captchaToken: `token-${time}` } as LeadInput)
    let solve: (lead: LeadInput) => void = () => {}
    const slow = (lead: LeadInput) => new Promise<LeadInput>((resolve) => (solve = () => resolve({ ...lead, captchaToken: 'late' } as LeadInput)))
    // The captcha is still running when the page is hidden: nothing goes without its token.
    const first = createOutbox({ endpoint: ENDPOINT, fetch: offline, now: () => time, prepare: slow })
    const sending = first.send(LEAD)
    first.beacon()
    expect(beacon).not.toHaveBeenCalled()
    solve(LEAD)
    await sending
    // Stamped and failed just now: the token is fresh, the beacon carries it.
    first.beacon()
    expect(beacon).toHaveBeenCalledTimes(1)
    expect(JSON.parse(await (beacon.mock.calls[0] as unknown as [string, Blob])[1].text())).toMatchObject({ captchaToken: 'late' })
    // Minutes later the token may have expired: no beacon, the next page stamps a new one.
    time += 5 * 60_000
    first.beacon()
    expect(beacon).toHaveBeenCalledTimes(1)
    const next = createOutbox({ endpoint: ENDPOINT, fetch: offline, now: () => time, prepare: stamped })
    next.beacon()
    expect(beacon).toHaveBeenCalledTimes(1)
  })

  it('beacons no lead whose captcha gave no new token (timed out, blocked): its old one may be spent', async () => {
    vi.useFakeTimers()
    const beacon = vi.fn(() => true)
    vi.stubGlobal('navigator', Object.assign(Object.create(navigator), { sendBeacon: beacon }))
    const unchanged = (lead: LeadInput) => Promise.resolve(lead)
    const outbox = createOutbox({ endpoint: ENDPOINT, fetch: offline, prepare: unchanged })
    await outbox.send({ ...LEAD, captchaToken: 'spent-by-an-earlier-request' } as LeadInput)
    outbox.beacon()
    expect(beacon).not.toHaveBeenCalled()
  })

  it('forgets that a lead was stamped once a later attempt got no new token and spent the old one', async () => {
    vi.useFakeTimers()
    const beacon = vi.fn(() => true)
    vi.stubGlobal('navigator', Object.assign(Object.create(navigator), { sendBeacon: beacon }))
    const tokens = ['first']
    const prepare = (lead: LeadInput) => Promise.resolve({ ...lead, captchaToken: tokens.shift() ?? lead.captchaToken } as LeadInput)
    const outbox = createOutbox({ endpoint: ENDPOINT, fetch: offline, prepare })
    await outbox.send(LEAD)
    // Stamped: a beacon now would carry 'first'.
    outbox.beacon()
    expect(beacon).toHaveBeenCalledTimes(1)
    // The retry's captcha gives nothing new: the retry spent 'first', no beacon carries it again.
    await outbox.flush()
    await vi.advanceTimersByTimeAsync(backoffMs(1))
    outbox.beacon()
    expect(beacon).toHaveBeenCalledTimes(1)
  })

  it('leaves the stored leads to the tab that holds the lock, and looks again a few seconds later', async () => {
    vi.useFakeTimers()
    // A lead an earlier page left behind, due now.
    localStorage.setItem(OUTBOX_KEY, JSON.stringify([{ lead: LEAD, endpoint: ENDPOINT, attempts: 1, next: 0, added: Date.now() }]))
    let otherTab = true
    const request = vi.fn(async (_name: string, _options: LockOptions, work: (lock: Lock | null) => Promise<unknown>) =>
      work(otherTab ? null : ({ name: 'leadcatcher:outbox', mode: 'exclusive' } as Lock)),
    )
    vi.stubGlobal('navigator', Object.assign(Object.create(navigator), { locks: { request } }))
    const fetchMock = vi.fn<Fetch>(async () => accepted(LEAD.id))
    const delivered = vi.fn()
    stops.push(createOutbox({ endpoint: ENDPOINT, fetch: fetchMock, onDelivered: delivered }).start())
    await vi.advanceTimersByTimeAsync(1000)
    // Another tab is sending them: nothing from this one, and no busy loop of look-ups either.
    expect(fetchMock).not.toHaveBeenCalled()
    expect(request.mock.calls.length).toBeLessThanOrEqual(2)
    otherTab = false
    await vi.advanceTimersByTimeAsync(5000)
    await vi.waitFor(() => expect(delivered).toHaveBeenCalledTimes(1))
    expect(fetchMock).toHaveBeenCalledTimes(1)
  })

  it('leaves another site’s leads on the same origin to that site’s outbox', async () => {
    const fetchMock = vi.fn<Fetch>(async () => accepted(LEAD.id))
    await createOutbox({ endpoint: ENDPOINT, site: 'other', fetch: offline }).send({ ...LEAD, site: 'other' })
    const outbox = createOutbox({ endpoint: ENDPOINT, site: 'shop', fetch: fetchMock })
    await outbox.flush()
    expect(fetchMock).not.toHaveBeenCalled()
    expect(outbox.pending()).toEqual([])
    // Its own site's outbox, on a later page, sends it.
    stops.push(createOutbox({ endpoint: ENDPOINT, site: 'other', fetch: fetchMock }).start())
    await vi.waitFor(() => expect(fetchMock).toHaveBeenCalledTimes(1))
    expect(JSON.parse(String(fetchMock.mock.calls[0]?.[1]?.body))).toMatchObject({ site: 'other' })
  })
})
