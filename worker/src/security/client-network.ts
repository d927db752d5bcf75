// Which network a client address stands for in rate limits: an IPv4 address as it is, an IPv6
// address by its /64, the smallest block an ISP hands one subscriber (RFC 6177), so walking the
// 2^64 addresses of one's own /64 is still one client.
const IPV6_PREFIX_GROUPS = 4

/** The eight 16-bit groups of an IPv6 address, or null when it does not parse. */
function ipv6Groups(address: string): number[] | null {
  let host: string
  try {
    // The URL parser is in every runtime and writes one spelling per address (RFC 5952), its
    // IPv4 tail as two hex groups.
    host = new URL(`http://[${address}]/`).hostname.slice(1, -1)
  } catch {
    return null
  }
  const [head = '', tail] = host.split('::')
  const part = (text: string | undefined) => (text ? text.split(':').map((g) => parseInt(g, 16)) : [])
  const left = part(head)
  const right = part(tail)
  const zeros = tail === undefined ? [] : new Array<number>(8 - left.length - right.length).fill(0)
  const groups = [...left, ...zeros, ...right]
  return groups.length === 8 && groups.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff) ? groups : null
}

/**
 * The rate-limit identity of a client IP: IPv4 unchanged, IPv4-mapped IPv6 as the IPv4 it maps,
 * other IPv6 as its /64 (`2001:db8:1:2::/64`). Text that is no address is returned as it is.
 * @example clientNetwork('2001:db8:1:2:aaaa::1') // '2001:db8:1:2::/64'
 */
export function clientNetwork(ip: string): string {
  const address = ip
    .trim()
    .replace(/^\[(.*)\]$/, '$1')
    .replace(/%.*$/, '')
  if (!address.includes(':')) return address
  const groups = ipv6Groups(address)
  if (!groups) return address.toLowerCase()
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    return [groups[6]! >> 8, groups[6]! & 255, groups[7]! >> 8, groups[7]! & 255].join('.')
  }
  return `${groups
    .slice(0, IPV6_PREFIX_GROUPS)
    .map((g) => g.toString(16))
    .join(':')}::/64`
}
