// SSRF guard for customer-entered target URLs: refuses hosts that name loopback, private,
// link-local (cloud metadata) and other non-public addresses. Literal hosts only; the URL parser
// has already normalized numeric forms like http://2130706433/ to 127.0.0.1.

const BLOCKED_SUFFIXES = ['.localhost', '.local', '.internal', '.home.arpa', '.lan']

function ipv4ToInt(host: string): number | null {
  const parts = host.split('.')
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)) return null
  return parts.reduce((acc, p) => acc * 256 + Number(p), 0)
}

// [network, prefix length]: RFC 6890 special-purpose ranges that are not reachable public unicast.
const BLOCKED_V4: [string, number][] = [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
]

function isBlockedV4(value: number): boolean {
  return BLOCKED_V4.some(([network, bits]) => {
    const base = ipv4ToInt(network)!
    const size = 2 ** (32 - bits)
    return value >= base && value < base + size
  })
}

function expandIpv6(host: string): number[] | null {
  const [head = '', tail] = host.split('::')
  if (host.split('::').length > 2) return null
  const parse = (s: string) => (s === '' ? [] : s.split(':'))
  let headParts = parse(head)
  let tailParts = tail === undefined ? [] : parse(tail)
  // An embedded IPv4 tail (::ffff:1.2.3.4) becomes two groups.
  const last = (tail === undefined ? headParts : tailParts).at(-1)
  if (last && last.includes('.')) {
    const v4 = ipv4ToInt(last)
    if (v4 === null) return null
    const groups = [(v4 >>> 16).toString(16), (v4 & 0xffff).toString(16)]
    if (tail === undefined) headParts = [...headParts.slice(0, -1), ...groups]
    else tailParts = [...tailParts.slice(0, -1), ...groups]
  }
  const missing = 8 - headParts.length - tailParts.length
  if (tail === undefined ? missing !== 0 : missing < 0) return null
  const all = [...headParts, ...Array<string>(Math.max(missing, 0)).fill('0'), ...tailParts]
  const groups = all.map((g) => (/^[0-9a-f]{1,4}$/i.test(g) ? parseInt(g, 16) : NaN))
  return groups.some(Number.isNaN) ? null : groups
}

function isBlockedV6(groups: number[]): boolean {
  const [g0 = 0, , , , , g5 = 0, g6 = 0, g7 = 0] = groups
  const allZeroUntil = (n: number) => groups.slice(0, n).every((g) => g === 0)
  if (allZeroUntil(8)) return true // ::
  if (allZeroUntil(7) && g7 === 1) return true // ::1
  if (allZeroUntil(5) && g5 === 0xffff) return isBlockedV4(g6 * 65536 + g7) // IPv4-mapped
  if ((g0 & 0xfe00) === 0xfc00) return true // fc00::/7 unique local
  if ((g0 & 0xffc0) === 0xfe80) return true // fe80::/10 link-local
  if ((g0 & 0xff00) === 0xff00) return true // multicast
  if (g0 === 0x64 && groups[1] === 0xff9b) return isBlockedV4(g6 * 65536 + g7) // NAT64
  return false
}

/** Whether a URL's host is a non-public address a webhook must never be sent to. */
export function isPrivateTarget(url: string): boolean {
  let host: string
  try {
    host = new URL(url).hostname.toLowerCase()
  } catch {
    return true
  }
  host = host.replace(/\.$/, '')
  if (host === 'localhost' || BLOCKED_SUFFIXES.some((s) => host.endsWith(s))) return true
  if (host === 'metadata.google.internal') return true
  if (host.startsWith('[') && host.endsWith(']')) {
    const groups = expandIpv6(host.slice(1, -1))
    return groups === null || isBlockedV6(groups)
  }
  const v4 = ipv4ToInt(host)
  return v4 !== null && isBlockedV4(v4)
}
