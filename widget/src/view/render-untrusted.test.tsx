// Fuzz: hostile text from the site's config, the worker's reply and the visitor is rendered as text,
// never as markup, by every component that shows it (chat bubbles and buttons, dialog title,
// consent, exit offer, reply). Preact escapes today; this fails the day someone reaches for
// innerHTML, a markdown renderer or dangerouslySetInnerHTML.
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact'
import * as fc from 'fast-check'
import { createRef } from 'preact'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { Flow } from '../../../shared/flow/schema'
import { fuzzSeed } from '../../../shared/testing/fuzz-seed'
import { MARKER, hostileText } from '../../../shared/testing/hostile-text'
import type { SendLeadResult } from '../core/api'
import { Consent, firstLine } from '../callback-form/consent'
import { ChatView } from '../chat/chat-view'
import { Dialog } from './dialog'
import { ExitOffer } from '../exit-intent/exit-offer'
import { STRINGS } from './i18n'
import { ENDPOINT, acceptedBody, acceptingFetch } from '../testing'

/** jsdom renders are slow next to pure functions: a few hundred cases per component. */
const RUNS = Number(process.env.RENDER_FUZZ_RUNS ?? 300)
/** Hundreds of renders take seconds, more on a busy machine: a fuzzer's time, not a hang. */
const FUZZ_TIMEOUT_MS = 60_000

// The run's seed (vitest.config.ts picks and prints it): a failure replays with FUZZ_SEED=<n>.
fc.configureGlobal({ seed: fuzzSeed() })
const en = STRINGS.en

/** Elements the widget never renders; seeing one means input became markup. */
const FOREIGN = 'script, img, iframe, svg, math, style, object, embed, link, meta, base, b, i, u, s, a, code, pre, hr, table, tg-spoiler, blockquote'

/**
 * Nothing in `root` came from input: no foreign element, no marker element or attribute, no inline
 * event handler attribute.
 */
function expectNoMarkupFromInput(root: ParentNode) {
  expect(root.querySelector(FOREIGN)?.outerHTML ?? null).toBeNull()
  for (const element of root.querySelectorAll('*')) {
    expect(element.localName.startsWith(MARKER), element.localName).toBe(false)
    for (const attribute of element.getAttributeNames()) {
      expect(attribute.startsWith(MARKER) || attribute.startsWith('on'), attribute).toBe(false)
    }
  }
}

/** Keyboards type well-formed text: lone surrogates become U+FFFD (`toWellFormed` is past our lib). */
const wellFormed = (text: string) => text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD')

/** A one-line input drops line breaks from its value (HTML value sanitization of `type=text`). */
const typedValue = (text: string) => text.replace(/[\r\n]/g, '')

afterEach(() => {
  cleanup()
  sessionStorage.clear()
})

