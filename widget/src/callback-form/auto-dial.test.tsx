// The callback form with auto-dial: when the 201 says a call is coming, the countdown follows it
// through GET /v1/leads/:id/status; without it the widget asks nothing and behaves as before.
import { act, cleanup, fireEvent, render, screen } from '@testing-library/preact'
import { useState } from 'preact/hooks'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { sendLead } from '../core/api'
import type { Fetch } from '../core/api'
import { App } from '../view/app'
import type { Panel } from '../core/panels'
import { STRINGS } from '../view/i18n'
import { ENDPOINT, acceptedBody, jsonResponse, siteConfig } from '../testing'
import { followCall } from './follow-call'

const en = STRINGS.en

function renderWidget(fetchMock: Fetch) {
  let close = () => {}
  function Harness() {
    const [panel, setPanel] = useState<Panel | null>('callback')
    close = () => setPanel(null)
    return (
      <App
        site="shop"
        locale="en"
        strings={en}
        config={siteConfig()}
        panel={panel}
        onOpen={setPanel}
        onClose={() => setPanel(null)}
        send={(lead) => sendLead(ENDPOINT, lead, fetchMock)}
        followCall={(leadId) => (show) => followCall({ endpoint: ENDPOINT, leadId, locale: 'en', fetch: fetchMock, since: Date.now(), show })}
        onLead={() => {}}
      />
    )
  }
  render(<Harness />)
  return { close: () => act(() => close()) }
}

/** The API: the lead accepted (with `call` when auto-dial is on), then the call's states in turn. */
function api(call: 'ringing_manager' | undefined, states: string[]) {
  const statusAsked: string[] = []
  const fetchMock = vi.fn<Fetch>(async (url, init) => {
    if (String(url).endsWith('/v1/leads')) {
      const { id } = JSON.parse(String(init?.body)) as { id: string }
      return jsonResponse(201, { ...acceptedBody(id), ...(call && { call }) })
    }
    statusAsked.push(String(url))
    return jsonResponse(200, { call: states[Math.min(statusAsked.length - 1, states.length - 1)] })
  })
  return { fetchMock, statusAsked }
}

async function send() {
  fireEvent.input(screen.getByLabelText(en.phone), { target: { value: '+7 912 345-67-89' } })
  await act(async () => {
    fireEvent.click(screen.getByRole('button', { name: en.submit }))
    await vi.advanceTimersByTimeAsync(0)
  })
}

afterEach(() => {
  cleanup()
  vi.useRealTimers()
})

describe('auto-dial in the callback form', () => {
  it('follows the real call after sending: calling you, then connected', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: false })
    const { fetchMock, statusAsked } = api('ringing_manager', ['ringing_manager', 'calling_you', 'connected'])
    renderWidget(fetchMock)
    await send()
    for (let i = 0; i < 6; i++) {
      await act(async () => {
        await vi.advanceTimersByTimeAsync(1000)
      })
    }
    expect(statusAsked[0]).toMatch(/^https:\/\/leads\.example\/v1\/leads\/[0-9a-f-]{36}\/status$/)
    expect(screen.getByText('You are connected to a manager.')).toBeTruthy()
    expect(statusAsked).toHaveLength(3)
  })

  it('stops asking when the dialog closes', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: false })
    const { fetchMock, statusAsked } = api('ringing_manager', ['ringing_manager'])
    const widget = renderWidget(fetchMock)
    await send()
    await act(async () => {
      await vi.advanceTimersByTimeAsync(1000)
    })
    expect(statusAsked).toHaveLength(1)
    widget.close()
    await act(async () => {
      await vi.advanceTimersByTimeAsync(60_000)
    })
    expect(statusAsked).toHaveLength(1)
  })

  it('asks nothing without auto-dial', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: false })
    const { fetchMock, statusAsked } = api(undefined, ['connected'])
    renderWidget(fetchMock)
    await send()
    await act(async () => {
      await vi.advanceTimersByTimeAsync(60_000)
    })
    expect(statusAsked).toHaveLength(0)
    expect(screen.queryByText('You are connected to a manager.')).toBeNull()
  })
})
