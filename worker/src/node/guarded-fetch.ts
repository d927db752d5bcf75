// Outbound fetch for the Node runtime that cannot be pointed at a private network after the config
// check. Workers cannot open connections to private addresses at all; a Node server on a VPS can
// (its own loopback, the provider's metadata service, the office LAN). The target's name is
// checked when the config is saved, but it may resolve elsewhere by the time a lead is sent (short
// TTLs, DNS rebinding). Here the address is checked in the connection's own look-up, so the
// address checked is the address connected to.
import { lookup as dnsLookup } from 'node:dns'
import type { LookupAddress } from 'node:dns'
import { Agent, fetch as undiciFetch } from 'undici'
import { isPrivateTarget } from '../security/private-target'

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void
type Lookup = (hostname: string, options: { all?: boolean }, callback: LookupCallback) => void

const isPrivateAddress = (address: string) => isPrivateTarget(`http://${address.includes(':') ? `[${address}]` : address}/`)

/** A dns.lookup that fails for names with any private answer, before a socket is opened. */
export function publicOnlyLookup(resolve: typeof dnsLookup = dnsLookup): Lookup {
  return (hostname, options, callback) => {
    resolve(hostname, { all: true, verbatim: true }, (error, addresses) => {
      if (error) return callback(error, [])
      const blocked = addresses.filter((a) => isPrivateAddress(a.address))
      if (blocked.length > 0) {
        const refused: NodeJS.ErrnoException = new Error(`${hostname} resolves to a private address (${blocked.map((a) => a.address).join(', ')}); refused`)
        refused.code = 'ERR_PRIVATE_TARGET'
        return callback(refused, [])
      }
      if (options.all) return callback(null, addresses)
      const [first] = addresses
      if (!first) return callback(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), [])
      callback(null, first.address, first.family)
    })
  }
}

/**
 * `fetch` whose connections go only to public addresses.
 * @example const send = guardedFetch(); await send('https://crm.example/hook', { method: 'POST', body })
 */
export function guardedFetch(lookup: Lookup = publicOnlyLookup()): typeof fetch {
  const dispatcher = new Agent({ connect: { lookup } })
  // undici's fetch is the one Node's global fetch is built from; its own types differ only in
  // names, so the call is re-typed as the standard fetch the adapters use.
  return ((input: Parameters<typeof fetch>[0], init?: RequestInit) => {
    // An address written as the host (127.0.0.1, [::1], 0x7f.1) is connected to without any
    // look-up, so it is checked here, with the rules the config check uses.
    const url = input instanceof Request ? input.url : String(input)
    if (isPrivateTarget(url)) {
      const refused: NodeJS.ErrnoException = new Error(`${hostOf(url)} is a private address; refused`)
      refused.code = 'ERR_PRIVATE_TARGET'
      return Promise.reject(new TypeError('fetch failed', { cause: refused }))
    }
    return undiciFetch(input as Parameters<typeof undiciFetch>[0], { ...(init as Parameters<typeof undiciFetch>[1]), dispatcher })
  }) as unknown as typeof fetch
}

function hostOf(url: string): string {
  try {
    return new URL(url).host
  } catch {
    return 'the URL'
  }
}
