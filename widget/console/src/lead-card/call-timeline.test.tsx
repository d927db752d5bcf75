// The lead card's call timeline: every step of a call with its time, how long each phone rang,
// who answered, in English and Russian; a lead never dialled shows no section; the provider's words
// are text, never markup.
import { cleanup, render, screen, waitFor, within } from '@testing-library/preact'
import { afterEach, describe, expect, it } from 'vitest'
import { createApiClient } from '../api'
import { fakeFetch, jsonResponse, leadDetail, renderIn } from '../testing'
import type { CallView } from './call-timeline'
import { CallTimeline, CallTimelineView } from './call-timeline'
import { LeadCardView } from './lead-card'

afterEach(cleanup)

const MANAGERS = [
  { id: 'olga', name: 'Ольга' },
  { id: 'pavel', name: 'Павел' },
]
const T0 = Date.parse('2026-12-02T09:00:00.000Z')
const at = (seconds: number) => new Date(T0 + seconds * 1000).toISOString()

/** Olga does not answer in 20 s, Pavel answers after 7 s, the visitor after 5 s more. */
const CONNECTED: CallView = {
  deliveryId: 'd1',
  state: 'connected',
  reason: null,
  scheduledAt: null,
  legs: [
    { id: 'leg-1', managerId: 'olga', placedAt: at(1), managerAnsweredAt: null, endedAt: at(21), outcome: 'manager_missed' },
    { id: 'leg-2', managerId: 'pavel', placedAt: at(21), managerAnsweredAt: at(28), endedAt: at(33), outcome: 'visitor_answered' },
  ],
  events: [
    { at: at(0), kind: 'started', legId: null, detail: 'calling the managers' },
    { at: at(1), kind: 'ringing_manager', legId: 'leg-1', detail: 'Mango Office: ringing olga' },
    { at: at(21), kind: 'manager_missed', legId: 'leg-1', detail: 'Mango Office: hung up after 20 s without an answer' },
    { at: at(21), kind: 'ringing_manager', legId: 'leg-2', detail: 'Mango Office: ringing pavel' },
    { at: at(28), kind: 'manager_answered', legId: 'leg-2', detail: 'Mango Office Connected' },
    { at: at(33), kind: 'visitor_answered', legId: 'leg-2', detail: 'Mango Office Connected' },
    { at: at(33), kind: 'connected', legId: 'leg-2', detail: 'Mango Office Connected' },
  ],
}

const MISSED: CallView = {
  deliveryId: 'd0',
  state: 'missed',
  reason: 'no manager answered (olga)',
  scheduledAt: null,
  legs: [{ id: 'leg-0', managerId: 'olga', placedAt: at(-3600), managerAnsweredAt: null, endedAt: null, outcome: null }],
  events: [
    { at: at(-3601), kind: 'started', legId: null, detail: 'calling the managers' },
    { at: at(-3600), kind: 'ringing_manager', legId: 'leg-0', detail: 'Twilio: ringing olga' },
    { at: at(-3580), kind: 'missed', legId: null, detail: 'no manager answered (olga)' },
    { at: at(-3580), kind: 'sms', legId: null, detail: 'sent' },
  ],
}

const lines = (root: HTMLElement) => [...root.querySelectorAll('.call-event > p:first-child')].map((p) => p.textContent?.replace(/\s+/g, ' ').trim())

