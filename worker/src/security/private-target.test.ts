import { describe, expect, it } from 'vitest'
import { isPrivateTarget } from './private-target'

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
  ])('refuses %s', (url) => {
    expect(isPrivateTarget(url)).toBe(true)
  })

  it.each(['https://crm.example/hook', 'https://8.8.8.8/', 'https://172.32.0.1/', 'https://[2606:4700::1111]/', 'https://my.bitrix24.ru/rest/1/x/'])(
    'allows the public target %s',
    (url) => {
      expect(isPrivateTarget(url)).toBe(false)
    },
  )
})
