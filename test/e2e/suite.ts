// One local stack and one Chromium per e2e test file: started before its tests, stopped after.
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll } from 'vitest'
import { ROOT, launchChromium, startStack, type Stack } from './harness'

export const ARTIFACTS = join(ROOT, 'artifacts', 'e2e')

/** Call at the top of a test file; the getters throw if used before the stack is up. */
export function useStackAndBrowser(): { stack: () => Stack; browser: () => Browser } {
  let stack: Stack | undefined
  let browser: Browser | undefined
  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true })
    stack = await startStack()
    browser = await launchChromium()
  })
  afterAll(async () => {
    await browser?.close()
    await stack?.stop()
  })
  return {
    stack: () => stack ?? (() => { throw new Error('the stack is not up') })(),
    browser: () => browser ?? (() => { throw new Error('the browser is not up') })(),
  }
}
