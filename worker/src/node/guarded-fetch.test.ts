import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { guardedFetch, publicOnlyLookup } from './guarded-fetch'

let port = 0
const server = createServer((_req, res) => res.end('reached'))
beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  port = (server.address() as AddressInfo).port
})
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

/** A resolver that answers every name with the given addresses, like a rebinding DNS server. */
function answering(...addresses: string[]) {
  return publicOnlyLookup(((_host: string, _options: unknown, callback: (e: null, a: { address: string; family: number }[]) => void) =>
    callback(
      null,
      addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 })),
    )) as never)
}

describe('guardedFetch', () => {
  it('refuses a name that resolves to loopback at connection time, before anything is sent', async () => {
    const send = guardedFetch(answering('127.0.0.1'))
    const error = await send(`http://crm.example:${port}/hook`).then(
      () => null,
      (e: unknown) => e,
    )
    expect(error).toBeInstanceOf(Error)
    expect(String((error as Error & { cause?: unknown }).cause)).toMatch(/private address \(127\.0\.0\.1\)/)
  })

  it('refuses when any of several answers is private (metadata, private ranges, IPv6 loopback)', async () => {
    for (const answer of [['203.0.113.9', '169.254.169.254'], ['10.1.2.3'], ['::1']]) {
      const error = await guardedFetch(answering(...answer))(`http://crm.example:${port}/`).catch((e: unknown) => e)
      expect(String((error as Error & { cause?: unknown }).cause)).toMatch(/private address/)
    }
  })

  it('refuses an address written as the host, which is connected to without a look-up', async () => {
    // The resolver would let anything through: the literal never reaches it.
    const permissive = (_h: string, o: { all?: boolean }, cb: (e: null, a: string | { address: string; family: number }[], f?: number) => void) =>
      o.all ? cb(null, [{ address: '127.0.0.1', family: 4 }]) : cb(null, '127.0.0.1', 4)
    for (const url of [`http://127.0.0.1:${port}/`, `http://0x7f.1:${port}/`, `http://[::ffff:127.0.0.1]:${port}/`, 'http://169.254.169.254/latest/meta-data/']) {
      const error = await guardedFetch(permissive)(url).catch((e: unknown) => e)
      expect(error, url).toBeInstanceOf(TypeError)
      expect(String((error as Error & { cause?: unknown }).cause), url).toMatch(/private address; refused/)
    }
  })

  it('lets a public answer through to the connection (the control: the same path reaches a server)', async () => {
    const permissive = (_h: string, o: { all?: boolean }, cb: (e: null, a: string | { address: string; family: number }[], f?: number) => void) =>
      o.all ? cb(null, [{ address: '127.0.0.1', family: 4 }]) : cb(null, '127.0.0.1', 4)
    const response = await guardedFetch(permissive)(`http://crm.example:${port}/`)
    expect(await response.text()).toBe('reached')
  })
})
