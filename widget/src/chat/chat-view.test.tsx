// Tests for the chat as a visitor uses it: through the real sendLead, a stubbed fetch and jsdom.
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact'
import * as v from 'valibot'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { Flow } from '../../../shared/flow/schema'
import { demoFlow } from '../../../shared/flow/testing'
import { LeadSchema } from '../../../shared/schemas/lead'
import type { Fetch } from '../core/api'
import { STRINGS } from '../view/i18n'
import { ENDPOINT, TEST_COUNTRIES, acceptingFetch, accepted, jsonResponse, phoneMetadataFor, sentBody } from '../testing'
import { setPhoneMetadata } from '../callback-form/phone'
import { ChatView } from './chat-view'
import type { ChatViewProps } from './chat-view'
import { CHAT_STRINGS } from './rules'

const en = CHAT_STRINGS.en
/** The callback form's strings: the chat's contact step speaks with the form's messages. */
const form = STRINGS.en
const REALTY_END = 'Thank you! An agent will call you within 15 minutes during working hours.'
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
    form: STRINGS.en,
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

// The site's countries' phone metadata, as the worker sends it, from the first render on.
beforeEach(() => setPhoneMetadata(phoneMetadataFor(TEST_COUNTRIES)))

afterEach(() => {
  cleanup()
  sessionStorage.clear()
  vi.useRealTimers()
})

