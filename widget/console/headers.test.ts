import { describe, expect, it } from 'vitest'
import { CONSOLE_CSP, CONSOLE_HEADERS, PREVIEW_CSP, withConsoleHeaders } from './headers'

const WIDGET = '/app.js\n  Access-Control-Allow-Origin: *\n'

describe('the console’s _headers rules', () => {
  it('come after the widget’s rules, which stay as they were', () => {
    const text = withConsoleHeaders(WIDGET)
    expect(text.startsWith(WIDGET)).toBe(true)
    expect(text.slice(WIDGET.length)).toBe(CONSOLE_HEADERS)
  })

  it('are written once however often the console is built', () => {
    expect(withConsoleHeaders(withConsoleHeaders(WIDGET))).toBe(withConsoleHeaders(WIDGET))
    expect(withConsoleHeaders('')).toBe(CONSOLE_HEADERS)
  })

  it('give the console pages the strict CSP, no-store for index.html and immutable for hashed assets', () => {
    expect(CONSOLE_CSP).toBe(
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
    )
    expect(CONSOLE_HEADERS).toMatch(/^\/console\/\*\n {2}Content-Security-Policy: default-src 'self';/m)
    expect(CONSOLE_HEADERS).toMatch(/^\/console\/\n {2}Cache-Control: no-store$/m)
    expect(CONSOLE_HEADERS).toMatch(/^\/console\/assets\/\*\n {2}Cache-Control: public, max-age=31536000, immutable$/m)
  })

  it('give the preview frame a CSP of its own in place of the console’s, which lets the console frame it', () => {
    expect(PREVIEW_CSP).toContain("frame-ancestors 'self'")
    expect(PREVIEW_CSP).toContain("default-src 'none'")
    expect(PREVIEW_CSP).not.toContain('connect-src')
    expect(CONSOLE_HEADERS).toContain(`/console/preview.html\n  ! Content-Security-Policy\n  Content-Security-Policy: ${PREVIEW_CSP}\n`)
    // Module scripts fetched from the frame's opaque origin are CORS requests.
    expect(CONSOLE_HEADERS).toMatch(/^\/console\/assets\/\*\n(?: {2}.+\n)* {2}Access-Control-Allow-Origin: \*$/m)
  })
})
