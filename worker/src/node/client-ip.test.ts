// Tests of the Node runtime's client IP: TRUST_PROXY parsing, spoofing from untrusted peers, proxy chains.
import { describe, expect, it } from 'vitest'
import { clientIp, parseTrustProxy } from './client-ip'
import type { TrustProxy } from './client-ip'

function trust(value: string | undefined): TrustProxy {
  const parsed = parseTrustProxy(value)
  if ('error' in parsed) throw new Error(parsed.error)
  return parsed
}

const headers = (init: Record<string, string> = {}) => new Headers(init)

describe('parseTrustProxy', () => {
  it.each([undefined, '', '  ', 'false', 'FALSE'])('ignores forwarded headers for %j', (value) => {
    const parsed = trust(value)
    expect(parsed.entries).toEqual([])
    expect(parsed.trusts('127.0.0.1')).toBe(false)
  })

  it('refuses true and tells the operator to list the proxies', () => {
    const parsed = parseTrustProxy('true')
    expect(parsed).toEqual({ error: expect.stringContaining('list the addresses of your proxies') })
    expect(parseTrustProxy('10.0.0.1, TRUE')).toHaveProperty('error')
  })

  it.each([
    ...['10.0.0.0/33', '::1/129', '10.0.0.0/-1', '10.0.0.0/', '10.0.0.0/8/8', '10.0.0.0/ 8'],
    ...['proxy.internal', '1.2.3', '010.0.0.1', '0x7f.0.0.1', '[::1]', '1.2.3.4:80', 'fe80::1%eth0'],
    ...['false', '*', 'all'],
  ])('names the bad entry %j', (entry) => {
    const parsed = parseTrustProxy(`127.0.0.1, ${entry}`)
    expect(parsed).toEqual({ error: expect.stringContaining(`"${entry}"`) })
  })

  it('reports a list of nothing but commas', () => {
    expect(parseTrustProxy(' , ,')).toHaveProperty('error')
  })

  it('accepts IPs, CIDRs of both families, keywords in any case and a trailing comma', () => {
    const parsed = trust(' 203.0.113.7 ,2001:db8::/32, Loopback, private,')
    expect(parsed.entries).toEqual(['203.0.113.7', '2001:db8::/32', 'Loopback', 'private'])
    for (const address of ['203.0.113.7', '2001:db8:1::5', '127.8.9.10', '::1', '10.1.2.3', '172.31.0.1', '192.168.0.9', 'fd00::1']) {
      expect(parsed.trusts(address), address).toBe(true)
    }
    for (const address of ['203.0.113.8', '2001:db9::1', '172.32.0.1', '8.8.8.8', '::2', 'fe80::1']) {
      expect(parsed.trusts(address), address).toBe(false)
    }
  })

  it('reads an IPv4-mapped network as the IPv4 range it is', () => {
    const parsed = trust('::ffff:10.0.0.0/104')
    expect(parsed.trusts('10.200.0.1')).toBe(true)
    expect(parsed.trusts('11.0.0.1')).toBe(false)
  })
})