describe('the call timeline', () => {
  it('shows each step with its time, the offset from the start and how long each phone rang', () => {
    renderIn('en', <CallTimelineView calls={[CONNECTED, MISSED]} managers={MANAGERS} />)
    const section = screen.getByRole('region', { name: 'Calls' })
    const [newest, older] = within(section).getAllByRole('heading', { level: 3 })
    expect(newest!.textContent).toBe('Call 2 connected')
    expect(older!.textContent).toBe('Call 1 missed')
    const [first] = section.querySelectorAll<HTMLElement>('.call')
    const time = (s: number) => new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit' }).format(new Date(T0 + s * 1000))
    expect(lines(first!)).toEqual([
      `${time(0)} · Auto-dial started`,
      `${time(1)} (+1 s) · Ringing Ольга`,
      `${time(21)} (+21 s) · Ольга did not answer — rang 20 s`,
      `${time(21)} (+21 s) · Ringing Павел`,
      `${time(28)} (+28 s) · Павел answered — after 7 s`,
      `${time(33)} (+33 s) · The visitor answered — after 5 s`,
      `${time(33)} (+33 s) · Connected: the manager and the visitor are talking`,
    ])
    // The provider's own words, under the step.
    expect(within(first!).getByText('Mango Office: hung up after 20 s without an answer').className).toBe('note')
    expect(within(section).getByText('no manager answered (olga)', { selector: 'p.muted' })).toBeTruthy()
    expect(within(section).getByText('SMS to the visitor')).toBeTruthy()
  })

  it('reads in Russian in a Russian console', () => {
    renderIn('ru', <CallTimelineView calls={[CONNECTED]} managers={MANAGERS} />)
    const section = screen.getByRole('region', { name: 'Звонки' })
    expect(within(section).getByRole('heading', { level: 3 }).textContent).toBe('Звонок 1 соединили')
    expect(lines(section).map((l) => l!.replace(/^\S+ /, ''))).toEqual([
      '· Автодозвон начат',
      '(+1 с) · Звоним: Ольга',
      '(+21 с) · Ольга: не ответил(а) — звонил 20 с',
      '(+21 с) · Звоним: Павел',
      '(+28 с) · Павел: ответил(а) — через 7 с',
      '(+33 с) · Клиент ответил — через 5 с',
      '(+33 с) · Соединили: менеджер говорит с клиентом',
    ])
  })

  it('shows a scheduled call’s time', () => {
    const scheduled: CallView = {
      deliveryId: 'd2',
      state: 'scheduled',
      reason: null,
      scheduledAt: at(3600),
      legs: [],
      events: [{ at: at(0), kind: 'scheduled', legId: null, detail: at(3600) }],
    }
    renderIn('en', <CallTimelineView calls={[scheduled]} managers={MANAGERS} />)
    expect(screen.getAllByText(/^Scheduled for /)).toHaveLength(2)
  })

  it('renders the provider’s words as text', () => {
    const hostile = { ...MISSED, reason: '<img src=x onerror=alert(1)>', events: [{ at: at(0), kind: '<b>x</b>', legId: null, detail: '<script>alert(1)</script>' }] }
    const { container } = renderIn('en', <CallTimelineView calls={[hostile]} managers={MANAGERS} />)
    expect(container.querySelector('img, script, b')).toBeNull()
    expect(screen.getByText('<script>alert(1)</script>')).toBeTruthy()
  })

  it('loads the lead’s calls, and shows nothing for a lead never dialled', async () => {
    const fetch = fakeFetch({
      'GET /v1/admin/leads/with-calls/calls': () => jsonResponse(200, { calls: [CONNECTED] }),
      'GET /v1/admin/leads/no-calls/calls': () => jsonResponse(200, { calls: [] }),
    })
    const api = createApiClient({ fetch })
    renderIn('en', <CallTimeline api={api} leadId="with-calls" managers={MANAGERS} />)
    expect(await screen.findByRole('region', { name: 'Calls' })).toBeTruthy()
    cleanup()
    const { container } = renderIn('en', <CallTimeline api={api} leadId="no-calls" managers={MANAGERS} />)
    await waitFor(() => expect(fetch.mock.calls.length).toBe(2))
    expect(container.innerHTML).toBe('')
  })

  it('is part of a callback lead’s card, not of other leads’', async () => {
    const fetch = fakeFetch({ 'GET /v1/admin/leads/cb/calls': () => jsonResponse(200, { calls: [CONNECTED] }) })
    const api = createApiClient({ fetch })
    const props = {
      scope: { kind: 'site', site: 'shop' } as const,
      managers: MANAGERS,
      api,
      onStatus: async () => ({ ok: true as const, value: {} }),
      onTake: async () => ({ ok: true as const, value: {} }),
      onReload: () => {},
    }
    render(<LeadCardView lead={leadDetail({ id: 'cb', source: 'callback' })} {...props} />)
    expect(await screen.findByRole('region', { name: 'Calls' })).toBeTruthy()
    cleanup()
    render(<LeadCardView lead={leadDetail({ id: 'form', source: 'form' })} {...props} />)
    expect(fetch.mock.calls).toHaveLength(1)
  })
})
