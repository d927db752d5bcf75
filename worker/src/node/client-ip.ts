// The visitor's IP on the Node runtime: the socket peer, or what the proxies in TRUST_PROXY forward.
import { BlockList, isIP } from 'node:net'

/**
 * Which socket peers may speak for the client in forwarded headers, from {@link parseTrustProxy}.
 * With no entries, forwarded headers are ignored and the peer is the client.
 */
export interface TrustProxy {
  /** The entries as configured, for the start-up log. */
  readonly entries: readonly string[]
  /** Whether an address, in the canonical form {@link clientIp} returns, is a trusted proxy. */
  readonly trusts: (address: string) => boolean
}

/** Express's `loopback` and `uniquelocal` sets under the names an operator is likely to guess. */
const KEYWORDS = new Map<string, readonly string[]>([
  ['loopback', ['127.0.0.0/8', '::1/128']],
  ['private', ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fc00::/7']],
])

const IGNORE_FORWARDED: TrustProxy = { entries: [], trusts: () => false }

/**
 * An IP address in one spelling per address, or null: IPv6 as the URL parser writes it (RFC 5952:
 * lower case, longest zero run compressed) and IPv4-mapped IPv6 as plain IPv4, so that a dual-stack
 * socket's `::ffff:10.0.0.1` and a proxy's `10.0.0.1` are the same client and match the same rules.
 * No ports, brackets or zone ids; `isIP` already refuses octal, hex and short IPv4 forms.
 */
function canonicalIp(text: string): string | null {
  const family = isIP(text)
  if (family === 4) return text
  if (family !== 6 || text.includes('%')) return null
  let host: string
  try {
    host = new URL(`http://[${text}]/`).hostname.slice(1, -1)
  } catch {
    return null
  }
  // The serialisation writes an embedded IPv4 tail as two hex groups: ::ffff:1.2.3.4 is ::ffff:102:304.
  const mapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(host)
  if (!mapped) return host
  const high = parseInt(mapped[1]!, 16)
  const low = parseInt(mapped[2]!, 16)
  return [high >> 8, high & 255, low >> 8, low & 255].join('.')
}

/** One X-Forwarded-For (or X-Real-IP) entry without its port or brackets, or null if malformed. */
function parseHop(text: string): string | null {
  const hop = text.trim()
  // Some proxies write the client's port too: [2001:db8::1]:443, 1.2.3.4:5678.
  const bracketed = /^\[([^\]]*)\](?::(\d{1,5}))?$/.exec(hop)
  const withPort = bracketed ? null : /^([\d.]+):(\d{1,5})$/.exec(hop)
  const [, address = hop, port] = bracketed ?? withPort ?? []
  if (port !== undefined && Number(port) > 65535) return null
  if (bracketed && isIP(address) !== 6) return null
  return canonicalIp(address)
}

/** `address` or `address/bits` as BlockList arguments, or null. */
function parseRange(entry: string): [string, number, 'ipv4' | 'ipv6'] | null {
  const [text = '', bitsText, extra] = entry.split('/')
  if (extra !== undefined) return null
  const address = canonicalIp(text)
  if (address === null) return null
  const family = isIP(address) === 4 ? 'ipv4' : 'ipv6'
  const max = family === 'ipv4' ? 32 : 128
  if (bitsText === undefined) return [address, max, family]
  if (!/^\d{1,3}$/.test(bitsText)) return null
  // A mapped network (::ffff:10.0.0.0/104) became IPv4 above; its prefix counted 96 more bits.
  const bits = Number(bitsText) - (family === 'ipv4' && isIP(text) === 6 ? 96 : 0)
  return bits >= 0 && bits <= max ? [address, bits, family] : null
}

/**
 * Reads the TRUST_PROXY setting: unset, empty or `false` ignores forwarded headers; otherwise a
 * comma-separated list of IPs, CIDR ranges, `loopback` and `private` naming the proxies in front.
 * An error names the bad entry, not the setting: the caller puts `TRUST_PROXY` in front.
 * @example
 * const trust = parseTrustProxy(process.env.TRUST_PROXY)
 * if ('error' in trust) throw new Error(`TRUST_PROXY ${trust.error}`)
 * parseTrustProxy('loopback, 10.0.0.0/8') // nginx on the host, a load balancer in the VPC
 */
export function parseTrustProxy(value: string | undefined): TrustProxy | { error: string } {
  const setting = (value ?? '').trim()
  if (setting === '' || setting.toLowerCase() === 'false') return IGNORE_FORWARDED
  // Empty items (a trailing comma) are skipped; an empty list is an error, not a silent `false`.
  const entries = setting
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '')
  if (entries.length === 0) return { error: `"${setting}" lists no proxy addresses.` }
  const list = new BlockList()
  for (const entry of entries) {
    const keyword = entry.toLowerCase()
    if (keyword === 'true') {
      return {
        error:
          '"true" is refused: trusting every hop lets any client choose its own IP by sending ' +
          'X-Forwarded-For; list the addresses of your proxies instead ' +
          '(IPs, CIDR ranges, "loopback", "private").',
      }
    }
    for (const range of KEYWORDS.get(keyword) ?? [entry]) {
      const parsed = parseRange(range)
      if (parsed === null) {
        const expected = 'an IP address, a CIDR range, "loopback" or "private"'
        return { error: `"${entry}" is not ${expected}.` }
      }
      list.addSubnet(...parsed)
    }
  }
  return {
    entries,
    trusts: (address) => list.check(address, isIP(address) === 6 ? 'ipv6' : 'ipv4'),
  }
}

/**
 * The rightmost untrusted address of X-Forwarded-For, the leftmost if every hop is trusted, or null
 * when an entry on the way there is malformed (the chain cannot be followed). Entries left of the
 * first untrusted one are the client's own words and are not looked at: garbage there must not
 * let a client switch between its own address and its proxy's.
 */
function fromForwardedFor(value: string, trust: TrustProxy): string | null {
  const hops = value.split(',')
  let leftmost: string | null = null
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = parseHop(hops[i]!)
    if (hop === null) return null
    if (!trust.trusts(hop)) return hop
    leftmost = hop
  }
  return leftmost
}

/**
 * The visitor's IP in canonical form, or null when there is none (no peer address, as on a Unix
 * socket, or one that does not parse). Forwarded headers count only when the peer itself is a
 * trusted proxy; malformed ones are ignored and the peer is the answer.
 * @example clientIp(socket.remoteAddress, c.req.raw.headers, trust)
 */
export function clientIp(peer: string | undefined, headers: { get(name: string): string | null }, trust: TrustProxy): string | null {
  // A link-local peer comes with its interface (fe80::1%eth0); the zone says nothing about the client.
  const from = peer === undefined ? null : canonicalIp(peer.replace(/%[^%]*$/, ''))
  if (from === null || !trust.trusts(from)) return from
  // Headers.get joins repeated X-Forwarded-For lines with ", ", which is the same list.
  const forwarded = headers.get('x-forwarded-for')
  if (forwarded !== null && forwarded.trim() !== '') {
    return fromForwardedFor(forwarded, trust) ?? from
  }
  const real = headers.get('x-real-ip')
  if (real !== null && real.trim() !== '') return parseHop(real) ?? from
  return from
}
