// Tests for the chat rules: the saved session, what the visitor sees of it and the lead it builds.
import * as v from 'valibot'
import { describe, expect, it } from 'vitest'
import { demoFlow } from '../../../shared/flow/testing'
import { LeadSchema } from '../../../shared/schemas/lead'
import { applyEvent, buildChatLead, loadSession, newSession, saveSession, sessionKey, transcriptOf, visibleMessages } from './rules'
import type { ChatSession } from './rules'

const travel = demoFlow('travel')
const T0 = '2026-11-23T10:00:00.000Z'
const T1 = '2026-11-23T10:01:00.000Z'

function memoryStorage(): Storage {
  const data = new Map<string, string>()
  return {
    get length() {
      return data.size
    },
    clear: () => data.clear(),
    getItem: (k) => data.get(k) ?? null,
    key: (i) => [...data.keys()][i] ?? null,
    removeItem: (k) => void data.delete(k),
    setItem: (k, value) => void data.set(k, value),
  }
}

describe('the chat session', () => {
  it('dates every message when it appears', () => {
    let session = newSession(travel, { locale: 'en' }, T0)
    expect(session.times).toEqual([T0, T0])
    session = applyEvent(travel, session, { type: 'answer', value: 'Turkey' }, { locale: 'en' }, T1)
    expect(session.times).toEqual([T0, T0, T1, T1])
    expect(transcriptOf(session).slice(-2)).toEqual([
      { from: 'visitor', text: 'Turkey', at: T1 },
      { from: 'bot', text: 'When? Dates or a month.', at: T1 },
    ])
  })

  it('is saved and loaded back, and dropped when it belongs to another version of the flow', () => {
    const storage = memoryStorage()
    const key = sessionKey('shop', travel)
    const session = applyEvent(travel, newSession(travel, {}, T0), { type: 'answer', value: 'Turkey' }, {}, T1)
    saveSession(storage, key, session)
    expect(loadSession(storage, key, travel)).toEqual(session)
    const renamed = { ...travel, nodes: travel.nodes.filter((n) => n.id !== 'dates') }
    expect(loadSession(storage, key, renamed)).toBeNull()
    storage.setItem(key, '{not json')
    expect(loadSession(storage, key, travel)).toBeNull()
    saveSession(storage, key, null)
    expect(storage.length).toBe(0)
  })

  it('loads back the kept contact step and the worker’s reply, and refuses them malformed', () => {
    const storage = memoryStorage()
    const key = sessionKey('shop', travel)
    const session: ChatSession = {
      ...newSession(travel, {}, T0),
      contactStep: newSession(travel, {}, T0).state,
      reply: 'Closed until 09:00.',
    }
    saveSession(storage, key, session)
    expect(loadSession(storage, key, travel)).toEqual(session)
    storage.setItem(key, JSON.stringify({ ...session, reply: 42 }))
    expect(loadSession(storage, key, travel)).toBeNull()
    storage.setItem(key, JSON.stringify({ ...session, contactStep: { at: 'gone', messages: [] } }))
    expect(loadSession(storage, key, travel)).toBeNull()
  })

  it('survives storage that throws', () => {
    const broken = {
      getItem: () => {
        throw new Error('denied')
      },
      setItem: () => {
        throw new Error('full')
      },
    } as unknown as Storage
    expect(loadSession(broken, 'k', travel)).toBeNull()
    expect(() => saveSession(broken, 'k', newSession(travel, {}, T0))).not.toThrow()
  })
})

describe('buildChatLead', () => {
  it('builds a chat lead the ingest schema accepts, with the route tag and the transcript', () => {
    let session = newSession(travel, { locale: 'en' }, T0)
    for (const value of ['Italy', 'July', '8', '90 000']) {
      session = applyEvent(travel, session, { type: 'answer', value }, { locale: 'en' }, T0)
    }
    session = applyEvent(travel, session, { type: 'contact', email: 'team@example.com' }, { locale: 'en' }, T1)
    const lead = buildChatLead({
      id: '0b7f3c1e-5a7d-4d4c-9a3e-3f1b2c4d5e6f',
      site: 'shop',
      session,
      consentText: 'I agree',
      context: { page: 'https://shop.example/tours' },
      now: Date.parse(T1) + 5000,
    })
    expect(lead).toMatchObject({
      source: 'chat',
      contact: { email: 'team@example.com' },
      answers: {
        destination: 'Italy',
        dates: 'July',
        travellers: 8,
        budget: 90000,
        'var.route': 'senior',
      },
      consent: { given: true, text: 'I agree' },
      elapsedMs: 65_000,
    })
    // The end text waits for the worker's reply, so the transcript stops at what the visitor saw.
    expect(lead.transcript).toHaveLength(session.state.messages.length - 1)
    expect(lead.transcript.at(-1)).toEqual({ from: 'visitor', text: 'team@example.com', at: T1 })
    expect(v.safeParse(LeadSchema, lead).success).toBe(true)
  })
})

describe('visibleMessages', () => {
  function finished(): ChatSession {
    let session = newSession(travel, { locale: 'en' }, T0)
    for (const value of ['Italy', 'July', '8', '90 000']) session = applyEvent(travel, session, { type: 'answer', value }, { locale: 'en' }, T0)
    return applyEvent(travel, session, { type: 'contact', email: 'a@example.com' }, { locale: 'en' }, T1)
  }

  it('holds back the flow’s end text until the lead is in, then shows the worker’s reply instead', () => {
    const session = finished()
    const end = session.state.messages.at(-1)?.text
    expect(end).toBe('Thank you! A manager will send you options by the end of the working day.')
    expect(visibleMessages(session).at(-1)?.text).toBe('a@example.com')
    const sent = { ...session, sent: true, reply: 'Thank you! We are closed until 09:00.' }
    expect(visibleMessages(sent).map((m) => m.text)).toEqual([...session.state.messages.slice(0, -1).map((m) => m.text), 'Thank you! We are closed until 09:00.'])
    // A session saved before replies were kept still ends on the flow's text.
    expect(visibleMessages({ ...session, sent: true }).at(-1)?.text).toBe(end)
  })

  it('shows a conversation still under way as it is', () => {
    const session = newSession(travel, { locale: 'en' }, T0)
    expect(visibleMessages(session)).toEqual(session.state.messages)
  })
})
