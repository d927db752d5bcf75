// Tests for the Turnstile stamp: a fresh token per send, and never a lost lead when it cannot run.
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { LeadInput } from '../../shared/schemas/lead'
import { TURNSTILE_SCRIPT, createTurnstileStamp, loadTurnstileScript } from './turnstile'
import type { TurnstileApi, TurnstileRenderOptions } from './turnstile'

const lead: LeadInput = { id: '0b7c4a52-1f7e-4a51-9d55-3e1c2f0a9b11', site: 'shop', source: 'callback', contact: { phone: '+79123456789' } }

/** Answers each execute() the way the real widget does: through the render options' callbacks. */
function fakeTurnstile(answer: (options: TurnstileRenderOptions, n: number) => void) {
  let options: TurnstileRenderOptions | undefined
  let executions = 0
  const api = {
    render: vi.fn((_container: HTMLElement, given: TurnstileRenderOptions) => {
      options = given
      return 'w1'
    }),
    reset: vi.fn(),
    execute: vi.fn(() => {
      const n = ++executions
      queueMicrotask(() => options && answer(options, n))
    }),
  } satisfies TurnstileApi
  return api
}

afterEach(() => {
  vi.restoreAllMocks()
  for (const tag of document.querySelectorAll('script')) tag.remove()
  delete window.turnstile
})

describe('createTurnstileStamp', () => {
  it('renders once, invisible until a click is needed, and gets a fresh token for every send', async () => {
    const api = fakeTurnstile((options, n) => options.callback(`token-${n}`))
    const container = document.createElement('div')
    const stamp = createTurnstileStamp({ siteKey: '1x00000000000000000000AA', container, language: 'ru', load: async () => api })
    expect(await stamp(lead)).toEqual({ ...lead, turnstileToken: 'token-1' })
    expect(await stamp(lead)).toEqual({ ...lead, turnstileToken: 'token-2' })
    expect(api.render).toHaveBeenCalledTimes(1)
    expect(api.render).toHaveBeenCalledWith(container, expect.objectContaining({
      sitekey: '1x00000000000000000000AA',
      execution: 'execute',
      appearance: 'interaction-only',
      language: 'ru',
    }))
    // Tokens are single-use: the widget is reset before each execution.
    expect(api.reset).toHaveBeenCalledTimes(2)
    expect(api.execute).toHaveBeenCalledTimes(2)
  })

  it('sends the lead without a token when the challenge fails, expires or never answers', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {})
    const failing = fakeTurnstile((options, n) => (n === 1 ? options['error-callback']('300030') : options['expired-callback']()))
    const stamp = createTurnstileStamp({ siteKey: 'k', container: document.createElement('div'), language: 'en', load: async () => failing })
    expect(await stamp(lead)).toEqual(lead)
    expect(await stamp(lead)).toEqual(lead)

    const silent = fakeTurnstile(() => {})
    const slow = createTurnstileStamp({ siteKey: 'k', container: document.createElement('div'), language: 'en', load: async () => silent, timeoutMs: 20 })
    expect(await slow(lead)).toEqual(lead)
  })

  it('sends the lead without a token when the script cannot load', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const stamp = createTurnstileStamp({ siteKey: 'k', container: document.createElement('div'), language: 'en', load: () => Promise.reject(new Error('blocked')) })
    expect(await stamp(lead)).toEqual(lead)
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('sending without a token'), expect.any(Error))
  })

  it('runs one challenge at a time when two forms send at once', async () => {
    const api = fakeTurnstile((options, n) => options.callback(`token-${n}`))
    const stamp = createTurnstileStamp({ siteKey: 'k', container: document.createElement('div'), language: 'en', load: async () => api })
    const other = { ...lead, id: '5d0e8f6a-2b3c-4d5e-8f70-112233445566' }
    const [a, b] = await Promise.all([stamp(lead), stamp(other)])
    expect([a.turnstileToken, b.turnstileToken]).toEqual(['token-1', 'token-2'])
  })
})

describe('loadTurnstileScript', () => {
  it('adds Cloudflare’s script once, explicitly rendered, and tries again after a failure', async () => {
    const first = loadTurnstileScript()
    expect(loadTurnstileScript()).toBe(first)
    const tags = document.querySelectorAll<HTMLScriptElement>('script')
    expect(tags).toHaveLength(1)
    expect(tags[0]?.src).toBe(TURNSTILE_SCRIPT)
    tags[0]?.dispatchEvent(new Event('error'))
    await expect(first).rejects.toThrow('did not load')

    const second = loadTurnstileScript()
    expect(second).not.toBe(first)
    const api = fakeTurnstile(() => {})
    window.turnstile = api
    document.querySelectorAll('script')[1]?.dispatchEvent(new Event('load'))
    await expect(second).resolves.toBe(api)
  })
})
