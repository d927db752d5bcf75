// The live preview panel: the sandboxed frame, the draft sent to it when it is ready and again,
// debounced, as the form changes (the last valid draft kept while the form does not pass), the
// language, size and open controls, and the widget's lead sent as a test lead with the answer
// handed back; messages from anything but the frame are ignored.
import { act, cleanup, fireEvent, screen, waitFor } from '@testing-library/preact'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createApiClient } from '../api'
import { formFromConfig } from '../settings/settings-form'
import type { FormState } from '../settings/settings-form'
import { LanguageContext, STRINGS } from '../i18n'
import { fakeFetch, jsonResponse, renderIn, requests } from '../testing'
import { LivePreview } from './index'
import { LivePreviewPanel, PREVIEW_DEBOUNCE_MS } from './live-preview'
import type { ToFrame } from './protocol'

const STORED = {
  origins: ['https://shop.example'],
  locale: 'ru',
  consent: { required: true, text: 'Согласен на звонок.' },
  reply: { text: 'Спасибо! Перезвоним.' },
  brand: { launcher: { text: 'Позвоните мне' } },
  exitIntent: { enabled: true, offer: { title: 'Подождите', text: 'Скидка', button: 'Хочу' } },
  targets: [{ type: 'webhook', url: 'https://crm.example/hook', secret: '•••abcd' }],
}

const LEAD = {
  id: '00000000-0000-4000-8000-000000000001',
  site: 'shop',
  source: 'callback',
  contact: { phone: '+79123456789' },
  consent: { given: true, text: 'Согласен на звонок.' },
}

let sent: ToFrame[]

function client() {
  const fetch = fakeFetch({
    'POST /v1/admin/sites/shop/test-leads': () =>
      jsonResponse(201, { leadId: LEAD.id, deliveries: [{ targetId: 'webhook', type: 'webhook', status: 'delivered', excerpt: 'ok', durationMs: 12 }] }),
    'GET /v1/sites/shop/phone-metadata': () => jsonResponse(200, { countries: {} }),
  })
  return { fetch, api: createApiClient({ fetch }) }
}

function frame(): HTMLIFrameElement {
  return screen.getByTitle('Widget preview') as HTMLIFrameElement
}

/** A message as the sandboxed frame sends it: from its window, with the opaque origin "null". */
function fromFrame(data: unknown, { source = frame().contentWindow, origin = 'null' }: { source?: MessageEventSource | null; origin?: string } = {}) {
  act(() => {
    window.dispatchEvent(new MessageEvent('message', { data, source, origin }))
  })
}

function show(form: FormState = formFromConfig(STORED), api = client().api) {
  const view = renderIn('en', <LivePreviewPanel api={api} site="shop" stored={STORED} form={form} />)
  vi.spyOn(frame().contentWindow as Window, 'postMessage').mockImplementation((message: unknown) => {
    sent.push(message as ToFrame)
  })
  return view
}

/** The panel as a re-render gets it: inside the same language provider renderIn puts it in. */
const again = (form: FormState) => (
  <LanguageContext.Provider value={{ locale: 'en', t: STRINGS.en }}>
    <LivePreviewPanel api={client().api} site="shop" stored={STORED} form={form} />
  </LanguageContext.Provider>
)

const shows = () => sent.filter((m): m is Extract<ToFrame, { type: 'lc-preview:show' }> => m.type === 'lc-preview:show')

beforeEach(() => {
  sent = []
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'], shouldAdvanceTime: true })
})

afterEach(() => {
  cleanup()
  vi.useRealTimers()
  vi.restoreAllMocks()
})

