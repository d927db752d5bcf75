import { describe, expect, it } from 'vitest'
import { isPrivateAddress, isPrivateTarget } from './private-target'

describe('isPrivateTarget', () => {
  it.each([
    'http://localhost:8080/',
    'http://api.localhost/',
    'http://127.0.0.1/',
    'http://127.9.9.9/',
    'http://2130706433/', // 127.0.0.1 as one number
    'http://0x7f.1/', // 127.0.0.1 in hex shorthand
    'http://10.0.0.5/',
    'http://172.16.3.4/',
    'http://172.31.255.255/',
    'http://192.168.1.1/',
    'http://169.254.169.254/latest/meta-data/',
    'http://100.64.0.1/',
    'http://0.0.0.0/',
    'http://[::1]/',
    'http://[::]/',
    'http://[fe80::1]/',
    'http://[fd12:3456::1]/',
    'http://[::ffff:127.0.0.1]/',
    'http://[::ffff:a9fe:a9fe]/', // 169.254.169.254 mapped
    'http://printer.local/',
    'http://metadata.google.internal/',
    'not a url',
    // IPv4 inside IPv6, whatever the notation: compatible, mapped, translated (RFC 6145), NAT64.
    'http://[::127.0.0.1]/',
    'http://[::7f00:1]/',
    'http://[::ffff:0:127.0.0.1]/',
    'http://[64:ff9b::a9fe:a9fe]/',
    'http://[2002:7f00:1::]/', // 6to4 of 127.0.0.1
    'http://[2002:0808:0808::1]/', // 6to4 of a public address: a relay decides where it goes
    'http://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/', // Teredo
    'http://[fec0::1]/', // deprecated site-local
    'http://[2001:db8::1]/', // documentation
    'http://[100::1]/', // discard
    'http://[ff02::1]/',
    'http://255.255.255.255/',
    'http://192.88.99.1/', // 6to4 relay anycast
    // Single-label names resolve through the server's search domains to the local network.
    'http://intranet/',
    'http://metadata/',
    'http://crm.corp/',
  ])('refuses %s', (url) => {
    expect(isPrivateTarget(url)).toBe(true)
  })

  it.each([
    'https://crm.example/hook',
    'https://8.8.8.8/',
    'https://172.32.0.1/',
    'https://[2606:4700::1111]/',
    'https://[2a00:1450:4010:c0e::64]/',
    'https://my.bitrix24.ru/rest/1/x/',
    'https://crm.example./hook',
  ])('allows the public target %s', (url) => {
    expect(isPrivateTarget(url)).toBe(false)
  })

  it('judges resolved addresses as the literals', () => {
    for (const address of ['127.0.0.1', '::1', '::ffff:10.0.0.1', 'fe80::1%eth0', '2001::1', 'not an address', '0x7f.1']) {
      expect(isPrivateAddress(address), address).toBe(true)
    }
    for (const address of ['8.8.8.8', '2606:4700::1111']) expect(isPrivateAddress(address), address).toBe(false)
  })
})
