// The Chatbot page: the stored flow in the editor; the checker's problems by node, a click selecting
// the node's JSON and marking it in the steps; a JSON mistake by line and column; Save disabled
// while there are problems; templates, with a confirm before unsaved work is replaced; a save as a
// merge patch that replaces the flow whole; the server's refusal shown; a site token's read-only view.
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { DEMO_JSON } from '../../../../shared/flow/testing'
import { createApiClient } from '../api'
import { navigate, useRoute } from '../router'
import { fakeFetch, jsonResponse, renderIn, requests } from '../testing'
import { ChatbotPage } from './chatbot-page'
import { flowText } from './flow-draft'

type Json = Record<string, unknown>

const realty = DEMO_JSON.realty as Json & { nodes: Json[] }

function client(
  flow: unknown,
  patch: (init: RequestInit) => Response = (init) => jsonResponse(200, { site: 'shop', config: { chat: JSON.parse(String(init.body)).chat } }),
  extra: Json = {},
) {
  const config = { origins: ['https://shop.example'], locale: 'en', targets: [], ...(flow !== null && { chat: { flow } }), ...extra }
  const fetch = fakeFetch({
    'GET /v1/admin/sites/shop': () => jsonResponse(200, { site: 'shop', config }),
    'PATCH /v1/admin/sites/shop': (_url, init) => patch(init),
  })
  return { fetch, api: createApiClient({ fetch }) }
}

const editor = () => screen.getByRole('textbox', { name: 'Flow JSON' }) as HTMLTextAreaElement
const type = (text: string) => fireEvent.input(editor(), { target: { value: text } })
const selected = () => editor().value.slice(editor().selectionStart, editor().selectionEnd)
const saveButton = () => screen.getByRole('button', { name: 'Save' }) as HTMLButtonElement

afterEach(() => {
  cleanup()
  vi.restoreAllMocks()
})