describe('the live preview', () => {
  it('frames preview.html sandboxed, scripts and forms allowed but never its own origin', () => {
    show()
    expect(frame().getAttribute('sandbox')).toBe('allow-scripts allow-forms')
    expect(frame().getAttribute('src')).toBe(`${import.meta.env.BASE_URL}preview.html`)
  })

  it('sends the draft as the public config once the frame is ready, and a change after the pause', async () => {
    const form = formFromConfig(STORED)
    const view = show(form)
    fromFrame({ type: 'lc-preview:ready' })
    expect(shows()).toHaveLength(1)
    expect(shows()[0]).toMatchObject({ site: 'shop', locale: 'ru', open: null, config: { site: 'shop', brand: { launcherText: 'Позвоните мне' } } })
    expect(JSON.stringify(shows()[0])).not.toContain('crm.example')

    view.rerender(again({ ...form, 'brand.launcher.text': 'Жду звонка' }))
    act(() => void vi.advanceTimersByTime(PREVIEW_DEBOUNCE_MS - 1))
    expect(shows()).toHaveLength(1)
    act(() => void vi.advanceTimersByTime(1))
    await waitFor(() => expect(shows()).toHaveLength(2))
    expect(shows()[1]?.config).toMatchObject({ brand: { launcherText: 'Жду звонка' } })
  })

  it('leaves the frame alone when a new draft shows the same, and shows it again when the frame reloads', async () => {
    const form = formFromConfig(STORED)
    const view = show(form)
    fromFrame({ type: 'lc-preview:ready' })
    expect(shows()).toHaveLength(1)
    // The same values in a new form object (a re-render, a refetch), and a field the widget never
    // sees: someone typing into the preview's form would lose it to a remount.
    view.rerender(again({ ...form }))
    act(() => void vi.advanceTimersByTime(PREVIEW_DEBOUNCE_MS))
    view.rerender(again({ ...form, 'dedupe.windowDays': '14' }))
    act(() => void vi.advanceTimersByTime(PREVIEW_DEBOUNCE_MS))
    await Promise.resolve()
    expect(shows()).toHaveLength(1)
    // A reloaded frame has no widget: it gets the draft again.
    fromFrame({ type: 'lc-preview:ready' })
    expect(shows()).toHaveLength(2)
  })

  it('keeps the last valid draft while the form does not pass, and says which field', async () => {
    const form = formFromConfig(STORED)
    const view = show(form)
    fromFrame({ type: 'lc-preview:ready' })
    view.rerender(again({ ...form, 'brand.accent': 'blue' }))
    act(() => void vi.advanceTimersByTime(PREVIEW_DEBOUNCE_MS))
    expect(await screen.findByText('The preview shows the last valid draft: fix brand.accent.')).toBeTruthy()
    expect(shows()).toHaveLength(1)
  })

  it('switches the language and the size, and opens a part through the frame', () => {
    show()
    fromFrame({ type: 'lc-preview:ready' })
    fireEvent.click(screen.getByRole('button', { name: 'English' }))
    expect(shows().at(-1)).toMatchObject({ locale: 'en' })
    fireEvent.click(screen.getByRole('button', { name: 'Phone (360 px)' }))
    expect(frame().getAttribute('width')).toBe('360')
    expect(screen.getByRole('button', { name: 'Phone (360 px)' }).getAttribute('aria-pressed')).toBe('true')
    fireEvent.click(screen.getByRole('button', { name: 'Exit offer' }))
    expect(sent.at(-1)).toEqual({ type: 'lc-preview:open', part: 'exit' })
  })

  it('disables what the draft does not have, and says why', () => {
    show()
    fromFrame({ type: 'lc-preview:ready' })
    const chat = screen.getByRole('button', { name: 'Chat' }) as HTMLButtonElement
    expect(chat.disabled).toBe(true)
    expect(document.getElementById(chat.getAttribute('aria-describedby') ?? '')?.textContent).toBe('Chat: The site has no chatbot flow.')
    expect((screen.getByRole('button', { name: 'Callback form' }) as HTMLButtonElement).disabled).toBe(false)
  })

  it('sends the widget’s lead as a test lead and answers the widget with the draft’s reply', async () => {
    const { api, fetch } = client()
    show(formFromConfig(STORED), api)
    fromFrame({ type: 'lc-preview:ready' })
    fromFrame({ type: 'lc-preview:lead', id: 7, lead: LEAD })
    await waitFor(() => expect(sent.some((m) => m.type === 'lc-preview:answer')).toBe(true))
    const call = requests(fetch).find((r) => r.url.endsWith('/test-leads'))
    expect(call).toMatchObject({ method: 'POST', url: '/v1/admin/sites/shop/test-leads', body: { lead: LEAD } })
    expect(sent.find((m) => m.type === 'lc-preview:answer')).toEqual({
      type: 'lc-preview:answer',
      id: 7,
      status: 201,
      body: { id: LEAD.id, status: 'accepted', duplicate: false, reply: { text: 'Спасибо! Перезвоним.' }, score: 0, temperature: 'cold' },
    })
    expect(screen.getByRole('status').textContent).toContain(`Test lead ${LEAD.id} stored. Delivery attempts: 1.`)
  })

  it('hands a refusal back to the widget as the API gave it', async () => {
    const issues = [{ path: 'contact.phone', message: 'is not a phone number' }]
    const fetch = fakeFetch({
      'POST /v1/admin/sites/shop/test-leads': () => jsonResponse(400, { error: { code: 'validation_failed', message: 'The test lead request is not valid.', issues } }),
    })
    show(formFromConfig(STORED), createApiClient({ fetch }))
    fromFrame({ type: 'lc-preview:ready' })
    fromFrame({ type: 'lc-preview:lead', id: 3, lead: LEAD })
    await waitFor(() => expect(sent.some((m) => m.type === 'lc-preview:answer')).toBe(true))
    expect(sent.find((m) => m.type === 'lc-preview:answer')).toEqual({
      type: 'lc-preview:answer',
      id: 3,
      status: 400,
      body: { error: { code: 'validation_failed', message: 'The test lead request is not valid.', issues } },
    })
  })

  it('ignores leads from another window or with another origin than the sandbox’s', async () => {
    const { api, fetch } = client()
    show(formFromConfig(STORED), api)
    fromFrame({ type: 'lc-preview:ready' })
    fromFrame({ type: 'lc-preview:lead', id: 1, lead: LEAD }, { source: window })
    fromFrame({ type: 'lc-preview:lead', id: 2, lead: LEAD }, { origin: location.origin })
    fromFrame({ type: 'lc-preview:lead', id: 'x', lead: LEAD })
    await act(async () => {
      await vi.advanceTimersByTimeAsync(10)
    })
    expect(fetch).not.toHaveBeenCalled()
  })

  it('is loaded as a chunk of its own behind a placeholder that names it', async () => {
    renderIn('en', <LivePreview api={client().api} site="shop" stored={STORED} form={formFromConfig(STORED)} />)
    expect(screen.getByRole('heading', { level: 2, name: 'Live preview' })).toBeTruthy()
    expect(await screen.findByTitle('Widget preview')).toBeTruthy()
  })
})
