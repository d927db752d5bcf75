// Tests for the chat slot entry: what the widget calls after `import('./chat')`.
import { fireEvent, waitFor } from '@testing-library/preact'
import { act } from 'preact/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { DEMO_JSON } from '../../../shared/flow/testing'
import type { LeadInput } from '../../../shared/schemas/lead'
import type { SendLeadResult } from '../core/api'
import { STRINGS } from '../view/i18n'
import { siteConfig } from '../testing'
import { mountChat } from './index'
import type { MountChatOptions } from './index'

function setup(overrides: Partial<MountChatOptions> = {}) {
  const host = document.createElement('div')
  const shadow = host.attachShadow({ mode: 'open' })
  const root = document.createElement('div')
  shadow.append(root)
  document.body.append(host)
  const send = vi.fn(
    async (lead: LeadInput): Promise<SendLeadResult> => ({
      kind: 'accepted',
      status: 201,
      body: {
        id: lead.id,
        status: 'accepted',
        duplicate: false,
        reply: { text: 'ok' },
        score: 90,
        temperature: 'hot',
      },
    }),
  )
  const options: MountChatOptions = {
    root,
    site: 'shop',
    endpoint: 'https://leads.example',
    locale: 'en',
    strings: STRINGS.en,
    config: siteConfig(),
    flow: DEMO_JSON.realty,
    typingMs: 0,
    send,
    onLead: vi.fn(),
    close: vi.fn(),
    ...overrides,
  }
  let unmount = () => {}
  act(() => {
    unmount = mountChat(options)
  })
  return { host, shadow, root, options, send, unmount }
}

afterEach(() => {
  document.body.replaceChildren()
  sessionStorage.clear()
})

describe('mountChat', () => {
  it('renders the flow into the slot, adds the chat CSS once and unmounts cleanly', () => {
    const { shadow, root, unmount } = setup()
    expect(root.querySelector('[role=log]')?.textContent).toContain('Are you buying or selling?')
    const sheets = shadow.adoptedStyleSheets?.length ?? shadow.querySelectorAll('style').length
    expect(sheets).toBe(1)
    act(() => unmount())
    expect(root.childNodes).toHaveLength(0)
  })

  it('refuses an invalid flow so the widget can fall back to the callback form', () => {
    expect(() => setup({ flow: { id: 'x', start: 'a', nodes: [] } })).toThrow(/invalid chat flow/)
  })

  it('sends through the widget’s send and closes on "call me instead" without a handoff handler', async () => {
    const { root, send, options } = setup()
    const click = (name: string) =>
      act(() => {
        const button = Array.from(root.querySelectorAll('button')).find((b) => b.textContent === name)
        fireEvent.click(button!)
      })
    click('Call me instead')
    expect(options.close).toHaveBeenCalledTimes(1)
    click('Start over')
    for (const reply of ['Selling', 'A flat', 'Later']) click(reply)
    const phone = root.querySelector<HTMLInputElement>('input[type=tel]')!
    act(() => {
      fireEvent.input(phone, { target: { value: '+7 912 345 67 89' } })
      fireEvent.submit(phone.closest('form')!)
    })
    await waitFor(() => expect(options.onLead).toHaveBeenCalledTimes(1))
    expect(send.mock.calls[0]?.[0]).toMatchObject({
      source: 'chat',
      answers: { intent: 'sell', timing: 'later' },
    })
  })
})