describe('the chat', () => {
  it('greets and asks in a polite live log, offering the answers as buttons with focus on the first', () => {
    renderChat()
    expect(log().getAttribute('aria-live')).toBe('polite')
    expect(texts()).toEqual(['Hello! A few questions and we will pick options for you. Prefer to talk? Press “Call me instead”.', 'Are you buying or selling?'])
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
      // International, as the callback form sends it, whatever country the site is in.
      contact: { phone: '+7 912 345 67 89', name: 'Anna' },
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
    expect(transcript.map((t) => `${t.from}: ${t.text}`).slice(2, 4)).toEqual(['visitor: Buying', 'bot: How many rooms?'])
    expect(transcript.at(-1)?.text).toBe('Anna, +7 912 345 67 89')
    expect(transcript.every((t) => !Number.isNaN(Date.parse(t.at)))).toBe(true)
    expect(v.safeParse(LeadSchema, body).success).toBe(true)
    // The worker's reply, not the flow's own end text, then the "sent" note.
    await waitFor(() => expect(texts().slice(-2)).toEqual(['Thanks! We will call you within 15 minutes.', en.sent]))
    expect(texts()).not.toContain(REALTY_END)
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
    const errorOf = (id: string) => document.getElementById(`${id}-error`)?.textContent
    contact({})
    expect(errorOf('lc-chat-phone')).toBe(form.contactMissing)
    contact({ phone: '8 912 34' })
    expect(errorOf('lc-chat-phone')).toBe(form.phoneInvalid)
    expect(document.activeElement).toBe(screen.getByLabelText(en.phone))
    contact({ phone: '12345' })
    expect(errorOf('lc-chat-phone')).toBe(form.phoneInvalid)
    contact({ phone: '', email: 'anna@' })
    expect(errorOf('lc-chat-email')).toBe(en.errors.email_invalid)
    expect(fetchMock).not.toHaveBeenCalled()
  })

  it('has the callback form’s phone field: its country picker, formatting and blur check', () => {
    renderChat({ locale: 'en', country: 'KZ', countries: ['UZ'] })
    for (const reply of HOT_BUYER) tap(reply)
    const picker = screen.getByRole('combobox', { name: form.country }) as HTMLSelectElement
    expect(picker.value).toBe('KZ')
    expect(Array.from(picker.options, (o) => o.textContent).slice(0, 3)).toEqual([
      'Kazakhstan +7',
      'Uzbekistan +998',
      // The site's metadata only (the tests' worker ships TEST_COUNTRIES): then by name.
      'Australia +61',
    ])
    const phone = screen.getByLabelText(en.phone) as HTMLInputElement
    fireEvent.input(phone, { target: { value: '12345' } })
    fireEvent.blur(phone)
    expect(document.getElementById('lc-chat-phone-error')?.textContent).toBe(form.phoneInvalid)
    fireEvent.input(phone, { target: { value: '87012345678' } })
    expect(phone.value).toBe('8 (701) 234 5678')
    expect(document.getElementById('lc-chat-phone-error')).toBeNull()
    fireEvent.input(phone, { target: { value: '0049301234567' } })
    expect(phone.value).toBe('+49 30 1234567')
    expect(picker.value).toBe('DE')
  })

  it('goes back to the contact step with the worker’s message when it refuses the phone, never thanking first', async () => {
    const refusal = 'This phone number does not exist. Please check it.'
    let answer: (response: Response) => void = () => {}
    const fetchMock = vi.fn<Fetch>(() => new Promise<Response>((resolve) => (answer = resolve)))
    const consent = { required: true, text: 'I agree to the processing of my data.' }
    const { onLead } = renderChat({ fetch: fetchMock, consent })
    for (const reply of HOT_BUYER) tap(reply)
    fireEvent.click(screen.getByRole('checkbox', { name: consent.text }))
    contact({ phone: '+70000000000', name: 'Anna' })
    await waitFor(() => expect(fetchMock).toHaveBeenCalledTimes(1))
    // While the worker decides, the bot has promised nothing.
    expect(texts()).not.toContain(REALTY_END)
    expect(screen.getByText(en.sending)).toBeTruthy()
    await act(async () =>
      answer(
        jsonResponse(400, {
          error: {
            code: 'invalid_phone',
            message: refusal,
            issues: [{ path: 'contact.phone', message: refusal }],
          },
        }),
      ),
    )
    const phone = (await screen.findByLabelText(en.phone)) as HTMLInputElement
    // What the visitor had in the field (formatted as typed), to fix rather than retype.
    expect(phone.value).toBe('+7 0000000000')
    expect((screen.getByLabelText(en.name) as HTMLInputElement).value).toBe('Anna')
    // The visitor's own tick stays: they fix the number, not everything they already did.
    expect((screen.getByRole('checkbox', { name: consent.text }) as HTMLInputElement).checked).toBe(true)
    expect(document.getElementById('lc-chat-phone-error')?.textContent).toBe(refusal)
    expect(phone.getAttribute('aria-invalid')).toBe('true')
    await waitFor(() => expect(document.activeElement).toBe(phone))
    expect(texts().at(-1)).toBe('Leave your phone number and an agent will call you with options.')
    expect(texts()).not.toContain(REALTY_END)
    expect(onLead).not.toHaveBeenCalled()
    // Fixed, it goes out as a new lead, and the conversation ends as it should.
    fetchMock.mockImplementation(async (_url, init) => {
      const { id } = JSON.parse(String(init?.body)) as { id: string }
      return accepted(id, 'Thank you! We will call you shortly.')
    })
    fireEvent.input(phone, { target: { value: '+7 912 345 67 89' } })
    fireEvent.click(screen.getByRole('button', { name: en.send }))
    await waitFor(() => expect(onLead).toHaveBeenCalledTimes(1))
    expect(sentBody(fetchMock, 1).contact).toEqual({ phone: '+7 912 345 67 89', name: 'Anna' })
    expect(sentBody(fetchMock, 1).id).not.toBe(sentBody(fetchMock, 0).id)
    await waitFor(() => expect(texts().slice(-2)).toEqual(['Thank you! We will call you shortly.', en.sent]))
    expect(texts().filter((t) => t === 'Anna, +7 912 345 67 89')).toHaveLength(1)
    expect(texts()).not.toContain('Anna, +7 0000000000')
  })

  it('shows the worker’s off-hours reply instead of the flow’s promise, also after a page load', async () => {
    const closed = 'Thank you! We are closed right now and will get in touch when we open, at 09:00.'
    const fetchMock = vi.fn<Fetch>(async (_url, init) => {
      const { id } = JSON.parse(String(init?.body)) as { id: string }
      return accepted(id, closed)
    })
    const first = renderChat({ fetch: fetchMock })
    for (const reply of HOT_BUYER) tap(reply)
    contact({ phone: '+7 912 345 67 89' })
    await waitFor(() => expect(texts()).toContain(closed))
    expect(texts()).not.toContain(REALTY_END)
    first.unmount()
    const saved = JSON.parse(sessionStorage.getItem('leadcatcher:chat:shop:realty') ?? '{}') as {
      contactStep?: unknown
    }
    // Nothing to go back to once the lead is in: the kept contact step is dropped.
    expect(saved.contactStep).toBeNull()
    renderChat()
    expect(texts().slice(-2)).toEqual([closed, en.sent])
  })

  it('folds a long consent text as the form does, so Send stays in reach', () => {
    const text = `I agree to the processing of my personal data.\n${'Details of the processing. '.repeat(30)}`
    renderChat({ consent: { required: true, text } })
    for (const reply of HOT_BUYER) tap(reply)
    expect(screen.getByRole('checkbox', { name: 'I agree to the processing of my personal data.' })).toBeTruthy()
    const more = screen.getByRole('button', { name: form.consentMore })
    expect(document.getElementById(more.getAttribute('aria-controls') ?? '')?.hidden).toBe(true)
  })

  it('requires the consent box when the site does, and sends the consent text', async () => {
    const consent = { required: true, text: 'I agree to the processing of my data.' }
    const { fetchMock } = renderChat({ consent })
    for (const reply of HOT_BUYER) tap(reply)
    contact({ phone: '+7 912 345 67 89' })
    expect(document.getElementById('lc-chat-consent-error')?.textContent).toBe(form.consentMissing)
    expect(document.activeElement).toBe(screen.getByRole('checkbox', { name: consent.text }))
    expect(fetchMock).not.toHaveBeenCalled()
    fireEvent.click(screen.getByRole('checkbox'))
    fireEvent.click(screen.getByRole('button', { name: en.send }))
    await waitFor(() => expect(fetchMock).toHaveBeenCalledTimes(1))
    expect(sentBody(fetchMock).consent).toEqual({ given: true, text: consent.text })
  })

  it('hands off to the callback form with what the visitor already said, in their words', () => {
    const { onHandoff } = renderChat()
    tap('Buying')
    tap('3')
    tap(en.callMe)
    expect(onHandoff).toHaveBeenCalledTimes(1)
    const prefill = onHandoff.mock.calls[0]?.[0]
    expect(prefill).toMatchObject({
      // The labels the visitor clicked, not the codes ("intent: buy; rooms: 3"); the codes stay in answers.
      message: 'Are you buying or selling? — Buying; How many rooms? — 3',
      answers: { intent: 'buy', rooms: '3' },
    })
    expect(prefill?.transcript.map((t) => t.text).slice(-2)).toEqual(['3', 'New building or resale?'])
    expect(screen.queryByRole('group')).toBeNull()
    expect(screen.queryByRole('button', { name: en.callMe })).toBeNull()
  })

  it('after "call me instead" says where to go, and ends on "sent" once the callback lead is in', () => {
    const listeners = new Set<(lead: { source: 'callback' | 'chat' }) => void>()
    const watchLeads = vi.fn((listener: (lead: { source: 'callback' | 'chat' }) => void) => {
      listeners.add(listener)
      return () => listeners.delete(listener)
    })
    const { onHandoff, unmount } = renderChat({ watchLeads })
    tap('Buying')
    tap(en.callMe)
    expect(texts().at(-1)).toBe(en.handoff)
    // Closed the form without sending: the chat offers it again instead of a dead end.
    tap(en.openForm)
    expect(onHandoff).toHaveBeenCalledTimes(2)
    act(() => {
      for (const listener of [...listeners]) listener({ source: 'callback' })
    })
    expect(texts().at(-1)).toBe(en.sent)
    expect(screen.queryByRole('button', { name: en.openForm })).toBeNull()
    expect(listeners.size).toBe(0)
    unmount()
    renderChat({ watchLeads })
    expect(texts().at(-1)).toBe(en.sent)
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

  it('says "saved" with no retry when the widget’s outbox keeps the lead it could not send', async () => {
    const send = vi.fn(async () => ({ kind: 'failed' as const, status: 0 }))
    const { onLead } = renderChat({ send, queues: true })
    for (const reply of HOT_BUYER) tap(reply)
    contact({ phone: '+7 912 345 67 89' })
    await waitFor(() => expect(texts().at(-1)).toBe(en.queued))
    expect(screen.queryByRole('button', { name: en.retry })).toBeNull()
    expect(send).toHaveBeenCalledTimes(1)
    expect(onLead).not.toHaveBeenCalled()
  })

  it('offers a retry after "too many requests", with the worker’s words, and resends the same id', async () => {
    let calls = 0
    const fetchMock = vi.fn<Fetch>(async (_url, init) => {
      calls++
      if (calls === 1) return jsonResponse(429, { error: { code: 'rate_limited', message: 'Too many requests. Please try again in a minute.' } })
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
    renderChat({ flow, locale: 'ru', form: STRINGS.ru })
    expect(texts()).toEqual(['<img src=x onerror="alert(1)"> Вопрос?'])
    expect(screen.getByRole('button', { name: '<b>A</b>' })).toBeTruthy()
    expect(document.querySelector('img, b')).toBeNull()
    expect(screen.getByRole('button', { name: CHAT_STRINGS.ru.callMe })).toBeTruthy()
  })
})
