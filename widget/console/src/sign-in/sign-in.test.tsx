// Sign-in: the token field, and every way it can fail said in words.
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createApiClient } from '../api'
import { apiError, fakeFetch, jsonResponse, renderIn, session } from '../testing'
import { SignIn } from './sign-in'

afterEach(cleanup)

function signInWith(response: () => Response | Promise<Response>) {
  const onSignedIn = vi.fn()
  const api = createApiClient({ fetch: fakeFetch({ 'POST /v1/console/session': response }) })
  const view = render(<SignIn api={api} notice={null} onSignedIn={onSignedIn} />)
  const field = screen.getByLabelText('Access token') as HTMLInputElement
  const submit = (token: string) => {
    fireEvent.input(field, { target: { value: token } })
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }))
  }
  return { view, field, submit, onSignedIn }
}

describe('the sign-in page', () => {
  it('asks for the token in a password field that browsers do not fill or keep', () => {
    const { field } = signInWith(() => jsonResponse(200, session()))
    expect(field.type).toBe('password')
    expect(field.getAttribute('autocomplete')).toBe('off')
    expect(document.activeElement).toBe(field)
  })

  it('says a wrong token is wrong, and empties the field', async () => {
    const { field, submit, onSignedIn } = signInWith(() => apiError(401, 'unauthorized', 'This token is not valid.'))
    submit('lct_wrong')
    expect(await screen.findByRole('alert')).toHaveProperty('textContent', 'This token is not valid. Check it and try again.')
    expect(field.value).toBe('')
    expect(field.getAttribute('aria-invalid')).toBe('true')
    expect(onSignedIn).not.toHaveBeenCalled()
  })

  it('says how long to wait after too many attempts', async () => {
    const { submit } = signInWith(() => apiError(429, 'rate_limited', 'Too many', { 'Retry-After': '290' }))
    submit('lct_again')
    expect(await screen.findByRole('alert')).toHaveProperty('textContent', 'Too many sign-in attempts. Try again in 5 min.')
  })

  it('says so when the server cannot be reached', async () => {
    const { submit } = signInWith(() => Promise.reject(new TypeError('Failed to fetch')))
    submit('lct_x')
    expect(await screen.findByRole('alert')).toHaveProperty('textContent', 'No connection to the server. Check the network and try again.')
  })

  it('asks for a token before sending anything', async () => {
    const onSignedIn = vi.fn()
    const fetch = fakeFetch({})
    render(<SignIn api={createApiClient({ fetch })} notice={null} onSignedIn={onSignedIn} />)
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }))
    expect(await screen.findByRole('alert')).toHaveProperty('textContent', 'Enter a token.')
    expect(fetch).not.toHaveBeenCalled()
  })

  it('hands the session on after a good token', async () => {
    const body = session({ scope: { kind: 'operator' } })
    const { submit, onSignedIn } = signInWith(() => jsonResponse(200, body))
    submit('0123456789abcdef0123')
    await waitFor(() => expect(onSignedIn).toHaveBeenCalledWith(body))
  })

  it('says why it is shown after a session ended, in Russian too', () => {
    renderIn('ru', <SignIn api={createApiClient({ fetch: fakeFetch({}) })} notice="session_expired" onSignedIn={vi.fn()} />)
    expect(screen.getByRole('status').textContent).toBe('Сессия истекла, войдите снова.')
    expect(screen.getByLabelText('Токен доступа')).toBeTruthy()
  })
})
