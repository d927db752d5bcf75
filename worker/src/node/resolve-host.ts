// DNS look-up for the SSRF check on the Node runtime: security/resolve-host.ts with getaddrinfo.
import type { LookupAddress } from 'node:dns'
import { lookup as systemLookup } from 'node:dns/promises'
import { isIP } from 'node:net'
import { isPrivateAddress } from '../security/private-target'

/** The shape of `lookup` from `node:dns/promises` used here; tests pass a stub. */
export type LookupAll = (hostname: string, options: { all: true; verbatim: true }) => Promise<LookupAddress[]>

const TIMEOUT_MS = 3000

/**
 * getaddrinfo cannot be cancelled: after the timeout the answer is dropped, but the look-up keeps
 * one of libuv's threads (4 by default) until the system resolver gives up.
 */
async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`DNS look-up timed out after ${ms} ms`)), ms)
  })
  try {
    return await Promise.race([promise, timeout])
  } finally {
    clearTimeout(timer)
  }
}

/**
 * A and AAAA addresses of a host name; IP literals are returned as they are; null when the look-up
 * failed. `lookup` (getaddrinfo) rather than `resolve4`/`resolve6`, because it is what Node's HTTP
 * clients use to connect: /etc/hosts and the system's resolver settings count, as they will when
 * the webhook is sent. A name that does not exist has no addresses, as an empty DoH answer has.
 */
export async function nodeResolveHost(host: string, lookup: LookupAll = systemLookup): Promise<string[] | null> {
  const literal = host.replace(/^\[|\]$/g, '')
  if (isIP(literal) !== 0) return [literal]
  try {
    const answers = await withTimeout(lookup(host, { all: true, verbatim: true }), TIMEOUT_MS)
    return answers.map((answer) => answer.address)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException | null)?.code
    if (code === 'ENOTFOUND' || code === 'ENODATA') return []
    console.error('DNS look-up failed', host, error)
    return null
  }
}

/**
 * The private addresses a target URL's host resolves to, or null when the look-up failed:
 * `privateAddressesOf` for Node, with the same `isPrivateAddress` rules. A failed look-up blocks
 * the save (fails closed), as on the Worker. The name can still point elsewhere by the time a lead
 * is sent (short TTLs, DNS rebinding); guarded-fetch.ts checks the address actually connected to.
 * @example const privateAddresses = await nodePrivateAddressesOf('https://hooks.example.com/lead')
 */
export async function nodePrivateAddressesOf(url: string, lookup: LookupAll = systemLookup): Promise<string[] | null> {
  const host = new URL(url).hostname
  const addresses = await nodeResolveHost(host, lookup)
  return addresses === null ? null : addresses.filter(isPrivateAddress)
}
