// Which network a client address stands for in rate limits: an IPv4 address as it is, an IPv6
// address by its /64, the smallest block an ISP hands one subscriber (RFC 6177), so walking the
// 2^64 addresses of one's own /64 is still one client. ipaddr.js parses every IPv6 spelling.
import ipaddr from 'ipaddr.js'

const IPV6_PREFIX_GROUPS = 4

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
  if (!ipaddr.IPv6.isValid(address)) return address.toLowerCase()
  const parsed = ipaddr.IPv6.parse(address)
  if (parsed.isIPv4MappedAddress()) return parsed.toIPv4Address().toString()
  return `${parsed.parts
    .slice(0, IPV6_PREFIX_GROUPS)
    .map((g) => g.toString(16))
    .join(':')}::/64`
}
