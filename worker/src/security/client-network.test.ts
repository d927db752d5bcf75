import { describe, expect, it } from 'vitest'
import { clientNetwork } from './client-network'

describe('clientNetwork', () => {
  it('keeps IPv4 addresses whole', () => {
    expect(clientNetwork('203.0.113.7')).toBe('203.0.113.7')
  })

  it('keys every spelling of an IPv6 address in one /64 the same', () => {
    const spellings = [
      '2001:db8:1:2::1',
      '2001:0DB8:0001:0002:ffff:ffff:ffff:ffff',
      '[2001:db8:1:2::abcd]',
      '2001:db8:1:2:0:0:0:0',
      'fe80::1%eth0'.replace('fe80::1', '2001:db8:1:2::9'),
    ]
    expect(new Set(spellings.map(clientNetwork))).toEqual(new Set(['2001:db8:1:2::/64']))
    expect(clientNetwork('2001:db8:1:3::1')).toBe('2001:db8:1:3::/64')
    expect(clientNetwork('::1')).toBe('0:0:0:0::/64')
    expect(clientNetwork('2001:db8::')).toBe('2001:db8:0:0::/64')
  })

  it('reads an IPv4-mapped IPv6 address as the IPv4 client it is', () => {
    expect(clientNetwork('::ffff:203.0.113.7')).toBe('203.0.113.7')
    expect(clientNetwork('::ffff:cb00:7107')).toBe('203.0.113.7')
  })

  it('returns text that is no address as it is, so it still limits something', () => {
    expect(clientNetwork('not:an:address:at:all:zz')).toBe('not:an:address:at:all:zz')
    expect(clientNetwork('2001:DB8::1::2')).toBe('2001:db8::1::2')
    expect(clientNetwork('::ffff:203.0.113')).toBe('::ffff:203.0.113')
  })
})
