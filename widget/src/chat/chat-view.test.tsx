// Tests for the chat as a visitor uses it: through the real sendLead, a stubbed fetch and jsdom.
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact'
import * as v from 'valibot'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { Flow } from '../../../shared/flow/schema'
import { demoFlow } from '../../../shared/flow/testing'
import { LeadSchema } from '../../../shared/schemas/lead'
import type { Fetch } from '../api'
import { ENDPOINT, acceptingFetch, jsonResponse, sentBody } from '../testing'
import { ChatView } from './chat-view'
import type { ChatViewProps } from './chat-view'
import { CHAT_STRINGS } from './rules'

const en = CHAT_STRINGS.en
const realty = demoFlow('realty')
const school = demoFlow('english-school')
const travel = demoFlow('travel')

function renderChat(overrides: Partial<ChatViewProps> = {}) {
  const onHandoff = vi.fn<ChatViewProps['onHandoff']>()
  const onLead = vi.fn<ChatViewProps['onLead']>()
  const fetchMock = acceptingFetch()
  const props: ChatViewProps = {
    flow: realty,
    locale: 'en',
    site: 'shop',
    endpoint: ENDPOINT,
    country: 'RU',
    fetch: fetchMock,
    typingMs: 0,
    onHandoff,
    onLead,
    ...overrides,
  }
  const view = render(<ChatView {...props} />)
  return { ...view, onHandoff, onLead, fetchMock: props.fetch as typeof fetchMock }
}

const log = () => screen.getByRole('log')
const texts = () => Array.from(log().querySelectorAll('.msg')).map((m) => m.textContent)
const tap = (name: string) => fireEvent.click(screen.getByRole('button', { name }))
function type(value: string) {
  const input = screen.getByRole('textbox')
  fireEvent.input(input, { target: { value } })
  fireEvent.submit(input.closest('form')!)
}
function contact(fields: { phone?: string; email?: string; name?: string }) {
  for (const [label, value] of [
    [en.phone, fields.phone],
    [en.email, fields.email],
    [en.name, fields.name],
  ] as const) {
    if (value !== undefined) fireEvent.input(screen.getByLabelText(label), { target: { value } })
  }
  fireEvent.click(screen.getByRole('button', { name: en.send }))
}

const HOT_BUYER = ['Buying', '2', 'New building', '5–10M ₽', '20–50%', 'Right now']

afterEach(() => {
  cleanup()
  sessionStorage.clear()
  vi.useRealTimers()
})

