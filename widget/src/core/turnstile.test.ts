// Tests for the captcha stamp (Turnstile and SmartCaptcha): a fresh token per send, and never a
// lost lead when the captcha cannot run.
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { LeadInput } from '../../../shared/schemas/lead'
import { SMARTCAPTCHA_SCRIPT, TURNSTILE_SCRIPT, createCaptchaStamp, loadSmartCaptchaScript, loadTurnstileScript } from './turnstile'
import type { SmartCaptchaApi, SmartCaptchaRenderOptions, TurnstileApi, TurnstileRenderOptions } from './turnstile'

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

/**
 * `window.smartCaptcha` as its docs describe it: render gives a widget id (the first is 0),
 * execute answers through the render callback, subscribe registers event listeners.
 */
function fakeSmartCaptcha(answer: (options: SmartCaptchaRenderOptions, n: number, emit: (event: 'network-error') => void) => void) {
  let options: SmartCaptchaRenderOptions | undefined
  let executions = 0
  const listeners = new Map<string, () => void>()
  const api = {
    render: vi.fn((_container: HTMLElement, given: SmartCaptchaRenderOptions) => {
      options = given
      return 0
    }),
    reset: vi.fn((_id: number) => {
      // The real widget empties its token on reset; the stamp must not take that for an answer.
      options?.callback('')
    }),
    execute: vi.fn((_id: number) => {
      const n = ++executions
      queueMicrotask(() => options && answer(options, n, (event) => listeners.get(event)?.()))
    }),
    subscribe: vi.fn((_id: number, event: string, listener: () => void) => {
      listeners.set(event, listener)
      return () => listeners.delete(event)
    }),
  } satisfies SmartCaptchaApi
  return api
}

afterEach(() => {
  vi.restoreAllMocks()
  for (const tag of document.querySelectorAll('script')) tag.remove()
  delete window.turnstile
  delete window.smartCaptcha
})

describe('createCaptchaStamp with Turnstile', () => {
  it('renders once, invisible until a click is needed, and gets a fresh token for every send', async () => {
    const api = fakeTurnstile((options, n) => options.callback(`token-${n}`))
    const container = document.createElement('div')
    const stamp = createCaptchaStamp({ provider: 'turnstile', siteKey: '1x00000000000000000000AA', container, language: 'ru', loadTurnstile: async () => api })
    expect(await stamp(lead)).toEqual({ ...lead, captchaToken: 'token-1' })
    expect(await stamp(lead)).toEqual({ ...lead, captchaToken: 'token-2' })
    expect(api.render).toHaveBeenCalledTimes(1)
    expect(api.render).toHaveBeenCalledWith(
      container,
      expect.objectContaining({
        sitekey: '1x00000000000000000000AA',
        execution: 'execute',
        appearance: 'interaction-only',
        language: 'ru',
      }),
    )
    // Tokens are single-use: the widget is reset before each execution.
    expect(api.reset).toHaveBeenCalledTimes(2)
    expect(api.execute).toHaveBeenCalledTimes(2)
  })

  it('sends the lead without a token when the challenge fails, expires or never answers', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {})
    const failing = fakeTurnstile((options, n) => (n === 1 ? options['error-callback']('300030') : options['expired-callback']()))
    const stamp = createCaptchaStamp({ provider: 'turnstile', siteKey: 'k', container: document.createElement('div'), language: 'en', loadTurnstile: async () => failing })
    expect(await stamp(lead)).toEqual(lead)
    expect(await stamp(lead)).toEqual(lead)

    const silent = fakeTurnstile(() => {})
    const slow = createCaptchaStamp({
      provider: 'turnstile',
      siteKey: 'k',
      container: document.createElement('div'),
      language: 'en',
      loadTurnstile: async () => silent,
      timeoutMs: 20,
    })
    expect(await slow(lead)).toEqual(lead)
  })

  it('sends the lead without a token when the script cannot load, or takes too long to', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const stamp = createCaptchaStamp({
      provider: 'turnstile',
      siteKey: 'k',
      container: document.createElement('div'),
      language: 'en',
      loadTurnstile: () => Promise.reject(new Error('blocked')),
    })
    expect(await stamp(lead)).toEqual(lead)
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('sending without a token'), expect.any(Error))

    // A connection that stalls instead of failing (an ISP throttling the provider).
    const stalled = createCaptchaStamp({
      provider: 'turnstile',
      siteKey: 'k',
      container: document.createElement('div'),
      language: 'en',
      loadTurnstile: () => new Promise(() => {}),
      timeoutMs: 20,
    })
    expect(await stalled(lead)).toEqual(lead)
  })

  it('runs one challenge at a time when two forms send at once', async () => {
    const api = fakeTurnstile((options, n) => options.callback(`token-${n}`))
    const stamp = createCaptchaStamp({ provider: 'turnstile', siteKey: 'k', container: document.createElement('div'), language: 'en', loadTurnstile: async () => api })
    const other = { ...lead, id: '5d0e8f6a-2b3c-4d5e-8f70-112233445566' }
    const [a, b] = await Promise.all([stamp(lead), stamp(other)])
    expect([a.captchaToken, b.captchaToken]).toEqual(['token-1', 'token-2'])
  })
})