describe('the chatbot page', () => {
  it('shows the stored flow, no problems, its steps and a simulator', async () => {
    render(<ChatbotPage api={client(realty).api} site="shop" canEdit />)
    await waitFor(() => expect(editor().value).toBe(flowText(realty)))
    expect(screen.getByText('No problems found.')).toBeTruthy()
    const steps = screen.getByRole('region', { name: 'Steps' })
    expect(steps.querySelectorAll('.step')).toHaveLength(realty.nodes.length)
    // A step's link goes to the step it leads to: marked, and the keyboard goes on from there.
    const intent = document.getElementById('step-intent')!
    expect(intent.textContent).toContain('button Selling → property')
    fireEvent.click(within(intent).getByRole('link', { name: 'property' }))
    expect(document.getElementById('step-property')!.className).toBe('step marked')
    expect(document.activeElement).toBe(within(steps).getByRole('button', { name: 'Show "property" in the editor' }))
    expect(screen.getByRole('heading', { name: 'Simulator' })).toBeTruthy()
    expect(saveButton().disabled).toBe(true)
  })

  it('lists the checker’s problems by node; a click selects the node’s JSON and marks its step; Save stays disabled', async () => {
    render(<ChatbotPage api={client(realty).api} site="shop" canEdit />)
    await waitFor(() => expect(editor().value).not.toBe(''))
    const broken = { ...realty, nodes: realty.nodes.map((node) => (node.id === 'intent' ? { ...node, next: 'nowhere' } : node)) }
    const target = realty.nodes.find((node) => node.id === 'intent')!
    // The demo's `intent` node is a buttons question whose options all lead on, so its next is spare: make it one no option takes.
    expect(target.type).toBe('ask')
    type(flowText(broken))
    const problems = screen.getByRole('region', { name: 'Problems' })
    expect(within(problems).getByRole('heading', { name: 'Node "intent"' })).toBeTruthy()
    const problem = within(problems).getByRole('button', { name: /node "intent": goes to "nowhere"/ })
    expect(problem.textContent).toBe('No such node: node "intent": goes to "nowhere", which does not exist')
    expect(saveButton().disabled).toBe(true)
    expect(screen.getByText('Fix the problems before saving.')).toBeTruthy()
    expect(screen.getByText('The simulator plays a flow without problems; fix the ones listed first.')).toBeTruthy()

    fireEvent.click(problem)
    expect(JSON.parse(selected())).toMatchObject({ id: 'intent', next: 'nowhere' })
    expect(document.activeElement).toBe(editor())
    const step = document.getElementById('step-intent')!
    expect(step.className).toBe('step marked')
    expect(step.getAttribute('aria-current')).toBe('true')
  })

  it('says it in Russian in a Russian console, the checker’s own message kept beside', async () => {
    renderIn('ru', <ChatbotPage api={client(realty).api} site="shop" canEdit />)
    const area = (await screen.findByRole('textbox', { name: 'JSON сценария' })) as HTMLTextAreaElement
    await waitFor(() => expect(area.value).not.toBe(''))
    fireEvent.input(area, { target: { value: flowText({ ...realty, nodes: realty.nodes.map((node) => (node.id === 'intent' ? { ...node, next: 'nowhere' } : node)) }) } })
    const problems = screen.getByRole('region', { name: 'Проблемы' })
    expect(within(problems).getByRole('status').textContent).toBe('1 проблема: сценарий нельзя сохранить, пока она не исправлена.')
    expect(within(problems).getByRole('heading', { name: 'Узел «intent»' })).toBeTruthy()
    const problem = within(problems).getByRole('button', { name: /^Нет такого узла:/ })
    expect(problem.querySelector('[lang="en"]')?.textContent).toBe('node "intent": goes to "nowhere", which does not exist')
    expect((screen.getByRole('button', { name: 'Сохранить' }) as HTMLButtonElement).disabled).toBe(true)
  })

  it('selects the very value a schema problem names', async () => {
    render(<ChatbotPage api={client(realty).api} site="shop" canEdit />)
    await waitFor(() => expect(editor().value).not.toBe(''))
    type(flowText({ ...realty, nodes: realty.nodes.map((node) => (node.id === 'rooms' ? { ...node, input: 'txt' } : node)) }))
    const problem = screen.getByRole('button', { name: /node "rooms" \(nodes\.\d+\.input\)/ })
    // The server's own words for it (shared/valibot-issues.ts), not valibot's defaults.
    expect(problem.textContent).toMatch(/^Not in the flow format: node "rooms" \(nodes\.\d+\.input\): unknown value "txt"; use buttons, multi, text, number$/)
    fireEvent.click(problem)
    expect(selected()).toBe('"txt"')
    expect(document.getElementById('step-rooms')!.className).toBe('step marked')
  })

  it('gives the line and column of a JSON mistake and goes there', async () => {
    render(<ChatbotPage api={client(null).api} site="shop" canEdit />)
    await screen.findByText('This site has no chatbot yet. Start from a template, or write a flow.')
    type('{\n  "id": "x",\n  "start": "a",\n}')
    const alert = screen.getByRole('alert')
    expect(alert.textContent).toContain('Line 4, column 1 — a comma before a closing bracket')
    fireEvent.click(within(alert).getByRole('button', { name: 'Go to the mistake' }))
    expect(editor().selectionStart).toBe(editor().value.lastIndexOf('}'))
    expect(saveButton().disabled).toBe(true)
  })

  it('starts from a template, asks before replacing unsaved work, and saves it as a merge patch that replaces the flow', async () => {
    const { api, fetch } = client(realty)
    const confirm = vi.spyOn(window, 'confirm').mockReturnValue(false)
    render(<ChatbotPage api={api} site="shop" canEdit />)
    await waitFor(() => expect(editor().value).not.toBe(''))
    // Nothing changed yet: the template replaces the stored flow without asking.
    fireEvent.click(screen.getByRole('button', { name: 'Use “Travel agency”' }))
    expect(confirm).not.toHaveBeenCalled()
    expect(JSON.parse(editor().value)).toMatchObject({ id: 'travel' })
    expect(JSON.parse(editor().value).$schema).toBeUndefined()
    // Now there is unsaved work: "stay" keeps it.
    fireEvent.click(screen.getByRole('button', { name: 'Use “English school”' }))
    expect(confirm).toHaveBeenCalledWith('Replace the flow in the editor with this template? Your unsaved changes will be lost.')
    expect(JSON.parse(editor().value)).toMatchObject({ id: 'travel' })

    fireEvent.click(saveButton())
    await screen.findByText('Saved.')
    const sent = requests(fetch).find((r) => r.method === 'PATCH')!
    expect(sent.headers['Content-Type']).toBe('application/merge-patch+json')
    const patch = sent.body as { chat: { flow: Json } }
    // The travel flow has no FAQ: the realty flow's must go, not be merged into it.
    expect(patch.chat.flow).toMatchObject({ id: 'travel', faq: null, synonyms: null })
    expect(patch.chat.flow.nodes).toEqual((DEMO_JSON.travel as Json).nodes)
    expect(saveButton().disabled).toBe(true)
  })

  it('shows the server’s refusal, each flow issue leading to its node', async () => {
    const refusal = () =>
      jsonResponse(400, {
        error: {
          code: 'validation_failed',
          message: 'The site configuration is not valid.',
          issues: [{ path: 'chat.flow.nodes[budget]', code: 'unknown_node', message: 'node "budget": goes to "x"' }],
        },
      })
    render(<ChatbotPage api={client(realty, refusal).api} site="shop" canEdit />)
    await waitFor(() => expect(editor().value).not.toBe(''))
    type(flowText({ ...realty, title: 'Changed' }))
    fireEvent.click(saveButton())
    const alert = await screen.findByRole('alert')
    expect(alert.textContent).toContain('The server refused the flow; nothing was saved.')
    fireEvent.click(within(alert).getByRole('button', { name: /chat\.flow\.nodes\[budget\]/ }))
    expect(JSON.parse(selected())).toMatchObject({ id: 'budget' })
    expect(screen.getByText('You have unsaved changes.')).toBeTruthy()
  })

  it('simulates with the site’s own scoring rules', async () => {
    const scoring = { base: 0, source: { chat: 0 }, name: 0, phone: 0, email: 0, answers: [] }
    render(<ChatbotPage api={client(DEMO_JSON.travel, undefined, { scoring }).api} site="shop" canEdit />)
    await waitFor(() => expect(editor().value).not.toBe(''))
    for (const [label, value] of [
      [/Where would you like to go/, 'Turkey'],
      [/When\? Dates/, 'July'],
      [/How many travellers/, '2'],
      [/Budget per person/, '500000'],
    ] as const) {
      fireEvent.input(screen.getByRole('textbox', { name: label }), { target: { value } })
      fireEvent.click(screen.getByRole('button', { name: 'Send' }))
    }
    fireEvent.input(screen.getByLabelText('Email'), { target: { value: 'anna@example.com' } })
    fireEvent.click(screen.getByRole('button', { name: 'Send' }))
    // Only the flow's premium budget (+15) scores: the site zeroed every other rule.
    const result = screen.getByRole('region', { name: 'Result' })
    expect(result.querySelector('.sim-score')?.textContent).toBe('15')
    expect(within(result).getByText('Cold')).toBeTruthy()
    expect(result.querySelector('.sim-vars')?.textContent).toBe('route = "senior"')
  })

  it('lets a site token read and play the flow, but not change it', async () => {
    render(<ChatbotPage api={client(realty).api} site="shop" canEdit={false} />)
    await waitFor(() => expect(editor().value).not.toBe(''))
    expect(editor().readOnly).toBe(true)
    expect(screen.queryByRole('button', { name: 'Save' })).toBeNull()
    expect(screen.queryByRole('button', { name: /^Use / })).toBeNull()
    expect(screen.getByText('Only the operator can change the flow; a site token sees it and can play it.')).toBeTruthy()
  })
})