describe('the chat', () => {
  it('greets and asks in a polite live log, offering the answers as buttons with focus on the first', () => {
    renderChat()
    expect(log().getAttribute('aria-live')).toBe('polite')
    expect(texts()).toEqual([
      'Hello! A few questions and we will pick options for you. Prefer to talk? Press “Call me instead”.',
      'Are you buying or selling?',
    ])
    const group = screen.getByRole('group', { name: 'Are you buying or selling?' })
    const replies = Array.from(group.querySelectorAll('button')).map((b) => b.textContent)
    expect(replies).toEqual(['Buying', 'Selling', 'I have a question'])
    expect(document.activeElement?.textContent).toBe('Buying')
    expect(screen.getByRole('button', { name: en.callMe })).toBeTruthy()
  })

  it('shows a typing indicator before each bot message', () => {
    vi.useFakeTimers()
    renderChat({ typingMs: 600 })
    expect(texts()).toEqual([])
    expect(document.querySelector('.typing')?.getAttribute('aria-hidden')).toBe('true')
    act(() => {
      vi.advanceTimersByTime(600)
    })
    expect(texts()).toHaveLength(1)
    act(() => {
      vi.advanceTimersByTime(600)
    })
    expect(texts()).toHaveLength(2)
    expect(document.querySelector('.typing')).toBeNull()
    tap('Buying')
    // The visitor's own answer shows at once; the bot's next question after the pause.
    expect(texts().at(-1)).toBe('Buying')
    expect(screen.queryByRole('group')).toBeNull()
    act(() => {
      vi.advanceTimersByTime(600)
    })
    expect(texts().at(-1)).toBe('How many rooms?')
  })

  it('walks a buyer through quick replies and posts the lead with answers and transcript', async () => {
    const { fetchMock, onLead } = renderChat()
    for (const reply of HOT_BUYER) tap(reply)
    expect(document.activeElement).toBe(screen.getByLabelText(en.phone))
    contact({ phone: '8 912 345-67-89', name: 'Anna' })
    await waitFor(() => expect(onLead).toHaveBeenCalledTimes(1))
    expect(fetchMock.mock.calls[0]?.[0]).toBe(`${ENDPOINT}/v1/leads`)
    const body = sentBody(fetchMock)
    expect(body).toMatchObject({
      site: 'shop',
      source: 'chat',
      contact: { phone: '8 912 345-67-89', name: 'Anna' },
      answers: {
        intent: 'buy',
        rooms: '2',
        market: 'new',
        budget: '5_10m',
        down_payment: '20_50',
        timing: 'now',
      },
    })
    const transcript = body.transcript as { from: string; text: string; at: string }[]
    expect(transcript.map((t) => `${t.from}: ${t.text}`).slice(2, 4)).toEqual([
      'visitor: Buying',
      'bot: How many rooms?',
    ])
    expect(transcript.at(-1)?.text).toBe(
      'Thank you! An agent will call you within 15 minutes during working hours.',
    )
    expect(transcript.every((t) => !Number.isNaN(Date.parse(t.at)))).toBe(true)
    expect(v.safeParse(LeadSchema, body).success).toBe(true)
    expect(texts().at(-1)).toBe(en.sent)
    expect(screen.queryByRole('button', { name: en.callMe })).toBeNull()
  })

  it('takes free text and numbers, and says what is wrong with a wrong one', () => {
    renderChat({ flow: travel })
    type('Turkey')
    type('10–20 June')
    type('a lot')
    expect(screen.getByRole('alert').textContent).toBe(en.errors.not_a_number)
    type('3')
    expect(screen.queryByRole('alert')).toBeNull()
    expect(texts().slice(-2)).toEqual(['3', 'Budget per person, ₽?'])
    expect(screen.getByRole('textbox').getAttribute('placeholder')).toBe('e.g. 120 000')
  })

  it('takes several choices on a multi-choice question', () => {
    renderChat({ flow: school })
    tap('A trial lesson')
    tap('An adult')
    tap('Beginner')
    fireEvent.click(screen.getByRole('button', { name: en.send }))
    expect(screen.getByRole('alert').textContent).toBe(en.errors.choose_option)
    fireEvent.click(screen.getByLabelText('Weekends'))
    fireEvent.click(screen.getByLabelText('Mornings'))
    fireEvent.click(screen.getByRole('button', { name: en.send }))
    expect(texts().slice(-2)).toEqual(['Mornings, Weekends', 'How can we reach you?'])
  })

  it('checks the contact like the callback form and does not send a wrong one', () => {
    const { fetchMock } = renderChat({ flow: school })
    tap('A trial lesson')
    tap('A child (5–11)')
    tap('Beginner')
    fireEvent.click(screen.getByLabelText('Evenings'))
    fireEvent.click(screen.getByRole('button', { name: en.send }))
    contact({})
    expect(screen.getByRole('alert').textContent).toBe(en.errors.contact_missing)
    contact({ phone: '8 912 34' })
    expect(screen.getByRole('alert').textContent).toBe(en.errors.phone_invalid)
    contact({ phone: '', email: 'anna@' })
    expect(screen.getByRole('alert').textContent).toBe(en.errors.email_invalid)
    expect(fetchMock).not.toHaveBeenCalled()
  })

  it('requires the consent box when the site does, and sends the consent text', async () => {
    const consent = { required: true, text: 'I agree to the processing of my data.' }
    const { fetchMock } = renderChat({ consent })
    for (const reply of HOT_BUYER) tap(reply)
    contact({ phone: '+7 912 345 67 89' })
    expect(screen.getByRole('alert').textContent).toBe(en.errors.contact_missing)
    expect(document.activeElement).toBe(screen.getByRole('checkbox', { name: consent.text }))
    expect(fetchMock).not.toHaveBeenCalled()
    fireEvent.click(screen.getByRole('checkbox'))
    fireEvent.click(screen.getByRole('button', { name: en.send }))
    await waitFor(() => expect(fetchMock).toHaveBeenCalledTimes(1))
    expect(sentBody(fetchMock).consent).toEqual({ given: true, text: consent.text })
  })

  it('hands off to the callback form with what the visitor already said', () => {
    const { onHandoff } = renderChat()
    tap('Buying')
    tap('3')
    tap(en.callMe)
    expect(onHandoff).toHaveBeenCalledTimes(1)
    const prefill = onHandoff.mock.calls[0]?.[0]
    expect(prefill).toMatchObject({
      message: 'intent: buy; rooms: 3',
      answers: { intent: 'buy', rooms: '3' },
    })
    expect(prefill?.transcript.map((t) => t.text).slice(-2)).toEqual([
      '3',
      'New building or resale?',
    ])
    expect(screen.queryByRole('group')).toBeNull()
    expect(screen.queryByRole('button', { name: en.callMe })).toBeNull()
  })

  it('keeps the conversation across page loads in the same tab', () => {
    const first = renderChat()
    tap('Selling')
    tap('A flat')
    const before = texts()
    first.unmount()
    renderChat()
    expect(texts()).toEqual(before)
    expect(screen.getByRole('group', { name: 'When do you want to sell?' })).toBeTruthy()
  })

  it('starts over from the first question and forgets the old answers', () => {
    renderChat()
    tap('Selling')
    tap(en.restart)
    expect(texts()).toHaveLength(2)
    expect(screen.getByRole('group', { name: 'Are you buying or selling?' })).toBeTruthy()
    const saved = JSON.parse(sessionStorage.getItem('leadcatcher:chat:shop:realty') ?? '{}') as {
      state?: { answers?: object }
    }
    expect(saved.state?.answers).toEqual({})
  })

  it('offers a retry after a network failure and resends the same lead id', async () => {
    let calls = 0
    const fetchMock = vi.fn<Fetch>(async (_url, init) => {
      calls++
      if (calls === 1) throw new TypeError('offline')
      const { id } = JSON.parse(String(init?.body)) as { id: string }
      return jsonResponse(201, {
        id,
        status: 'accepted',
        duplicate: false,
        reply: { text: 'ok' },
        score: 90,
        temperature: 'hot',
      })
    })
    const { onLead } = renderChat({ fetch: fetchMock })
    for (const reply of HOT_BUYER) tap(reply)
    contact({ phone: '+7 912 345 67 89' })
    await screen.findByRole('button', { name: en.retry })
    expect(texts().at(-1)).toBe(en.offline)
    tap(en.retry)
    await waitFor(() => expect(onLead).toHaveBeenCalledTimes(1))
    expect(sentBody(fetchMock, 1).id).toBe(sentBody(fetchMock, 0).id)
  })

  it('offers a retry after "too many requests", with the worker’s words, and resends the same id', async () => {
    let calls = 0
    const fetchMock = vi.fn<Fetch>(async (_url, init) => {
      calls++
      if (calls === 1)
        return jsonResponse(429, { error: { code: 'rate_limited', message: 'Too many requests. Please try again in a minute.' } })
      const { id } = JSON.parse(String(init?.body)) as { id: string }
      return jsonResponse(201, { id, status: 'accepted', duplicate: false, reply: { text: 'ok' }, score: 90, temperature: 'hot' })
    })
    const { onLead } = renderChat({ fetch: fetchMock })
    for (const reply of HOT_BUYER) tap(reply)
    contact({ phone: '+7 912 345 67 89' })
    await screen.findByRole('button', { name: en.retry })
    expect(texts().at(-1)).toBe('Too many requests. Please try again in a minute.')
    tap(en.retry)
    await waitFor(() => expect(onLead).toHaveBeenCalledTimes(1))
    expect(sentBody(fetchMock, 1).id).toBe(sentBody(fetchMock, 0).id)
  })

  it('renders flow texts as text, never as markup, and speaks Russian', () => {
    const flow: Flow = {
      id: 'xss',
      start: 'q',
      nodes: [
        {
          id: 'q',
          type: 'ask',
          text: { ru: '<img src=x onerror="alert(1)"> Вопрос?', en: 'Q' },
          input: 'buttons',
          options: [{ value: 'a', label: '<b>A</b>' }],
          next: 'call',
        },
        { id: 'call', type: 'handoff' },
      ],
    }
    renderChat({ flow, locale: 'ru' })
    expect(texts()).toEqual(['<img src=x onerror="alert(1)"> Вопрос?'])
    expect(screen.getByRole('button', { name: '<b>A</b>' })).toBeTruthy()
    expect(document.querySelector('img, b')).toBeNull()
    expect(screen.getByRole('button', { name: CHAT_STRINGS.ru.callMe })).toBeTruthy()
  })
})
