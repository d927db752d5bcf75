import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import type { AppEnv } from '../deps'
import { siteCors } from './site-cors'

const KNOWN = 'https://shop.example'

/** One route behind the middleware; `answer` makes its Response. The deps are never read here. */
function appAnswering(answer: () => Response): { app: Hono<AppEnv>; made: Response[] } {
  const made: Response[] = []
  const app = new Hono<AppEnv>()
  app.use('*', siteCors({ isKnownOrigin: async (_deps, origin) => origin === KNOWN }))
  app.get('/', () => {
    const response = answer()
    made.push(response)
    return response
  })
  return { app, made }
}

const from = (origin?: string) => new Request('https://api.example/', origin ? { headers: { Origin: origin } } : {})

describe('siteCors on the answer', () => {
  it('adds Vary and the allowed origin to the route’s own Response, without copying it', async () => {
    const { app, made } = appAnswering(() => Response.json({ ok: true }, { headers: { Vary: 'Accept-Encoding' } }))
    const response = await app.fetch(from(KNOWN))
    expect(response).toBe(made[0])
    expect(response.headers.get('Vary')).toBe('Accept-Encoding, Origin')
    expect(response.headers.get('Access-Control-Allow-Origin')).toBe(KNOWN)
    expect(await response.json()).toEqual({ ok: true })
  })

  it('adds only Vary for an origin no site lists, and for a request without one', async () => {
    for (const origin of ['https://evil.example', undefined]) {
      const { app } = appAnswering(() => Response.json({ ok: true }))
      const response = await app.fetch(from(origin))
      expect(response.headers.get('Vary')).toBe('Origin')
      expect(response.headers.get('Access-Control-Allow-Origin')).toBeNull()
    }
  })

  it('copies an answer whose headers are immutable, and the copy has both headers', async () => {
    // Response.redirect's headers are immutable (Fetch standard), as a fetched response's are.
    const { app, made } = appAnswering(() => Response.redirect('https://shop.example/thanks', 302))
    const response = await app.fetch(from(KNOWN))
    expect(() => made[0]!.headers.append('Vary', 'Origin')).toThrow(TypeError)
    expect(response).not.toBe(made[0])
    expect(response.status).toBe(302)
    expect(response.headers.get('Location')).toBe('https://shop.example/thanks')
    expect(response.headers.get('Vary')).toBe('Origin')
    expect(response.headers.get('Access-Control-Allow-Origin')).toBe(KNOWN)
  })
})