describe('leaving the chatbot page with unsaved changes', () => {
  function Host() {
    const route = useRoute()
    return (
      <>
        <p data-testid="page">{route.page}</p>
        {route.page === 'chatbot' && <ChatbotPage api={client(realty).api} site="shop" canEdit />}
      </>
    )
  }

  beforeEach(() => history.replaceState(null, '', '#/chatbot?site=shop'))

  const unloadBlocked = () => {
    const event = new Event('beforeunload', { cancelable: true })
    dispatchEvent(event)
    return event.defaultPrevented
  }

  it('asks before another page or a reload and stays when told to; once saved it asks no more', async () => {
    const confirm = vi.spyOn(window, 'confirm').mockReturnValue(false)
    render(<Host />)
    await waitFor(() => expect(editor().value).not.toBe(''))
    navigate('#/leads')
    await waitFor(() => expect(screen.getByTestId('page').textContent).toBe('leads'))
    expect(confirm).not.toHaveBeenCalled()

    navigate('#/chatbot?site=shop')
    await waitFor(() => expect(editor().value).not.toBe(''))
    type(flowText({ ...realty, title: 'Changed' }))
    await waitFor(() => expect(unloadBlocked()).toBe(true))
    navigate('#/report')
    await waitFor(() => expect(confirm).toHaveBeenCalledWith('You have unsaved changes in the chatbot flow. Leave without saving?'))
    expect(screen.getByTestId('page').textContent).toBe('chatbot')
    expect(JSON.parse(editor().value).title).toBe('Changed')

    fireEvent.click(saveButton())
    await screen.findByText('Saved.')
    // Preact runs effects after the paint: wait until the guard is down (the browser's prompt too).
    await waitFor(() => expect(unloadBlocked()).toBe(false))
    confirm.mockClear()
    navigate('#/report')
    await waitFor(() => expect(screen.getByTestId('page').textContent).toBe('report'))
    expect(confirm).not.toHaveBeenCalled()
  })
})
