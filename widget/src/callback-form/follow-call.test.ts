// Following an automatic call: the states in the visitor's language, the backoff, the 3-minute
// limit, the stop, and the answers that mean "no call" or "ask again".
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { Fetch } from '../core/api'
import { callText, fetchCallStatus, followCall } from './follow-call'

const answer = (status: number, body: unknown) => async () => new Response(JSON.stringify(body), { status })

/** A status API answering the states in turn (the last one repeats); records when it was asked. */
function statusApi(states: unknown[]) {
  const asked: number[] = []
  const fetchMock = vi.fn<Fetch>(async () => {
    asked.push(Date.now())
    const state = states[Math.min(asked.length - 1, states.length - 1)]
    return state === 404 ? new Response('{}', { status: 404 }) : new Response(JSON.stringify(state))
  })
  return { fetchMock, asked }
}

afterEach(() => {
  vi.useRealTimers()
})

describe('fetchCallStatus', () => {
  it('reads the call state, 404 as no call, anything odd as "ask again"', async () => {
    const asked: string[] = []
    const ok = async (input: RequestInfo | URL) => {
      asked.push(String(input))
      return new Response(JSON.stringify({ call: 'scheduled', at: '2026-12-07T06:00:00.000Z' }))
    }
    expect(await fetchCallStatus('https://leads.example', 'abc', ok)).toEqual({ call: 'scheduled', at: '2026-12-07T06:00:00.000Z' })
    expect(asked).toEqual(['https://leads.example/v1/leads/abc/status'])
    expect(await fetchCallStatus('https://x', 'a', answer(404, { error: {} }))).toBeNull()
    expect(await fetchCallStatus('https://x', 'a', answer(200, { call: 'ringing' }))).toBeUndefined()
    expect(await fetchCallStatus('https://x', 'a', answer(503, {}))).toBeUndefined()
    expect(await fetchCallStatus('https://x', 'a', async () => Promise.reject(new TypeError('offline')))).toBeUndefined()
  })
})

describe('followCall', () => {
  it('shows each state, backs off ×1.5 from 1 s, and stops once the call is over', async () => {
    vi.useFakeTimers()
    const { fetchMock, asked } = statusApi([{ call: 'ringing_manager' }, { call: 'calling_you' }, { call: 'connected' }])
    const shown: [string | null, boolean][] = []
    followCall({ endpoint: 'https://x', leadId: 'a', locale: 'ru', fetch: fetchMock, since: Date.now(), show: (text, over) => shown.push([text, over]) })
    await vi.advanceTimersByTimeAsync(120_000)
    expect(shown).toEqual([
      [null, false],
      ['Менеджер на линии: звоним вам, ответьте на звонок.', false],
      ['Вы на связи с менеджером.', true],
    ])
    expect(asked.map((t, i) => (i === 0 ? 0 : t - asked[i - 1]!))).toEqual([0, 1500, 2250])
  })

  it('asks at most 15 s apart and never past 3 minutes after the send', async () => {
    vi.useFakeTimers()
    const { fetchMock, asked } = statusApi([{ call: 'ringing_manager' }])
    const since = Date.now()
    followCall({ endpoint: 'https://x', leadId: 'a', locale: 'en', fetch: fetchMock, since, show: () => {} })
    await vi.advanceTimersByTimeAsync(10 * 60_000)
    const gaps = asked.slice(1).map((t, i) => t - asked[i]!)
    expect(Math.max(...gaps)).toBe(15_000)
    expect(asked.at(-1)! - since).toBeLessThanOrEqual(180_000)
    expect(asked.at(-1)! - since).toBeGreaterThan(160_000)
  })

  it('stops when told (the dialog closed), and for good when the lead gets no call', async () => {
    vi.useFakeTimers()
    const first = statusApi([{ call: 'ringing_manager' }])
    const stop = followCall({ endpoint: 'https://x', leadId: 'a', locale: 'en', fetch: first.fetchMock, since: Date.now(), show: () => {} })
    await vi.advanceTimersByTimeAsync(1000)
    stop()
    await vi.advanceTimersByTimeAsync(60_000)
    expect(first.asked).toHaveLength(1)
    const none = statusApi([404])
    const shown: [string | null, boolean][] = []
    followCall({ endpoint: 'https://x', leadId: 'a', locale: 'en', fetch: none.fetchMock, since: Date.now(), show: (text, over) => shown.push([text, over]) })
    await vi.advanceTimersByTimeAsync(60_000)
    expect(none.asked).toHaveLength(1)
    expect(shown).toEqual([[null, true]])
  })

  it('says when a scheduled call will ring, in the visitor’s language', () => {
    const at = '2026-12-07T06:00:00.000Z'
    const time = (locale: string) => new Intl.DateTimeFormat(locale, { weekday: 'short', hour: '2-digit', minute: '2-digit' }).format(new Date(at))
    expect(callText({ call: 'scheduled', at }, 'en')).toBe(`We will call you ${time('en')}.`)
    expect(callText({ call: 'scheduled', at }, 'ru')).toBe(`Позвоним вам ${time('ru')}.`)
    expect(callText({ call: 'scheduled' }, 'ru')).toBe('Позвоним вам в ближайшее время.')
    expect(callText({ call: 'missed' }, 'en')).toBe("We couldn't reach you. A manager will call you back shortly.")
  })
})
