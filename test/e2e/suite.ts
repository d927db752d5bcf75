// One local stack and one Chromium per e2e test file (or per describe block, one for each runtime): started before its tests, stopped after.
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll } from 'vitest'
import { ROOT, launchChromium, startStack, type Stack, type StartStackOptions } from './harness'

export const ARTIFACTS = join(ROOT, 'artifacts', 'e2e')

/**
 * Call at the top of a test file, or of a describe block to scope the stack to it; the getters
 * throw if used before the stack is up.
 * @example
 * describe.each(RUNTIMES)('on %s', (runtime) => {
 *   const env = useStackAndBrowser({ runtime })
 *   it('…', async () => { await env.browser().newPage() })
 * })
 */
export function useStackAndBrowser(options: StartStackOptions = {}): { stack: () => Stack; browser: () => Browser } {
  let stack: Stack | undefined
  let browser: Browser | undefined
  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true })
    stack = await startStack(options)
    browser = await launchChromium()
  })
  afterAll(async () => {
    await browser?.close()
    await stack?.stop()
  })
  return {
    stack: () =>
      stack ??
      (() => {
        throw new Error('the stack is not up')
      })(),
    browser: () =>
      browser ??
      (() => {
        throw new Error('the browser is not up')
      })(),
  }
}