describe('clientIp', () => {
  const spoof = { 'x-forwarded-for': '1.1.1.1', 'x-real-ip': '2.2.2.2' }

  it('ignores forwarded headers entirely when TRUST_PROXY is unset', () => {
    expect(clientIp('127.0.0.1', headers(spoof), trust(undefined))).toBe('127.0.0.1')
    expect(clientIp('198.51.100.4', headers(spoof), trust('false'))).toBe('198.51.100.4')
  })

  it('never takes forwarded headers from a peer that is not a trusted proxy', () => {
    const t = trust('loopback, 10.0.0.0/8')
    expect(clientIp('198.51.100.4', headers(spoof), t)).toBe('198.51.100.4')
    expect(clientIp('198.51.100.4', headers({ 'x-forwarded-for': '10.0.0.1, 127.0.0.1' }), t)).toBe('198.51.100.4')
    expect(clientIp('198.51.100.4', headers({ 'x-real-ip': '127.0.0.1' }), t)).toBe('198.51.100.4')
  })

  it('takes the address a trusted proxy appended, not what the client sent before it', () => {
    const t = trust('loopback')
    // The client sent X-Forwarded-For: 1.1.1.1; nginx on the host appended the real peer.
    const h = headers({ 'x-forwarded-for': '1.1.1.1, 198.51.100.4' })
    expect(clientIp('127.0.0.1', h, t)).toBe('198.51.100.4')
  })

  it('walks a chain of several proxies from the right, skipping the trusted hops', () => {
    const t = trust('10.0.0.0/8, 192.168.1.1')
    const h = headers({ 'x-forwarded-for': '6.6.6.6, 203.0.113.9, 192.168.1.1, 10.0.0.7' })
    expect(clientIp('10.0.0.2', h, t)).toBe('203.0.113.9')
  })

  it('reads repeated X-Forwarded-For lines as one list', () => {
    const h = new Headers()
    h.append('x-forwarded-for', '203.0.113.9')
    h.append('x-forwarded-for', '10.0.0.7')
    expect(clientIp('10.0.0.2', h, trust('private'))).toBe('203.0.113.9')
  })

  it('takes the leftmost hop when every hop is trusted', () => {
    const h = headers({ 'x-forwarded-for': '10.0.0.9, 10.0.0.8' })
    expect(clientIp('10.0.0.2', h, trust('private'))).toBe('10.0.0.9')
  })

  it('uses X-Real-IP from a trusted peer when there is no X-Forwarded-For', () => {
    expect(clientIp('127.0.0.1', headers({ 'x-real-ip': '203.0.113.9' }), trust('loopback'))).toBe('203.0.113.9')
    expect(clientIp('127.0.0.1', headers({ 'x-forwarded-for': ' ', 'x-real-ip': '203.0.113.9' }), trust('loopback'))).toBe('203.0.113.9')
    expect(clientIp('127.0.0.1', headers({ 'x-real-ip': 'nonsense' }), trust('loopback'))).toBe('127.0.0.1')
  })

  it('prefers X-Forwarded-For to X-Real-IP', () => {
    const h = headers({ 'x-forwarded-for': '203.0.113.9', 'x-real-ip': '203.0.113.10' })
    expect(clientIp('127.0.0.1', h, trust('loopback'))).toBe('203.0.113.9')
  })

  it('falls back to the peer when a hop on the way is malformed', () => {
    const t = trust('loopback')
    for (const value of ['unknown', '203.0.113.9, , 127.0.0.1', '203.0.113.9;127.0.0.1', '1.2.3.4:99999', '[1.2.3.4]:80', '::1]:80', '1.2.3.4 5.6.7.8']) {
      expect(clientIp('127.0.0.1', headers({ 'x-forwarded-for': value }), t), value).toBe('127.0.0.1')
    }
  })

  it('does not let garbage left of the client switch the answer to the proxy', () => {
    const h = headers({ 'x-forwarded-for': 'garbage, 198.51.100.4' })
    expect(clientIp('127.0.0.1', h, trust('loopback'))).toBe('198.51.100.4')
  })

  it('strips ports and brackets from hops', () => {
    const t = trust('loopback')
    expect(clientIp('::1', headers({ 'x-forwarded-for': '[2001:DB8::1]:443' }), t)).toBe('2001:db8::1')
    expect(clientIp('::1', headers({ 'x-forwarded-for': '[2001:db8::1]' }), t)).toBe('2001:db8::1')
    expect(clientIp('::1', headers({ 'x-forwarded-for': '1.2.3.4:5678' }), t)).toBe('1.2.3.4')
    expect(clientIp('::1', headers({ 'x-forwarded-for': '1.2.3.4:5678, [::1]:80' }), t)).toBe('1.2.3.4')
  })

  it('handles IPv6 peers and hops in canonical form', () => {
    const t = trust('2001:db8:ffff::/48')
    const h = headers({ 'x-forwarded-for': '2001:0DB8:0000:0000:0000:0000:0000:0042, 2001:db8:ffff::1' })
    expect(clientIp('2001:db8:ffff:0::2', h, t)).toBe('2001:db8::42')
    expect(clientIp('2001:DB8:0:0::9', h, t)).toBe('2001:db8::9')
  })

  it('reads IPv4-mapped IPv6 peers and hops as IPv4', () => {
    const t = trust('127.0.0.1')
    // A server listening on :: sees IPv4 peers as ::ffff:a.b.c.d.
    expect(clientIp('::ffff:127.0.0.1', headers({ 'x-forwarded-for': '::ffff:203.0.113.9' }), t)).toBe('203.0.113.9')
    expect(clientIp('::ffff:7f00:1', headers({ 'x-forwarded-for': '[::ffff:cb00:7109]:1234' }), t)).toBe('203.0.113.9')
    expect(clientIp('::ffff:198.51.100.4', headers(spoof), t)).toBe('198.51.100.4')
  })

  it('drops the zone of a link-local peer', () => {
    expect(clientIp('fe80::1%eth0', headers(), trust(undefined))).toBe('fe80::1')
  })

  it('returns null when there is no usable peer address', () => {
    expect(clientIp(undefined, headers(spoof), trust('loopback'))).toBeNull()
    expect(clientIp('', headers(), trust(undefined))).toBeNull()
    expect(clientIp('not-an-ip', headers(spoof), trust('loopback'))).toBeNull()
  })
})