describe('hostile text in the chat', () => {
  const texts = () => Array.from(document.querySelectorAll('[role=log] .msg')).map((m) => m.textContent)

  it(
    'shows flow texts, button labels and the visitor’s own words as text',
    () => {
      const text = hostileText({ minLength: 1, maxLength: 400 })
      // The engine trims a typed answer and refuses a blank one; the rest of it must show unchanged.
      const typed = hostileText({ minLength: 1, maxLength: 400 })
        .map(wellFormed)
        .filter((t) => typedValue(t).trim().length > 0)
      fc.assert(
        fc.property(fc.tuple(text, text, text, text, text, text, text), typed, ([greet, ask, placeholder, choose, first, second, bye], said) => {
          const flow: Flow = {
            id: 'fuzz',
            start: 'hello',
            nodes: [
              { id: 'hello', type: 'message', text: greet, next: 'free' },
              { id: 'free', type: 'ask', text: ask, input: 'text', placeholder, next: 'pick' },
              {
                id: 'pick',
                type: 'ask',
                text: choose,
                input: 'buttons',
                options: [
                  { value: 'a', label: first },
                  { value: 'b', label: second },
                ],
                next: 'bye',
              },
              { id: 'bye', type: 'end', text: bye },
            ],
          }
          const view = render(
            <ChatView
              flow={flow}
              locale="en"
              form={STRINGS.en}
              site="shop"
              endpoint={ENDPOINT}
              country="RU"
              fetch={acceptingFetch()}
              typingMs={0}
              onHandoff={vi.fn()}
              onLead={vi.fn()}
            />,
          )
          try {
            expect(texts()).toEqual([greet, ask])
            const input = screen.getByRole('textbox')
            expect(input.getAttribute('placeholder')).toBe(placeholder)
            fireEvent.input(input, { target: { value: said } })
            expect((input as HTMLInputElement).value).toBe(typedValue(said))
            fireEvent.submit(input.closest('form')!)
            expect(texts()).toEqual([greet, ask, typedValue(said).trim(), choose])
            const buttons = Array.from(view.container.querySelectorAll('[role=group] button'))
            expect(buttons.map((b) => b.textContent)).toEqual([first, second])
            expectNoMarkupFromInput(view.container)
            fireEvent.click(buttons[0]!)
            // The end text waits for the worker's answer (its reply takes the end text's place).
            expect(texts()).toEqual([greet, ask, typedValue(said).trim(), choose, first])
            expectNoMarkupFromInput(view.container)
          } finally {
            cleanup()
            sessionStorage.clear()
          }
        }),
        { numRuns: RUNS },
      )
    },
    FUZZ_TIMEOUT_MS,
  )
})

describe('hostile text in the site config', () => {
  it(
    'shows a dialog title and a consent text (short or long, folded) as text',
    () => {
      fc.assert(
        fc.property(hostileText({ minLength: 1, maxLength: 120 }), hostileText({ minLength: 1, maxLength: 600 }), (title, consent) => {
          const view = render(
            <Dialog open title={title} closeLabel={en.close} onClose={vi.fn()} returnFocus={createRef()}>
              <Consent text={consent} strings={en} invalid={{}} />
            </Dialog>,
          )
          try {
            expect(view.container.querySelector('#lc-dialog-title')?.textContent).toBe(title)
            expect(view.container.querySelector('label[for=lc-consent]')?.textContent).toBe(firstLine(consent))
            const full = view.container.querySelector('#lc-consent-full')
            expect(full?.textContent ?? consent).toBe(consent)
            expectNoMarkupFromInput(view.container)
          } finally {
            cleanup()
          }
        }),
        { numRuns: RUNS },
      )
    },
    FUZZ_TIMEOUT_MS,
  )

  it(
    'shows the exit offer’s text and button, and the worker’s reply after sending, as text',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.record({
            title: hostileText({ minLength: 1, maxLength: 100 }),
            text: hostileText({ minLength: 1, maxLength: 400 }),
            button: hostileText({ minLength: 1, maxLength: 60 }),
          }),
          hostileText({ minLength: 1, maxLength: 600 }),
          async (offer, reply) => {
            const send = vi.fn(async (): Promise<SendLeadResult> => ({ kind: 'accepted', status: 201, body: acceptedBody('x', reply) }))
            const view = render(<ExitOffer site="shop" strings={en} offer={offer} consent={null} send={send} onAccepted={vi.fn()} onDismiss={vi.fn()} context={() => ({})} />)
            try {
              expect(view.container.querySelector('.note')?.textContent).toBe(offer.text)
              expect(view.container.querySelector('button.submit')?.textContent).toBe(offer.button)
              expectNoMarkupFromInput(view.container)
              fireEvent.input(screen.getByLabelText(en.contact), { target: { value: '8 912 345-67-89' } })
              await act(async () => {
                fireEvent.submit(view.container.querySelector('form')!)
              })
              await waitFor(() => expect(send).toHaveBeenCalledTimes(1))
              await waitFor(() => expect(view.container.querySelector('.live')?.textContent).toBe(reply))
              expectNoMarkupFromInput(view.container)
            } finally {
              cleanup()
            }
          },
        ),
        { numRuns: Math.max(100, Math.floor(RUNS / 2)) },
      )
    },
    FUZZ_TIMEOUT_MS,
  )
})