describe('createCaptchaStamp with SmartCaptcha', () => {
  it('renders once in invisible mode and executes again for a fresh token on every send', async () => {
    const api = fakeSmartCaptcha((options, n) => options.callback(`ysc-token-${n}`))
    const container = document.createElement('div')
    const stamp = createCaptchaStamp({ provider: 'smartcaptcha', siteKey: 'ysc1_client', container, language: 'ru', loadSmartCaptcha: async () => api })
    expect(await stamp(lead)).toEqual({ ...lead, captchaToken: 'ysc-token-1' })
    expect(await stamp(lead)).toEqual({ ...lead, captchaToken: 'ysc-token-2' })
    expect(api.render).toHaveBeenCalledTimes(1)
    expect(api.render).toHaveBeenCalledWith(container, expect.objectContaining({ sitekey: 'ysc1_client', invisible: true, hl: 'ru' }))
    // Widget id 0 is a widget: reset, then execute, on it each time.
    expect(api.reset.mock.calls).toEqual([[0], [0]])
    expect(api.execute.mock.calls).toEqual([[0], [0]])
  })

  it('sends the lead without a token on a network error or when no token comes in time', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {})
    const offline = fakeSmartCaptcha((_options, _n, emit) => emit('network-error'))
    const stamp = createCaptchaStamp({
      provider: 'smartcaptcha',
      siteKey: 'ysc1_client',
      container: document.createElement('div'),
      language: 'en',
      loadSmartCaptcha: async () => offline,
    })
    expect(await stamp(lead)).toEqual(lead)

    // A visitor who never solves the task: the empty token of a reset is no answer either.
    const unsolved = fakeSmartCaptcha(() => {})
    const slow = createCaptchaStamp({
      provider: 'smartcaptcha',
      siteKey: 'ysc1_client',
      container: document.createElement('div'),
      language: 'en',
      loadSmartCaptcha: async () => unsolved,
      timeoutMs: 20,
    })
    expect(await slow(lead)).toEqual(lead)
  })

  it('sends the lead without a token when the script cannot load, and renders on the next send', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const api = fakeSmartCaptcha((options, n) => options.callback(`ysc-token-${n}`))
    let blocked = true
    const load = vi.fn(async () => {
      if (blocked) throw new Error('smartcaptcha.yandexcloud.net did not load')
      return api
    })
    const stamp = createCaptchaStamp({ provider: 'smartcaptcha', siteKey: 'ysc1_client', container: document.createElement('div'), language: 'en', loadSmartCaptcha: load })
    expect(await stamp(lead)).toEqual(lead)
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('SmartCaptcha unavailable; sending without a token'), expect.any(Error))
    blocked = false
    expect(await stamp(lead)).toEqual({ ...lead, captchaToken: 'ysc-token-1' })
    expect(load).toHaveBeenCalledTimes(2)
  })
})

describe('createCaptchaStamp with a provider it does not know', () => {
  it('sends the lead without a token and loads no script', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const loadTurnstile = vi.fn()
    const loadSmartCaptcha = vi.fn()
    const provider = 'hcaptcha' as unknown as 'turnstile'
    const stamp = createCaptchaStamp({ provider, siteKey: 'k', container: document.createElement('div'), language: 'en', loadTurnstile, loadSmartCaptcha })
    expect(await stamp(lead)).toEqual(lead)
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('hcaptcha unavailable'), expect.any(Error))
    expect(loadTurnstile).not.toHaveBeenCalled()
    expect(loadSmartCaptcha).not.toHaveBeenCalled()
    expect(document.querySelectorAll('script')).toHaveLength(0)
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

describe('loadSmartCaptchaScript', () => {
  it('adds Yandex’s script once, for the advanced method, and tries again after a failure', async () => {
    const first = loadSmartCaptchaScript()
    expect(loadSmartCaptchaScript()).toBe(first)
    const tags = document.querySelectorAll<HTMLScriptElement>('script')
    expect(tags).toHaveLength(1)
    expect(tags[0]?.src).toBe(SMARTCAPTCHA_SCRIPT)
    expect(SMARTCAPTCHA_SCRIPT).toMatch(/^https:\/\/smartcaptcha\.yandexcloud\.net\/captcha\.js\?render=onload&onload=\w+$/)
    tags[0]?.dispatchEvent(new Event('error'))
    await expect(first).rejects.toThrow('did not load')

    // Ready when the script calls its onload global, even if that comes after the load event.
    const second = loadSmartCaptchaScript()
    expect(second).not.toBe(first)
    document.querySelectorAll('script')[1]?.dispatchEvent(new Event('load'))
    const api = fakeSmartCaptcha(() => {})
    window.smartCaptcha = api
    const onload = new URL(SMARTCAPTCHA_SCRIPT).searchParams.get('onload') as '__leadcatcherSmartCaptcha'
    window[onload]?.()
    await expect(second).resolves.toBe(api)
  })

  it('uses a SmartCaptcha the page already has', async () => {
    vi.resetModules()
    const fresh = await import('./turnstile')
    const api = fakeSmartCaptcha(() => {})
    window.smartCaptcha = api
    await expect(fresh.loadSmartCaptchaScript()).resolves.toBe(api)
    expect(document.querySelectorAll('script')).toHaveLength(0)
  })
})
