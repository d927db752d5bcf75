// Tests of the Node runtime's DNS look-up for the SSRF check, with a stubbed resolver.
import type { LookupAddress } from 'node:dns'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { nodePrivateAddressesOf, nodeResolveHost } from './resolve-host'
import type { LookupAll } from './resolve-host'

/** A resolver that answers every name with these addresses. */
function answering(...addresses: string[]) {
  const answers: LookupAddress[] = addresses.map((address) => ({
    address,
    family: address.includes(':') ? 6 : 4,
  }))
  return vi.fn<LookupAll>(async () => answers)
}

function failing(code: string) {
  return vi.fn<LookupAll>(async () => {
    throw Object.assign(new Error(`getaddrinfo ${code}`), { code })
  })
}

afterEach(() => {
  vi.restoreAllMocks()
  vi.useRealTimers()
})

describe('nodeResolveHost', () => {
  it('asks for every address of both families in the order the resolver gives', async () => {
    const lookup = answering('93.184.215.14', '2606:2800:21f:cb07:6820:80da:af6b:8b2c')
    expect(await nodeResolveHost('example.com', lookup)).toEqual(['93.184.215.14', '2606:2800:21f:cb07:6820:80da:af6b:8b2c'])
    expect(lookup).toHaveBeenCalledWith('example.com', { all: true, verbatim: true })
  })

  it('returns IP literals without a look-up', async () => {
    const lookup = answering('203.0.113.1')
    expect(await nodeResolveHost('10.0.0.1', lookup)).toEqual(['10.0.0.1'])
    expect(await nodeResolveHost('[::1]', lookup)).toEqual(['::1'])
    expect(lookup).not.toHaveBeenCalled()
  })

  it('gives no addresses for a name that does not exist', async () => {
    expect(await nodeResolveHost('nope.invalid', failing('ENOTFOUND'))).toEqual([])
  })

  it('returns null when the resolver fails', async () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => {})
    expect(await nodeResolveHost('example.com', failing('EAI_AGAIN'))).toBeNull()
    expect(log).toHaveBeenCalledWith('DNS look-up failed', 'example.com', expect.any(Error))
  })

  it('gives up after 3 seconds', async () => {
    vi.useFakeTimers()
    vi.spyOn(console, 'error').mockImplementation(() => {})
    const hanging = vi.fn<LookupAll>(() => new Promise(() => {}))
    const result = nodeResolveHost('slow.example', hanging)
    await vi.advanceTimersByTimeAsync(2999)
    let settled = false
    void result.then(() => (settled = true))
    await Promise.resolve()
    expect(settled).toBe(false)
    await vi.advanceTimersByTimeAsync(1)
    expect(await result).toBeNull()
  })

  it('resolves localhost to loopback with the real resolver', async () => {
    const addresses = await nodeResolveHost('localhost')
    expect(addresses).not.toBeNull()
    expect(addresses!.length).toBeGreaterThan(0)
    for (const address of addresses!) expect(['127.0.0.1', '::1']).toContain(address)
  })
})

describe('nodePrivateAddressesOf', () => {
  it('finds nothing private in public answers', async () => {
    const lookup = answering('93.184.215.14', '2606:2800:21f:cb07:6820:80da:af6b:8b2c')
    expect(await nodePrivateAddressesOf('https://hooks.example.com/lead', lookup)).toEqual([])
  })

  it.each([
    ['loopback', '127.0.0.1'],
    ['a private network', '10.1.2.3'],
    ['IPv6 loopback', '::1'],
    ['the cloud metadata address', '169.254.169.254'],
    ['a mapped private address', '::ffff:192.168.1.1'],
  ])('lists a name that points at %s', async (_, address) => {
    const lookup = answering('93.184.215.14', address)
    expect(await nodePrivateAddressesOf('https://rebind.example.com/hook', lookup)).toEqual([address])
  })

  it('judges IP literals in the URL without a look-up', async () => {
    const lookup = answering('93.184.215.14')
    expect(await nodePrivateAddressesOf('http://169.254.169.254/latest/meta-data/', lookup)).toEqual(['169.254.169.254'])
    expect(await nodePrivateAddressesOf('http://[::1]:8080/', lookup)).toEqual(['::1'])
    expect(await nodePrivateAddressesOf('http://2130706433/', lookup)).toEqual(['127.0.0.1'])
    expect(await nodePrivateAddressesOf('https://93.184.215.14/', lookup)).toEqual([])
    expect(lookup).not.toHaveBeenCalled()
  })

  it('answers null when the look-up fails, so the save is refused (fails closed), as on the Worker', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {})
    expect(await nodePrivateAddressesOf('https://hooks.example.com/', failing('ETIMEOUT'))).toBeNull()
    expect(await nodePrivateAddressesOf('https://hooks.example.com/', failing('ESERVFAIL'))).toBeNull()
  })

  it('lists a name that points into 6to4, Teredo or site-local space', async () => {
    for (const address of ['2002:7f00:1::1', '2001:0:4136:e378:8000:63bf:3fff:fdd2', 'fec0::1']) {
      expect(await nodePrivateAddressesOf('https://rebind.example.com/', answering(address))).toEqual([address])
    }
  })

  it('lists localhost as loopback with the real resolver', async () => {
    const found = await nodePrivateAddressesOf('http://localhost:8787/')
    expect(found?.length).toBeGreaterThan(0)
  })
})
