// Redacted URLs as admin reads show them, and how a URL read back is matched to the stored one.
import { describe, expect, it } from 'vitest'
import { containsRedacted, redactUrl, restoreRedactedUrl } from './redacted'

const STORED = 'https://svc:p4ss@crm.example:8443/hook?api_key=k3y&v=1&flag#tok'

describe('redactUrl', () => {
  it('hides the password, every query value, a bare query piece and the fragment, and keeps the rest', () => {
    expect(redactUrl(STORED)).toBe('https://svc:•••@crm.example:8443/hook?api_key=•••&v=•••&•••#•••')
  })

  it('hides a lone user name, which is then the secret, and leaves a URL without secrets as it was', () => {
    expect(redactUrl('https://tok3n@crm.example/hook')).toBe('https://•••@crm.example/hook')
    expect(redactUrl('https://shop.amocrm.ru')).toBe('https://shop.amocrm.ru')
  })

  it('gives a value no URL schema accepts', () => {
    expect(containsRedacted(redactUrl(STORED))).toBe(true)
    expect(containsRedacted(new URL(redactUrl(STORED)).href)).toBe(true)
  })
})

describe('restoreRedactedUrl', () => {
  it('gives the stored URL back for its own redacted form', () => {
    expect(restoreRedactedUrl(redactUrl(STORED), STORED)).toBe(STORED)
  })

  it('takes each redacted part from the stored URL when other parts changed on the same address', () => {
    expect(restoreRedactedUrl('https://svc:•••@crm.example:8443/hook?v=2&api_key=•••', STORED)).toBe('https://svc:p4ss@crm.example:8443/hook?v=2&api_key=k3y')
    expect(restoreRedactedUrl('https://svc:new-pass@crm.example:8443/hook?api_key=•••', STORED)).toBe('https://svc:new-pass@crm.example:8443/hook?api_key=k3y')
  })

  it('refuses a new scheme, host, port or path, a new user name, and a redacted part with nothing stored', () => {
    for (const url of [
      'http://svc:•••@crm.example:8443/hook?api_key=•••',
      'https://svc:•••@evil.example:8443/hook?api_key=•••',
      'https://svc:•••@crm.example/hook?api_key=•••',
      'https://svc:•••@crm.example:8443/other?api_key=•••',
      'https://other:•••@crm.example:8443/hook',
      'https://svc:p4ss@crm.example:8443/hook?token=•••',
      'https://svc:p4ss@crm.example:8443/hook?api_key=•••x',
    ]) {
      expect(restoreRedactedUrl(url, STORED), url).toBeNull()
    }
  })
})
