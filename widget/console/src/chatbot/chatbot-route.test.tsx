// #/chatbot in the console: the page's chunk loads on the visit and shows the site's flow, in the
// console's language; a site token gets it read-only.
import { cleanup, render, screen, waitFor } from '@testing-library/preact'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DEMO_JSON } from '../../../../shared/flow/testing'
import { App } from '../app'
import { fakeFetch, jsonResponse, session } from '../testing'

beforeEach(() => {
  localStorage.clear()
})
afterEach(cleanup)

const routes = {
  'GET /v1/admin/sites/shop': () => jsonResponse(200, { site: 'shop', config: { chat: { flow: DEMO_JSON.travel } } }),
  'GET /v1/admin/sites': () => jsonResponse(200, { sites: [{ site: 'shop', origins: [], locale: 'en', updatedAt: '2026-11-01T00:00:00.000Z' }] }),
}

describe('the chatbot route', () => {
  it('loads the Chatbot page for the operator with the site’s flow', async () => {
    history.replaceState(null, '', '/console/#/chatbot?site=shop')
    render(<App fetch={fakeFetch({ 'GET /v1/console/session': () => jsonResponse(200, session({ scope: { kind: 'operator' } })), ...routes })} />)
    const editor = (await screen.findByRole('textbox', { name: 'Flow JSON' }, { timeout: 5000 })) as HTMLTextAreaElement
    await waitFor(() => expect(JSON.parse(editor.value)).toMatchObject({ id: 'travel' }))
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Chatbot · shop')
    expect(screen.getByRole('link', { name: 'Chatbot' }).getAttribute('aria-current')).toBe('page')
    expect(screen.getByRole('button', { name: 'Save' })).toBeTruthy()
  })

  it('speaks Russian in a Russian console, read-only for a site token', async () => {
    localStorage.setItem('leadcatcher.console.language', 'ru')
    history.replaceState(null, '', '/console/#/chatbot')
    render(<App fetch={fakeFetch({ 'GET /v1/console/session': () => jsonResponse(200, session()), ...routes })} />)
    const editor = (await screen.findByRole('textbox', { name: 'JSON сценария' }, { timeout: 5000 })) as HTMLTextAreaElement
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Чат-бот · shop')
    expect(editor.readOnly).toBe(true)
    expect(screen.getByText('Менять сценарий может только оператор; токен сайта видит его и может проиграть.')).toBeTruthy()
    expect(screen.getByRole('heading', { name: 'Симулятор' })).toBeTruthy()
  })
})
