// SSRF guard for customer-entered target URLs: refuses hosts that name loopback, private,
// link-local (cloud metadata) and every other non-public address, and names that only a local
// network resolves. Literal hosts only (resolve-host.ts checks what a name resolves to); the URL
// parser has already normalized numeric forms like http://2130706433/ to 127.0.0.1.
import ipaddr from 'ipaddr.js'

const BLOCKED_SUFFIXES = ['.localhost', '.local', '.internal', '.home.arpa', '.lan', '.intranet', '.corp']

/** Special ranges ipaddr.js does not name: IPv4-compatible IPv6 (RFC 4291 2.5.5.1, deprecated). */
const UNNAMED_RANGES = [ipaddr.parseCIDR('::/96')]

/**
 * Whether an IP address (no brackets) is anything but public unicast. ipaddr.js names the IANA
 * special-purpose ranges (RFC 6890 and later); only `unicast` is left outside them. Addresses that
 * carry an IPv4 address inside (IPv4-mapped and -translated, NAT64, 6to4, Teredo) are refused
 * whole rather than judged by the IPv4 part, since what they reach depends on relays we do not
 * control. An address that does not parse is refused.
 */
export function isPrivateAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return true
  const parsed = ipaddr.parse(address)
  if (parsed.kind() === 'ipv4' && !ipaddr.IPv4.isValidFourPartDecimal(address)) return true
  if (parsed.range() !== 'unicast') return true
  return UNNAMED_RANGES.some(([network, bits]) => parsed.kind() === network.kind() && parsed.match(network, bits))
}

/** Whether a URL's host is a non-public address or a local name a webhook must never be sent to. */
export function isPrivateTarget(url: string): boolean {
  let host: string
  try {
    host = new URL(url).hostname.toLowerCase()
  } catch {
    return true
  }
  host = host.replace(/\.$/, '')
  if (host.startsWith('[') && host.endsWith(']')) return isPrivateAddress(host.slice(1, -1))
  if (/^[\d.]+$/.test(host)) return isPrivateAddress(host)
  // A single label ("intranet", "metadata") is resolved through the server's search domains.
  if (!host.includes('.')) return true
  return BLOCKED_SUFFIXES.some((suffix) => host.endsWith(suffix))
}
